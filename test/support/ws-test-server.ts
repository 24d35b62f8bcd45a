/**
 * A local HTTP + WebSocket server for tests, the demo and benchmarks, bound to 127.0.0.1 on a
 * free port. Pages are served from a route table; WebSocket behaviour is driven by text commands
 * the client sends (anything else is echoed back as it came, text as text, binary as binary,
 * except on paths under /sink, which only count what they receive):
 *   burst:N[:SIZE]     send N text frames ("n" then padding to SIZE bytes)
 *   binary:N           send one binary frame of N bytes (byte i = i & 255)
 *   text:N             send one text frame of N bytes
 *   close:CODE:REASON  close from the server with that code and reason
 *   count?             reply with "count:N", the number of frames received so far
 * Paths under /forbidden answer the handshake with 403 Forbidden; under /refuse, by hanging up.
 * On paths under /json-rpc, a JSON-RPC 2.0 request is answered with its method's name as result.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';

export interface ReceivedFrame {
  path: string;
  data: Buffer;
  isBinary: boolean;
}

export interface TestServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The same server under another origin (http://localhost:PORT), for cross-origin frames. */
  otherOrigin: string;
  wsOrigin: string;
  port: number;
  /** Frames the server received, in order, per connection path (not kept for /…-bench paths). */
  received: ReceivedFrame[];
  /** The path of every WebSocket connection the server accepted, in order. */
  connections: string[];
  /** How many frames the server received in all. */
  receivedCount(): number;
  /** When (epoch ms) the server received its latest frame. */
  lastReceivedAt(): number;
  route(path: string, html: string): void;
  /**
   * Pings every open connection on `path` and resolves once each answered. The browser writes
   * its pong after anything it sent before on that connection: once this resolves, a frame the
   * page had sent there is in `received`. (The test that a frame was not sent waits for this.)
   */
  roundTrip(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestServer(pages: Record<string, string> = {}): Promise<TestServer> {
  const routes = new Map(Object.entries(pages));
  const received: ReceivedFrame[] = [];
  const connections: string[] = [];
  let receivedCount = 0;
  let lastReceivedAt = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const html = routes.get(path);
    if (html === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': path.endsWith('.js')
        ? 'text/javascript; charset=utf-8'
        : 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    response.end(html);
  });
  const wss = new WebSocketServer({
    server,
    maxPayload: 256 * 1024 * 1024,
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
    // Paths under /forbidden refuse the upgrade with an HTTP 403, as an authorising server would.
    verifyClient: (info, callback) => {
      if ((info.req.url ?? '').startsWith('/forbidden')) {
        callback(false, 403, 'Forbidden', { 'X-Refused-By': 'test server' });
      } else callback(true);
    },
  });
  const pathOf = new WeakMap<WebSocket, string>();
  wss.on('connection', (socket, request) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    pathOf.set(socket, path);
    connections.push(path);
    if (path.startsWith('/reject')) {
      socket.terminate();
      return;
    }
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      receivedCount++;
      lastReceivedAt = Date.now();
      // Benchmarks send millions of frames: count them, keep none.
      if (
        !path.endsWith('-bench') &&
        !path.startsWith('/sink-memory') &&
        !path.startsWith('/sink-delivery')
      ) {
        received.push({ path, data: buffer, isBinary });
      }
      if (!isBinary && path.startsWith('/json-rpc')) {
        socket.send(jsonRpcReply(buffer.toString('utf8')));
        return;
      }
      if (!isBinary && buffer.length < 200) {
        if (handleCommand(socket, buffer.toString('utf8'), receivedCount)) return;
      }
      if (!path.startsWith('/sink')) socket.send(buffer, { binary: isBinary });
    });
  });
  server.on('upgrade', (request, socket) => {
    if ((request.url ?? '').startsWith('/refuse')) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    wsOrigin: `ws://127.0.0.1:${port}`,
    port,
    received,
    connections,
    receivedCount: () => receivedCount,
    lastReceivedAt: () => lastReceivedAt,
    route: (path, html) => routes.set(path, html),
    roundTrip: async (path) => {
      const open = [...wss.clients].filter(
        (client) => pathOf.get(client) === path && client.readyState === client.OPEN,
      );
      if (open.length === 0) throw new Error(`no open connection on ${path}`);
      await Promise.all(
        open.map(
          (client) =>
            new Promise<void>((resolve) => {
              client.once('pong', () => resolve());
              client.ping();
            }),
        ),
      );
    },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function handleCommand(socket: WebSocket, text: string, receivedCount: number): boolean {
  const [command, a, ...rest] = text.split(':');
  const n = Number(a);
  switch (command) {
    case 'burst': {
      const size = Number(rest[0] ?? 0);
      for (let i = 0; i < n; i++) socket.send(String(i).padEnd(size, '.'));
      return true;
    }
    case 'binary': {
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = i & 255;
      socket.send(bytes, { binary: true });
      return true;
    }
    case 'text':
      socket.send('x'.repeat(n));
      return true;
    case 'close':
      socket.close(n, rest.join(':'));
      return true;
    case 'count?':
      socket.send(`count:${receivedCount}`);
      return true;
    default:
      return false;
  }
}

/** What a JSON-RPC 2.0 server answers: the result for a request, an error for anything else. */
function jsonRpcReply(text: string): string {
  try {
    const request = JSON.parse(text) as { id?: unknown; method?: unknown };
    return JSON.stringify({
      jsonrpc: '2.0',
      id: request.id ?? null,
      result: String(request.method),
    });
  } catch {
    return JSON.stringify({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'Parse error' },
    });
  }
}
