import { describe, expect, it } from 'vitest';
import type { Handshake } from '../../src/protocol/handshake';
import type { WireEvent } from '../../src/protocol/relay-events';
import { HANDSHAKE_SETTLE_MS } from '../../src/session/handshake-join';
import { HANDSHAKE_SOURCE } from '../../src/session/handshake-only';
import {
  NETWORK_SETTLE_MS,
  NETWORK_SOURCE,
  NetworkSockets,
} from '../../src/session/network-sockets';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { sequence } from './session-fixtures';

const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const PAGE = 'page';
const URL_A = 'wss://feed.test/live';
const WORKER = 'https://app.test/worker.js';

function pageSession(): SessionStore {
  const store = new SessionStore();
  store.addDocument({ documentId: PAGE, url: 'https://app.test/', startedAt: T0, frameId: 0 });
  return store;
}

const opened = (requestId: string, at: number, overrides: Partial<Handshake> = {}): Handshake => ({
  requestId,
  frameId: 0,
  url: URL_A,
  startedAt: T0 + at,
  sentAt: T0 + at + 1,
  requestHeaders: [{ name: 'Sec-WebSocket-Protocol', value: 'chat, superchat' }],
  status: 101,
  statusLine: 'HTTP/1.1 101 Switching Protocols',
  responseHeaders: [
    { name: 'Sec-WebSocket-Protocol', value: 'chat' },
    { name: 'Sec-WebSocket-Extensions', value: 'permessage-deflate' },
  ],
  respondedAt: T0 + at + 5,
  endedAt: T0 + at + 5,
  ...overrides,
});

const created = (id: number, time: number): WireEvent => ({
  type: 'created',
  id,
  time,
  requestedUrl: URL_A,
  url: URL_A,
  protocols: [],
});

function hook(store: SessionStore, events: WireEvent[]): void {
  applyEvents(store, PAGE, sequence(events, store.cursorOf(PAGE)));
}

/** Chrome's log entry for a worker's socket, with one received message. */
function logEntry(startedAt: number, text: string) {
  return {
    _initiator: { type: 'script', stack: { callFrames: [{ url: WORKER, lineNumber: 1 }] } },
    _resourceType: 'websocket',
    request: { method: 'GET', url: URL_A, httpVersion: 'HTTP/1.1', headers: [] },
    response: { status: 101, statusText: 'Switching Protocols', headers: [] },
    startedDateTime: new Date(startedAt).toISOString(),
    time: 1,
    timings: { send: 0, wait: 1, receive: 0 },
    _webSocketMessages: [
      { type: 'receive', time: (startedAt + 500) / 1000, opcode: 1, data: text },
    ],
  };
}

