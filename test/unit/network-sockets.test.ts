import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../src/protocol/relay-events';
import { readHar } from '../../src/session/har/har-import';
import {
  NETWORK_IMPORT_ID,
  NETWORK_MATCH_MS,
  NETWORK_SETTLE_MS,
  NETWORK_SOURCE,
  NetworkSockets,
} from '../../src/session/network-sockets';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { sequence } from './session-fixtures';

/** When the page started; every time below is counted from it (epoch ms, a whole second). */
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const PAGE = 'page';
const WORKER = 'https://app.test/worker.js';
const URL_A = 'wss://feed.test/live';
const URL_B = 'wss://other.test/socket';

interface Message {
  type: 'send' | 'receive' | 'error';
  /** Epoch seconds, as Chrome writes them. */
  time: number;
  opcode: number;
  data: string;
}

/** A text message `at` ms after T0 (halves of a second multiply back exactly). */
const message = (type: 'send' | 'receive', at: number, data: string): Message => ({
  type,
  time: (T0 + at) / 1000,
  opcode: 1,
  data,
});

const binaryMessage = (type: 'send' | 'receive', at: number, bytes: number[]): Message => ({
  type,
  time: (T0 + at) / 1000,
  opcode: 2,
  data: Buffer.from(bytes).toString('base64'),
});

/**
 * A WebSocket entry as Chrome's devtools.network.getHAR returns it (measured in Chromium 156):
 * `timings.wait` runs from the start to the response or the latest frame, `timings.receive` from
 * there to the socket's end, 0 while it is live, and `time` is their sum.
 */
function wsEntry(
  url: string,
  startedAt: number,
  messages: Message[] = [],
  /** The script that opened it; null for an initiator with no stack. */
  script: string | null = WORKER,
  /** When it ended, in ms after its start; live if not given. */
  endedAfter?: number,
): Record<string, unknown> {
  const lastFrame = messages.reduce((last, { time }) => Math.max(last, time * 1000), 0);
  const wait = Math.max(2.1, lastFrame - startedAt);
  const receive = endedAfter === undefined ? 0 : endedAfter - wait;
  return {
    _initiator: script
      ? {
          type: 'script',
          stack: {
            callFrames: [
              {
                functionName: 'connect',
                scriptId: '31',
                url: script,
                lineNumber: 4,
                columnNumber: 14,
              },
              {
                functionName: 'start',
                scriptId: '12',
                url: 'https://app.test/main.js',
                lineNumber: 20,
                columnNumber: 2,
              },
            ],
          },
        }
      : { type: 'other' },
    _priority: 'Low',
    _resourceType: 'websocket',
    cache: {},
    connection: '107',
    pageref: 'page_1',
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Upgrade', value: 'websocket' }],
      queryString: [],
      cookies: [],
      headersSize: 300,
      bodySize: 0,
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Upgrade', value: 'websocket' }],
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: 120,
      bodySize: 0,
    },
    serverIPAddress: '203.0.113.5',
    startedDateTime: new Date(startedAt).toISOString(),
    time: wait + receive,
    timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait, receive },
    _webSocketMessages: messages,
  };
}

/** An ordinary request's entry, as Chrome's log lists them among the sockets. */
function httpEntry(url: string, startedAt: number): Record<string, unknown> {
  return {
    _initiator: { type: 'other' },
    _resourceType: 'document',
    cache: {},
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [],
      queryString: [],
      cookies: [],
      headersSize: 100,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [],
      cookies: [],
      content: { size: 5, mimeType: 'text/html' },
      redirectURL: '',
      headersSize: 100,
      bodySize: 5,
    },
    startedDateTime: new Date(startedAt).toISOString(),
    time: 10,
    timings: { blocked: 0, dns: -1, ssl: -1, connect: -1, send: 0, wait: 9, receive: 1 },
  };
}

