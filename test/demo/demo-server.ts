/**
 * The demo site: one page and four WebSocket endpoints with live traffic of every kind
 * (chat text, JSON updates, binary frames, a server-initiated close), one that always fails,
 * and protocol feeds for the panel's decoders (Socket.IO, STOMP, GraphQL, MQTT, protobuf).
 * Listens on 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { serveGraphql } from './demo-protocols/graphql';
import { serveMqtt } from './demo-protocols/mqtt';
import { serveProtobuf } from './demo-protocols/protobuf';
import type { Every, ProtocolHandler } from './demo-protocols/shared';
import { serveSocketIo } from './demo-protocols/socket-io';
import { serveStomp } from './demo-protocols/stomp';

const PAGE = readFileSync(new URL('./demo-page.html', import.meta.url), 'utf8');
const PAGE_CLIENTS = readFileSync(
  new URL('./demo-protocols/page-clients.js', import.meta.url),
  'utf8',
);
const BOT_LINES = [
  'Welcome to the demo chat.',
  'Every line here is a text frame; open the WebSockets panel to see them.',
  'Try typing something below: your message goes out as a sent frame.',
  'The ticker sends JSON, the telemetry feed binary, and the flaky feed gets closed by the server.',
];

/** The protocol feeds by URL path, with the subprotocol the server selects when one is due. */
const PROTOCOL_ENDPOINTS: Record<string, { subprotocol?: string; serve: ProtocolHandler }> = {
  '/socket.io/': { serve: serveSocketIo },
  '/stomp': { subprotocol: 'v12.stomp', serve: serveStomp },
  '/graphql': { subprotocol: 'graphql-transport-ws', serve: serveGraphql },
  '/mqtt': { subprotocol: 'mqtt', serve: serveMqtt },
  '/protobuf': { serve: serveProtobuf },
};
const endpointOf = (request: IncomingMessage) => {
  const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  return Object.hasOwn(PROTOCOL_ENDPOINTS, path) ? PROTOCOL_ENDPOINTS[path] : undefined;
};

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

export async function startDemoServer(port = 0): Promise<DemoServer> {
  const server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (request.url === '/demo-protocols.js') {
      response
        .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
        .end(PAGE_CLIENTS);
    } else response.writeHead(404).end('not found');
  });
  const timers = new Set<NodeJS.Timeout>();
  const every: Every = (socket, ms, tick) => {
    const timer = setInterval(tick, ms);
    timers.add(timer);
    const stop = () => {
      clearInterval(timer);
      timers.delete(timer);
    };
    socket.on('close', stop);
    return stop;
  };
  const wss = new WebSocketServer({
    noServer: true,
    // A protocol feed selects its own subprotocol or none; the other endpoints take the first.
    handleProtocols: (protocols, request) => {
      const endpoint = endpointOf(request);
      if (endpoint === undefined) return protocols.values().next().value ?? false;
      return endpoint.subprotocol !== undefined && protocols.has(endpoint.subprotocol)
        ? endpoint.subprotocol
        : false;
    },
  });
  server.on('upgrade', (request, socket, head) => {
    const path = request.url ?? '/';
    if (path === '/broken') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serve(path, ws, request));
  });

  function serve(path: string, ws: WebSocket, request: IncomingMessage) {
    const endpoint = endpointOf(request);
    if (endpoint !== undefined) {
      // Like the servers they imitate, these feeds refuse a client that did not agree on the
      // subprotocol rather than guess at what it speaks.
      if (endpoint.subprotocol !== undefined && ws.protocol !== endpoint.subprotocol)
        ws.close(1002, `demo: subprotocol ${endpoint.subprotocol} required`);
      else endpoint.serve(ws, request, every);
    } else if (path === '/chat') {
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