describe('handshake-only connections', () => {
  it('shows a handshake no hook connection claimed, once it has waited, as what the browser reported', () => {
    const store = pageSession();
    store.addHandshake(opened('w1', 100), T0 + 100);
    expect(store.settleHandshakes(T0 + 100 + HANDSHAKE_SETTLE_MS - 1)).toBe(false);
    expect(store.connectionList).toHaveLength(0);

    expect(store.settleHandshakes(T0 + 100 + HANDSHAKE_SETTLE_MS)).toBe(true);
    expect(store.handshakesWaiting).toBe(false);
    const [connection] = store.connectionList;
    expect(connection).toMatchObject({
      documentId: PAGE,
      pageUrl: 'https://app.test/',
      url: URL_A,
      state: 'open',
      createdAt: T0 + 100,
      openedAt: T0 + 105,
      protocols: ['chat', 'superchat'],
      protocol: 'chat',
      extensions: 'permessage-deflate',
      handshakeOnly: true,
      imported: HANDSHAKE_SOURCE,
    });
    expect(connection!.id).toBeLessThan(0);
    expect(connection!.label?.marks).toEqual(['handshake-only']);
    expect(store.frames).toHaveLength(0);
  });

  it("follows its handshake's later updates: a refused upgrade fails it", () => {
    const store = pageSession();
    const start: Handshake = { requestId: 'w2', frameId: 0, url: URL_A, startedAt: T0 + 100 };
    store.addHandshake(start, T0 + 100);
    store.settleHandshakes(T0 + 10_000);
    const [connection] = store.connectionList;
    expect(connection!.state).toBe('connecting');
    store.addHandshake({ ...start, status: 403, respondedAt: T0 + 120, endedAt: T0 + 130 });
    expect(connection!.state).toBe('failed');
    expect(connection!.closedAt).toBe(T0 + 130);
    store.addHandshake({ ...start, error: 'net::ERR_CONNECTION_REFUSED', endedAt: T0 + 140 });
    expect(connection!.state).toBe('failed');
  });

  it('gives way to the hook connection when its record turns up late: one connection, no stand-in', () => {
    const store = pageSession();
    store.addHandshake(opened('late', 100), T0 + 100);
    store.settleHandshakes(T0 + 10_000);
    expect(store.connectionList).toHaveLength(1);

    hook(store, [created(1, T0 + 99)]);
    expect(store.connectionList).toHaveLength(1);
    const [connection] = store.connectionList;
    expect(connection!.handshakeOnly).toBeUndefined();
    expect(connection!.id).toBe(1);
    expect(connection!.handshake?.requestId).toBe('late');
    expect(connection!.label?.marks).toEqual([]);
  });

  it('joins the hook connection and shows nothing more when the record comes in time', () => {
    const store = pageSession();
    store.addHandshake(opened('hooked', 100), T0 + 100);
    hook(store, [created(1, T0 + 99)]);
    expect(store.settleHandshakes(T0 + 10_000)).toBe(false);
    expect(store.connectionList.map((c) => [c.id, c.handshake?.requestId])).toEqual([
      [1, 'hooked'],
    ]);
  });

  it("does not show an earlier page's handshake replayed to a new panel", () => {
    const store = pageSession();
    store.addHandshake(opened('old', -60_000), T0 + 5000);
    expect(store.settleHandshakes(T0 + 20_000)).toBe(false);
    expect(store.connectionList).toHaveLength(0);
  });

  it("takes the frames DevTools' network log shows for it, and is marked with the worker then", () => {
    const store = pageSession();
    store.addHandshake(opened('w3', 1000), T0 + 1000);
    store.settleHandshakes(T0 + 1000 + HANDSHAKE_SETTLE_MS);
    const [standIn] = store.connectionList;

    const sockets = new NetworkSockets(store);
    expect(sockets.merge([logEntry(T0 + 1003, 'tick')], T0 + 1000 + NETWORK_SETTLE_MS)).toBe(true);
    expect(store.connectionList).toEqual([standIn]);
    expect(standIn).toMatchObject({
      worker: WORKER,
      imported: NETWORK_SOURCE,
      received: { count: 1 },
    });
    expect(standIn!.handshakeOnly).toBeUndefined();
    expect(standIn!.label?.marks).toEqual(['worker']);
    expect(store.frames.map((frame) => frame.connectionKey)).toEqual([standIn!.key]);
  });

  it("closes a stand-in when DevTools' network log shows its socket ended", () => {
    const store = pageSession();
    store.addHandshake(opened('w7', 1000), T0 + 1000);
    store.settleHandshakes(T0 + 1000 + HANDSHAKE_SETTLE_MS);
    const [standIn] = store.connectionList;
    expect(standIn).toMatchObject({ state: 'open' });
    const ended = {
      ...logEntry(T0 + 1003, 'tick'),
      time: 2000,
      timings: { send: 0, wait: 500, receive: 1500 },
    };
    const sockets = new NetworkSockets(store);
    expect(sockets.merge([ended], T0 + 10_000)).toBe(true);
    expect(store.connectionList).toEqual([standIn]);
    expect(standIn).toMatchObject({
      state: 'closed',
      closedAt: T0 + 1003 + 2000,
      received: { count: 1 },
    });
  });

  it("joins a handshake to the network log's connection when the log came first", () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    sockets.merge([logEntry(T0 + 1000, 'tick')], T0 + 1000 + NETWORK_SETTLE_MS);
    const [fromLog] = store.connectionList;
    store.addHandshake(opened('w4', 1002), T0 + 5000);
    expect(store.settleHandshakes(T0 + 20_000)).toBe(false);
    expect(store.connectionList).toEqual([fromLog]);
    expect(fromLog!.handshake?.requestId).toBe('w4');
  });

  it("joins a waiting handshake to the network log's connection made before the handshake settled", () => {
    const store = pageSession();
    store.addHandshake(opened('w5', 1000), T0 + 1000);
    const sockets = new NetworkSockets(store);
    expect(sockets.merge([logEntry(T0 + 1003, 'tick')], T0 + 1003 + NETWORK_SETTLE_MS)).toBe(true);
    expect(store.settleHandshakes(T0 + 20_000)).toBe(false);
    expect(store.connectionList).toHaveLength(1);
    expect(store.connectionList[0]!.handshake?.requestId).toBe('w5');
  });

  it('marks a stand-in with its worker when the log lists it without any message yet', () => {
    const store = pageSession();
    store.addHandshake(opened('w6', 1000), T0 + 1000);
    store.settleHandshakes(T0 + 1000 + HANDSHAKE_SETTLE_MS);
    const [standIn] = store.connectionList;
    const silent = { ...logEntry(T0 + 1003, 'unused'), _webSocketMessages: [] };
    const sockets = new NetworkSockets(store);
    expect(sockets.merge([silent], T0 + 1000 + NETWORK_SETTLE_MS)).toBe(true);
    expect(store.connectionList).toEqual([standIn]);
    expect(standIn).toMatchObject({ worker: WORKER, imported: NETWORK_SOURCE });
    expect(standIn!.handshakeOnly).toBeUndefined();
  });

  it("joins a handshake to the network log's connection across the two clocks' skew", () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    // DevTools dates the entry from its own clock: here 1.5 s before the browser's handshake.
    sockets.merge([logEntry(T0 + 1000, 'tick')], T0 + 1000 + NETWORK_SETTLE_MS);
    const [fromLog] = store.connectionList;
    store.addHandshake(opened('w7', 2500), T0 + 5000);
    expect(store.settleHandshakes(T0 + 20_000)).toBe(false);
    expect(store.connectionList).toEqual([fromLog]);
    expect(fromLog!.handshake?.requestId).toBe('w7');
  });

  it("joins the browser's handshake to the log's connection though the log lists the headers too", () => {
    const store = pageSession();
    store.addHandshake(opened('w8', 1000), T0 + 1000);
    const withHeaders = {
      ...logEntry(T0 + 1003, 'tick'),
      request: {
        method: 'GET',
        url: URL_A,
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Origin', value: 'https://app.test' }],
      },
    };
    const sockets = new NetworkSockets(store);
    sockets.merge([withHeaders], T0 + 1003 + NETWORK_SETTLE_MS);
    expect(store.settleHandshakes(T0 + 20_000)).toBe(false);
    expect(store.connectionList).toHaveLength(1);
    expect(store.connectionList[0]!.handshake?.requestId).toBe('w8');
  });
});