/** A session showing the page (its top-frame document started at `pageStart`). */
function pageSession(pageStart = T0): SessionStore {
  const store = new SessionStore();
  store.addDocument({
    documentId: PAGE,
    url: 'https://app.test/',
    startedAt: pageStart,
    frameId: 0,
  });
  return store;
}

/** The page's hook reports more events (sequence numbers continue from the store's cursor). */
function hook(store: SessionStore, events: WireEvent[]): void {
  applyEvents(store, PAGE, sequence(events, store.cursorOf(PAGE)));
}

const hookCreated = (id: number, url: string, time: number): WireEvent => ({
  type: 'created',
  id,
  time,
  requestedUrl: url,
  url,
  protocols: [],
});

const hookClosed = (id: number, time: number): WireEvent => ({
  type: 'closed',
  id,
  time,
  code: 1000,
  reason: '',
  wasClean: true,
  initiator: 'server',
});

const networkConnections = (store: SessionStore) =>
  store.connectionList.filter((connection) => connection.imported === NETWORK_SOURCE);

const framesOf = (store: SessionStore, key: string) =>
  store.frames.filter((frame) => frame.connectionKey === key);

const texts = (store: SessionStore, key: string) =>
  framesOf(store, key).map((frame) => [
    frame.kind,
    frame.payload?.kind === 'text' ? frame.payload.text : frame.payload?.kind,
    frame.time,
  ]);

