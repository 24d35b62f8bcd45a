/**
 * The demo site: one page and four WebSocket endpoints with live traffic of every kind
 * (chat text, JSON updates, binary frames, a server-initiated close) and one that always fails.
 * Listens on 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

const PAGE = readFileSync(new URL('./demo-page.html', import.meta.url), 'utf8');
const BOT_LINES = [
  'Welcome to the demo chat.',
  'Every line here is a text frame; open the WebSockets panel to see them.',
  'Try typing something below: your message goes out as a sent frame.',
  'The ticker sends JSON, the telemetry feed binary, and the flaky feed gets closed by the server.',
];

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export async function startDemoServer(port = 0): Promise<DemoServer> {
  const server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else response.writeHead(404).end('not found');
  });
  const timers = new Set<NodeJS.Timeout>();
  const every = (socket: WebSocket, ms: number, tick: () => void) => {
    const timer = setInterval(tick, ms);
    timers.add(timer);
    socket.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  server.on('upgrade', (request, socket, head) => {
    const path = request.url ?? '/';
    if (path === '/broken') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(path, ws));
  });

  function serve(path: string, ws: WebSocket) {
    if (path === '/chat') {
      let line = 0;
      ws.on('message', (data) => ws.send(`echo: ${data.toString()}`));
      every(ws, 1500, () => ws.send(`bot: ${BOT_LINES[line++ % BOT_LINES.length]}`));
    } else if (path === '/ticker') {
      const prices: Record<string, number> = { ACME: 101.5, GLOBX: 42.25, INIT: 7.8 };
      every(ws, 700, () => {
        for (const symbol of Object.keys(prices))
          prices[symbol] = Math.round(prices[symbol]! * (0.98 + Math.random() * 0.04) * 100) / 100;
        ws.send(JSON.stringify({ type: 'prices', at: new Date().toISOString(), prices }));
      });
    } else if (path === '/telemetry') {
      let seq = 0;
      every(ws, 1000, () => {
        const frame = Buffer.alloc(8);
        frame.writeUInt32BE(seq++, 0);
        frame.writeFloatBE(20 + Math.random() * 5, 4);
        ws.send(frame);
      });
    } else if (path === '/flaky') {
      ws.send('flaky feed: hello, I will close soon');
      const timer = setTimeout(() => ws.close(1011, 'demo: server-initiated close'), 3000);
      ws.on('close', () => clearTimeout(timer));
    } else ws.close(1008, 'unknown endpoint');
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