describe('NetworkSockets', () => {
  it('adds an entry no hook connection accounts for as a connection of the script that opened it', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const entry = wsEntry(URL_A, started, [
      message('send', 1500, '{"subscribe":"prices"}'),
      message('receive', 2000, 'héllo'),
      binaryMessage('receive', 2500, [1, 2, 3, 4]),
    ]);

    expect(sockets.merge([entry], started + NETWORK_SETTLE_MS + 1000)).toBe(true);

    expect(store.connectionList).toHaveLength(1);
    const [connection] = store.connectionList;
    expect(connection).toMatchObject({
      url: URL_A,
      worker: WORKER,
      state: 'open',
      createdAt: started,
      imported: NETWORK_SOURCE,
      sent: { count: 1, bytes: 22 },
      // 'héllo' is 6 bytes of UTF-8, and 4 binary bytes.
      received: { count: 2, bytes: 10 },
    });
    expect(connection!.documentId.startsWith(`${NETWORK_IMPORT_ID}/`)).toBe(true);
    expect(texts(store, connection!.key)).toEqual([
      ['sent', '{"subscribe":"prices"}', T0 + 1500],
      ['received', 'héllo', T0 + 2000],
      ['received', 'binary', T0 + 2500],
    ]);
    expect(store.frames).toHaveLength(3);
  });

  it("leaves the worker empty when the log names no script, and keeps an unanswered socket's failure", () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    // A refused upgrade, as Chrome's log shows it: no status, one error message without text.
    const refused: Message = { type: 'error', time: (T0 + 503) / 1000, opcode: -1, data: '' };
    const unanswered = wsEntry(URL_B, T0 + 500, [refused], null, 5);
    (unanswered.response as { status: number }).status = 0;
    const noScript = wsEntry(URL_A, T0 + 600, [message('receive', 700, 'x')], null);

    expect(sockets.merge([unanswered, noScript], T0 + 60_000)).toBe(true);

    expect(store.connectionList.map((c) => [c.url, c.worker, c.state, c.closedAt])).toEqual([
      [URL_B, '', 'failed', T0 + 505],
      [URL_A, '', 'open', undefined],
    ]);
    expect(store.connectionList[0]!.errors).toBe(1);
  });

  it('shows when a socket the log lists ended, closed if it was answered, without a close code', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    // Answered, one frame each way, closed 1.5 s after its start.
    const closed = wsEntry(
      URL_A,
      started,
      [message('send', 1100, 'a'), message('receive', 1200, 'b')],
      WORKER,
      1500,
    );
    // Answered, then closed without a frame.
    const quiet = wsEntry(URL_B, started, [], WORKER, 40);

    expect(sockets.merge([closed, quiet], started + 60_000)).toBe(true);

    expect(store.connectionList.map((c) => [c.url, c.state, c.closedAt, c.close])).toEqual([
      [URL_A, 'closed', started + 1500, undefined],
      [URL_B, 'closed', started + 40, undefined],
    ]);
    // Ended connections go with the user's clear, and come back no more.
    store.clear();
    expect(sockets.merge([closed, quiet], started + 70_000)).toBe(false);
    expect(store.connectionList).toEqual([]);
  });

  it('closes a live socket when a later look shows its end, once, with or without new messages', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const first = [message('send', 1100, 'a')];
    expect(sockets.merge([wsEntry(URL_A, started, first)], started + 5000)).toBe(true);
    const [connection] = store.connectionList;
    expect(connection).toMatchObject({ state: 'open' });
    expect(connection!.closedAt).toBeUndefined();

    // Still live: nothing changes.
    expect(sockets.merge([wsEntry(URL_A, started, first)], started + 6000)).toBe(false);

    // Ended, no message more: the end alone changes the session.
    const revision = store.revision;
    const ended = wsEntry(URL_A, started, first, WORKER, 6500);
    expect(sockets.merge([ended], started + 7000)).toBe(true);
    expect(store.revision).toBeGreaterThan(revision);
    expect(connection).toMatchObject({ state: 'closed', closedAt: started + 6500 });
    expect(sockets.merge([ended], started + 8000)).toBe(false);

    // Another ends with a last message in the same look: both are taken.
    const other = [message('send', 1200, 'x')];
    sockets.merge([wsEntry(URL_B, started, other)], started + 5000);
    const last = [...other, message('receive', 6000, 'bye')];
    expect(sockets.merge([wsEntry(URL_B, started, last, WORKER, 5100)], started + 7000)).toBe(true);
    const second = store.connectionList.find((c) => c.url === URL_B)!;
    expect(second).toMatchObject({
      state: 'closed',
      closedAt: started + 5100,
      received: { count: 1 },
    });
  });

  it('shows a socket not yet answered as connecting: open once answered, failed if it ends unanswered', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const pending = (url: string, endedAfter?: number) => {
      const entry = wsEntry(url, started, [], WORKER, endedAfter);
      (entry.response as { status: number }).status = 0;
      return entry;
    };
    expect(sockets.merge([pending(URL_A), pending(URL_B)], started + 5000)).toBe(true);
    expect(store.connectionList.map((c) => c.state)).toEqual(['connecting', 'connecting']);

    expect(sockets.merge([wsEntry(URL_A, started), pending(URL_B, 30_000)], started + 31_000)).toBe(
      true,
    );
    expect(store.connectionList.map((c) => [c.state, c.closedAt])).toEqual([
      ['open', undefined],
      ['failed', started + 30_000],
    ]);
  });

  it('adds only the new messages of an entry on later merges, and counts them', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const first = [message('send', 1500, 'one'), message('receive', 2000, 'two!')];
    const now = started + NETWORK_SETTLE_MS;
    expect(sockets.merge([wsEntry(URL_A, started, first)], now)).toBe(true);

    // getHAR returns the whole entry again, with what arrived since.
    const more = [...first, message('receive', 5000, 'three'), message('send', 5500, 'four!!')];
    const revision = store.revision;
    expect(sockets.merge([wsEntry(URL_A, started, more)], now + 3000)).toBe(true);
    expect(store.revision).toBeGreaterThan(revision);

    const [connection] = store.connectionList;
    expect(store.connectionList).toHaveLength(1);
    expect(connection).toMatchObject({
      sent: { count: 2, bytes: 3 + 6 },
      received: { count: 2, bytes: 4 + 5 },
    });
    expect(texts(store, connection!.key)).toEqual([
      ['sent', 'one', T0 + 1500],
      ['received', 'two!', T0 + 2000],
      ['received', 'three', T0 + 5000],
      ['sent', 'four!!', T0 + 5500],
    ]);

    // Nothing new: nothing changes.
    const settled = store.revision;
    expect(sockets.merge([wsEntry(URL_A, started, more)], now + 6000)).toBe(false);
    expect(store.frames).toHaveLength(4);
    expect(store.revision).toBe(settled);
    expect(connection).toMatchObject({ sent: { count: 2 }, received: { count: 2 } });
  });

  it("takes new messages into the session's own connection after the user cleared", () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const first = [message('send', 1500, 'one')];
    sockets.merge([wsEntry(URL_A, started, first)], T0 + 10_000);
    store.clear();
    expect(store.frames).toEqual([]);

    const more = [...first, message('receive', 12_000, 'after')];
    expect(sockets.merge([wsEntry(URL_A, started, more)], T0 + 13_000)).toBe(true);

    const [connection] = store.connectionList;
    expect(store.connectionList).toHaveLength(1);
    expect(connection).toMatchObject({
      sent: { count: 0, bytes: 0 },
      received: { count: 1, bytes: 5 },
    });
    expect(texts(store, connection!.key)).toEqual([['received', 'after', T0 + 12_000]]);
  });

  it('waits NETWORK_SETTLE_MS for the hook before adding an entry, then adds it once', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const entry = wsEntry(URL_A, started, [message('receive', 1200, 'early')]);

    expect(sockets.merge([entry], started)).toBe(false);
    expect(sockets.merge([entry], started + NETWORK_SETTLE_MS - 1)).toBe(false);
    expect(store.connectionList).toEqual([]);
    expect(store.frames).toEqual([]);

    expect(sockets.merge([entry], started + NETWORK_SETTLE_MS)).toBe(true);
    expect(networkConnections(store)).toHaveLength(1);
    expect(store.frames).toHaveLength(1);

    expect(sockets.merge([entry], started + NETWORK_SETTLE_MS + 1000)).toBe(false);
    expect(store.connectionList).toHaveLength(1);
    expect(store.frames).toHaveLength(1);
  });

  it('never adds an entry the hook recorded, even after clear() removed its connection', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    hook(store, [hookCreated(1, URL_A, started + NETWORK_MATCH_MS)]);
    const entry = wsEntry(URL_A, started, [message('send', 3500, 'hooked')]);

    const revision = store.revision;
    expect(sockets.merge([entry], started + 60_000)).toBe(false);
    expect(store.revision).toBe(revision);
    expect(store.connectionList.map((c) => c.key)).toEqual([`${PAGE}#1`]);

    hook(store, [hookClosed(1, started + 4000)]);
    store.clear();
    expect(store.connectionList).toEqual([]);

    const later = wsEntry(URL_A, started, [
      message('send', 3500, 'hooked'),
      message('receive', 3600, 'still the hook'),
    ]);
    expect(sockets.merge([later], started + 120_000)).toBe(false);
    expect(store.connectionList).toEqual([]);
    expect(store.frames).toEqual([]);
  });

  it('matches a hook connection before the entry has settled, and not one just out of reach', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    hook(store, [
      hookCreated(1, URL_A, started - NETWORK_MATCH_MS),
      // Same start, other URL: not that socket.
      hookCreated(2, URL_B, started + 10_000),
      hookCreated(3, URL_A, started + 20_000),
    ]);
    const matched = wsEntry(URL_A, started);
    const otherUrl = wsEntry(URL_A, started + 10_000);
    const tooFar = wsEntry(URL_A, started + 20_000 + NETWORK_MATCH_MS + 1);

    // The first is matched at once (claiming hook 1): settling later cannot change that.
    expect(sockets.merge([matched], started)).toBe(false);
    expect(sockets.merge([matched, otherUrl, tooFar], started + 60_000)).toBe(true);

    expect(networkConnections(store).map((c) => c.createdAt)).toEqual([
      started + 10_000,
      started + 20_000 + NETWORK_MATCH_MS + 1,
    ]);
  });

  it('lets each hook connection account for one entry: a third to the same URL is added', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    hook(store, [hookCreated(1, URL_A, started), hookCreated(2, URL_A, started + 100)]);
    const entries = [
      wsEntry(URL_A, started, [message('send', 1100, 'a')]),
      wsEntry(URL_A, started + 100, [message('send', 1200, 'b')]),
      wsEntry(URL_A, started + 200, [message('send', 1300, 'c')]),
    ];

    expect(sockets.merge(entries, started + 60_000)).toBe(true);
    const added = networkConnections(store);
    expect(added).toHaveLength(1);
    expect(added[0]!.createdAt).toBe(started + 200);
    expect(store.connectionList).toHaveLength(3);
    expect(
      store.frames.map((frame) => frame.payload?.kind === 'text' && frame.payload.text),
    ).toEqual(['c']);

    // Merged again, in another order: the claims hold, nothing more is added.
    expect(sockets.merge([...entries].reverse(), started + 70_000)).toBe(false);
    expect(store.connectionList).toHaveLength(3);
  });

  it('does not let imported connections account for an entry: only the hook can', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    // A HAR file the user loaded, holding a socket to the same URL at the same time.
    store.addImported(
      readHar({ log: { entries: [wsEntry(URL_A, started)] } }, 'file-1', 'saved.har'),
    );
    const first = wsEntry(URL_A, started, [message('send', 1100, 'a')]);
    // A second worker socket to the same URL, opened just after the first one the log added.
    const second = wsEntry(URL_A, started + 500, [message('send', 1600, 'b')]);

    expect(sockets.merge([first], started + 10_000)).toBe(true);
    expect(sockets.merge([first, second], started + 10_000)).toBe(true);
    expect(networkConnections(store).map((c) => c.createdAt)).toEqual([started, started + 500]);
    expect(store.connectionList).toHaveLength(3);
  });

  it("ignores an entry that started well before the current page (an earlier page's)", () => {
    const pageStart = T0 + 60_000;
    const store = pageSession(pageStart);
    const sockets = new NetworkSockets(store);
    const earlier = wsEntry(URL_A, pageStart - NETWORK_MATCH_MS - 1, [message('send', 0, 'old')]);
    const justInTime = wsEntry(URL_B, pageStart - NETWORK_MATCH_MS, [message('send', 1, 'new')]);

    expect(sockets.merge([earlier], pageStart + 60_000)).toBe(false);
    expect(store.connectionList).toEqual([]);
    expect(sockets.merge([earlier, justInTime], pageStart + 60_000)).toBe(true);
    expect(store.connectionList.map((c) => c.url)).toEqual([URL_B]);

    // More messages on the earlier page's entry still change nothing.
    const grown = wsEntry(URL_A, pageStart - NETWORK_MATCH_MS - 1, [
      message('send', 0, 'old'),
      message('send', 61_000, 'older page, new message'),
    ]);
    expect(sockets.merge([grown], pageStart + 70_000)).toBe(false);
    expect(store.connectionList.map((c) => c.url)).toEqual([URL_B]);
  });

  it('ignores entries that are not WebSockets, or are malformed, without throwing', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const at = T0 + 1000;
    const withoutRequest = wsEntry(URL_A, at);
    delete withoutRequest.request;
    const withoutUrl = wsEntry(URL_A, at);
    delete (withoutUrl.request as Record<string, unknown>).url;
    const numericUrl = wsEntry(URL_A, at);
    (numericUrl.request as Record<string, unknown>).url = 42;
    const badDate = { ...wsEntry(URL_A, at), startedDateTime: 'yesterday' };
    const noDate = wsEntry(URL_A, at);
    delete noDate.startedDateTime;
    const numericDate = { ...wsEntry(URL_A, at), startedDateTime: at };
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'entry',
      [],
      {},
      httpEntry('https://app.test/', at),
      { ...httpEntry('https://app.test/api', at), _resourceType: 'fetch' },
      withoutRequest,
      withoutUrl,
      numericUrl,
      badDate,
      noDate,
      numericDate,
    ];
    const now = at + 60_000;

    expect(sockets.merge(junk, now)).toBe(false);
    expect(store.connectionList).toEqual([]);
    expect(store.frames).toEqual([]);

    // Among them, a well-formed entry is still taken.
    const good = wsEntry(URL_B, at, [message('receive', 1500, 'ok')]);
    expect(sockets.merge([...junk, good, null], now)).toBe(true);
    expect(store.connectionList.map((c) => c.url)).toEqual([URL_B]);
    expect(store.frames).toHaveLength(1);
    expect(sockets.merge([], now)).toBe(false);
  });

  it('ignores a startedDateTime that is a date but not ISO 8601, without throwing', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const at = T0 + 1000;
    const rfcDate = { ...wsEntry(URL_A, at), startedDateTime: new Date(at).toUTCString() };
    const good = wsEntry(URL_B, at, [message('receive', 1500, 'ok')]);

    expect(() => sockets.merge([rfcDate, good], at + 60_000)).not.toThrow();
    expect(store.connectionList.map((c) => c.url)).toContain(URL_B);
  });

  it('ignores an entry with a malformed message, without throwing', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const at = T0 + 1000;
    const broken = wsEntry(URL_A, at);
    broken._webSocketMessages = [null];
    const good = wsEntry(URL_B, at, [message('receive', 1500, 'ok')]);

    expect(() => sockets.merge([broken, good], at + 60_000)).not.toThrow();
    expect(store.connectionList.map((c) => c.url)).toEqual([URL_B]);
  });

  it('counts an error message arriving on a later merge as the first merge does', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const error: Message = { type: 'error', time: (T0 + 6000) / 1000, opcode: -1, data: 'reset' };
    const first = [message('send', 1500, 'one')];
    sockets.merge([wsEntry(URL_A, started, first)], T0 + 5000);
    expect(sockets.merge([wsEntry(URL_A, started, [...first, error])], T0 + 7000)).toBe(true);

    const [connection] = store.connectionList;
    expect(store.frames.map((frame) => frame.kind)).toEqual(['sent', 'error']);
    expect(connection!.errors).toBe(1);
  });

  it('returns false when the only new messages are control frames', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    const first = [message('send', 1500, 'one')];
    sockets.merge([wsEntry(URL_A, started, first)], T0 + 5000);
    const close: Message = { type: 'receive', time: (T0 + 6000) / 1000, opcode: 8, data: '' };
    const revision = store.revision;

    expect(sockets.merge([wsEntry(URL_A, started, [...first, close])], T0 + 7000)).toBe(false);
    expect(store.revision).toBe(revision);
  });

  it('returns true only when the session changed', () => {
    const store = pageSession();
    const sockets = new NetworkSockets(store);
    const started = T0 + 1000;
    hook(store, [hookCreated(1, URL_B, started)]);
    const hooked = wsEntry(URL_B, started, [message('send', 1100, 'h')]);
    const unseen = wsEntry(URL_A, started + 10, [message('send', 1100, 'u')]);
    const young = wsEntry(URL_A, started + 5000);

    const changes: boolean[] = [];
    const merge = (entries: unknown[], now: number) => {
      const revision = store.revision;
      const changed = sockets.merge(entries, now);
      expect(store.revision !== revision).toBe(changed);
      changes.push(changed);
    };
    merge([hooked, young], started + 100); // hooked; young too new
    merge([hooked, unseen, young], started + 4000); // unseen added; young still too new
    merge([hooked, unseen, young], started + 4500); // nothing new
    merge([hooked, unseen, young], started + 8000); // young added
    merge([httpEntry('https://app.test/', started)], started + 9000);
    expect(changes).toEqual([false, true, false, true, false]);
    expect(networkConnections(store).map((c) => c.createdAt)).toEqual([
      started + 10,
      started + 5000,
    ]);
  });
});
