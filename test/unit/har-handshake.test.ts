import { describe, expect, it } from 'vitest';
import type { Handshake } from '../../src/protocol/handshake';
import { harEntry } from '../../src/session/har/har-export';
import { applyHandshake, handshakeOf } from '../../src/session/har/har-handshake';
import { readHar } from '../../src/session/har/har-import';
import type { Connection } from '../../src/session/session-model';

const URL_A = 'wss://page.test/live?room=1';
const CREATED = 1_795_168_800_000.5;

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    key: 'doc#1',
    documentId: 'doc',
    id: 1,
    frameId: 2,
    pageUrl: 'https://page.test/',
    requestedUrl: URL_A,
    url: URL_A,
    protocols: ['chat.v1', 'json'],
    protocol: 'chat.v1',
    extensions: 'permessage-deflate',
    state: 'open',
    createdAt: CREATED,
    openedAt: CREATED + 40,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
    ...overrides,
  };
}

/** What the browser reported for a socket that opened. */
function opened(): Handshake {
  return {
    requestId: '4711.12',
    frameId: 2,
    url: URL_A,
    startedAt: CREATED + 1.25,
    requestHeaders: [
      { name: 'Upgrade', value: 'websocket' },
      { name: 'Origin', value: 'https://page.test' },
      { name: 'Cookie', value: 'session=abc' },
    ],
    sentAt: CREATED + 6.5,
    status: 101,
    statusLine: 'HTTP/1.1 101 Switching Protocols',
    responseHeaders: [
      { name: 'Upgrade', value: 'websocket' },
      { name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' },
      { name: 'Sec-WebSocket-Protocol', value: 'chat.v1' },
    ],
    respondedAt: CREATED + 36.75,
    endedAt: CREATED + 37,
  };
}

/** What the browser reported for an upgrade the server refused. */
function refused(): Handshake {
  return {
    requestId: '4711.13',
    frameId: 2,
    url: URL_A,
    startedAt: CREATED + 2,
    requestHeaders: [{ name: 'Upgrade', value: 'websocket' }],
    sentAt: CREATED + 3,
    status: 403,
    statusLine: 'HTTP/1.1 403 Forbidden',
    responseHeaders: [{ name: 'Content-Type', value: 'text/plain' }],
    respondedAt: CREATED + 20,
    endedAt: CREATED + 21,
    error: 'net::ERR_FAILED',
  };
}

/** What Firefox reported for a shared worker's socket: who made it, by URL. */
function fromWorker(): Handshake {
  return {
    ...opened(),
    requestId: '88',
    originUrl: 'https://page.test/shared-worker.js',
    documentUrl: 'https://page.test/shared-worker.js?v=2',
    workerOrigin: 'https://page.test',
  };
}

/** The entry as it would be read back from a file. */
const asRead = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** The fields a HAR entry carries of a handshake (not its documentId). */
function carried(handshake: Handshake) {
  const { documentId: _, ...rest } = handshake;
  return rest;
}

describe('applyHandshake', () => {
  it("fills a refused upgrade's headers, status and timings into the entry", () => {
    const entry = harEntry(connection({ state: 'failed', openedAt: undefined }), [], undefined);
    const handshake = refused();
    applyHandshake(entry, handshake);
    expect(entry.request.headers).toEqual([{ name: 'Upgrade', value: 'websocket' }]);
    expect(entry.response).toMatchObject({
      status: 403,
      statusText: 'Forbidden',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'text/plain' }],
    });
    expect(entry.timings.blocked).toBeCloseTo(1, 9);
    expect(entry.timings.wait).toBeCloseTo(17, 9);
    expect(entry._handshake).toEqual({
      startedAt: CREATED + 2,
      sentAt: CREATED + 3,
      respondedAt: CREATED + 20,
      endedAt: CREATED + 21,
      error: 'net::ERR_FAILED',
    });
  });

  it('copies the headers, so that the entry does not share the handshake’s objects', () => {
    const entry = harEntry(connection(), [], undefined);
    const handshake = opened();
    applyHandshake(entry, handshake);
    entry.request.headers[0]!.value = 'changed';
    entry.response.headers.pop();
    expect(handshake.requestHeaders![0]!.value).toBe('websocket');
    expect(handshake.responseHeaders).toHaveLength(3);
  });

  it('takes the HTTP version from the status line', () => {
    const entry = harEntry(connection(), [], undefined);
    applyHandshake(entry, { ...opened(), statusLine: 'HTTP/2 101 Switching Protocols' });
    expect(entry.response.httpVersion).toBe('HTTP/2');
    expect(entry.response.statusText).toBe('Switching Protocols');
  });

  it('says HTTP/1.1 and no reason for a status without a status line', () => {
    const entry = harEntry(connection({ state: 'failed', openedAt: undefined }), [], undefined);
    const { statusLine: _, ...handshake } = refused();
    applyHandshake(entry, handshake);
    expect(entry.response).toMatchObject({ status: 403, statusText: '', httpVersion: 'HTTP/1.1' });
  });

  it('writes only the headers the browser reported for a handshake that failed early', () => {
    const entry = harEntry(connection({ state: 'failed', openedAt: undefined }), [], undefined);
    const before = asRead(entry);
    applyHandshake(entry, {
      requestId: 'r',
      frameId: 2,
      url: URL_A,
      startedAt: CREATED + 1,
      error: 'net::ERR_NAME_NOT_RESOLVED',
      endedAt: CREATED + 9,
    });
    // The connection asked for subprotocols, but no header was ever sent: none is made up.
    expect(before.request.headers).not.toEqual([]);
    expect(entry.request.headers).toEqual([]);
    expect(entry.response).toEqual({ ...before.response, headers: [] });
    expect(entry.response.status).toBe(0);
    // Neither sent nor answered: nothing blocked, nothing waited for.
    expect(entry.timings.blocked).toBe(0);
    expect(entry.timings.wait).toBe(0);
    expect(entry._handshake).toEqual({
      startedAt: CREATED + 1,
      endedAt: CREATED + 9,
      error: 'net::ERR_NAME_NOT_RESOLVED',
    });
  });

  it('writes the URLs Firefox gave of the document or worker that made it', () => {
    const entry = harEntry(connection(), [], undefined);
    applyHandshake(entry, fromWorker());
    expect(entry._handshake).toMatchObject({
      originUrl: 'https://page.test/shared-worker.js',
      documentUrl: 'https://page.test/shared-worker.js?v=2',
    });
    // Chrome gives neither: none is written.
    const chrome = harEntry(connection(), [], undefined);
    applyHandshake(chrome, opened());
    expect(chrome._handshake).not.toHaveProperty('originUrl');
    expect(chrome._handshake).not.toHaveProperty('documentUrl');
  });

  it('is applied by harEntry to a connection with a handshake, and only then', () => {
    const withHandshake = harEntry(connection({ handshake: opened() }), [], undefined);
    expect(withHandshake.request.headers).toEqual(opened().requestHeaders);
    expect(withHandshake._handshake?.startedAt).toBe(CREATED + 1.25);
    const without = harEntry(connection(), [], undefined);
    expect(without._handshake).toBeUndefined();
    expect(without.request.headers).toEqual([
      { name: 'Sec-WebSocket-Protocol', value: 'chat.v1, json' },
    ]);
    expect(without.timings.blocked).toBe(-1);
  });
});

describe('handshakeOf', () => {
  it('reads back the handshake of an opened connection: headers, status, times', () => {
    const handshake = { ...opened(), documentId: 'browser-doc' };
    const c = connection({ handshake });
    const entry = asRead(harEntry(c, [], undefined));
    expect(handshakeOf(entry, c, handshake.requestId)).toEqual(carried(handshake));
  });

  it('reads back the handshake of a refused upgrade, with its error', () => {
    const handshake = refused();
    const c = connection({ state: 'failed', openedAt: undefined, handshake });
    const entry = asRead(harEntry(c, [], undefined));
    const read = handshakeOf(entry, c, handshake.requestId);
    expect(read).toEqual(handshake);
    expect(read?.error).toBe('net::ERR_FAILED');
  });

  it('reads back the URLs of the document or worker that made it', () => {
    const handshake = fromWorker();
    const c = connection({ handshake });
    const read = handshakeOf(asRead(harEntry(c, [], undefined)), c, handshake.requestId);
    expect(read).toEqual(handshake);
    expect(read?.originUrl).toBe('https://page.test/shared-worker.js');
    expect(read?.documentUrl).toBe('https://page.test/shared-worker.js?v=2');
  });

  it('keeps them through a whole file, exported and imported', () => {
    const handshake = fromWorker();
    const entry = harEntry(connection({ handshake }), [], 'page_1');
    const file = asRead({ log: { version: '1.2', entries: [entry] } });
    const [imported] = readHar(file, 'import-1', 'worker.har').connections;
    expect(imported?.handshake).toMatchObject({
      originUrl: 'https://page.test/shared-worker.js',
      documentUrl: 'https://page.test/shared-worker.js?v=2',
      workerOrigin: 'https://page.test',
    });
  });

  it('ignores URLs of the wrong type, or empty', () => {
    const entry = {
      request: { headers: [{ name: 'Upgrade', value: 'websocket' }] },
      _handshake: { startedAt: 7, originUrl: 42, documentUrl: '' },
    };
    const read = handshakeOf(entry, connection(), 'x');
    expect(read).not.toHaveProperty('originUrl');
    expect(read).not.toHaveProperty('documentUrl');
  });

  it('reads back a handshake that failed without a response', () => {
    const handshake: Handshake = {
      requestId: 'r9',
      frameId: 2,
      url: URL_A,
      startedAt: CREATED + 1,
      requestHeaders: [{ name: 'Upgrade', value: 'websocket' }],
      sentAt: CREATED + 2,
      error: 'NS_ERROR_CONNECTION_REFUSED',
      endedAt: CREATED + 5,
    };
    const c = connection({
      state: 'failed',
      openedAt: undefined,
      protocols: [],
      protocol: '',
      extensions: '',
      handshake,
    });
    const entry = asRead(harEntry(c, [], undefined));
    const read = handshakeOf(entry, c, 'r9');
    expect(read).toEqual(handshake);
    expect(read).not.toHaveProperty('status');
  });

  it('takes requestId, frame and URL from the connection it is read for', () => {
    const c = connection({ handshake: opened() });
    const entry = asRead(harEntry(c, [], undefined));
    const read = handshakeOf(
      entry,
      { frameId: 9, url: 'wss://elsewhere.test/', createdAt: 0 },
      'f#3',
    );
    expect(read).toMatchObject({
      requestId: 'f#3',
      frameId: 9,
      url: 'wss://elsewhere.test/',
      startedAt: CREATED + 1.25,
    });
  });

  it("reads a Chrome recording's full headers, starting at the connection's creation", () => {
    const chromeEntry = {
      startedDateTime: '2026-11-21T18:00:00.000Z',
      time: 12,
      request: {
        method: 'GET',
        url: URL_A,
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'Host', value: 'page.test' },
          { name: 'Connection', value: 'Upgrade' },
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Sec-WebSocket-Version', value: '13' },
          { name: 'Sec-WebSocket-Key', value: 'dGhlIHNhbXBsZSBub25jZQ==' },
          { name: 'Sec-WebSocket-Protocol', value: 'chat.v1' },
        ],
        queryString: [{ name: 'room', value: '1' }],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 101,
        statusText: 'Switching Protocols',
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Connection', value: 'Upgrade' },
          { name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' },
        ],
        cookies: [],
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      _resourceType: 'websocket',
      _webSocketMessages: [],
    };
    const target = { frameId: 0, url: URL_A, createdAt: Date.parse('2026-11-21T18:00:00.000Z') };
    expect(handshakeOf(chromeEntry, target, 'chrome.har#0')).toEqual({
      requestId: 'chrome.har#0',
      frameId: 0,
      url: URL_A,
      startedAt: target.createdAt,
      requestHeaders: chromeEntry.request.headers,
      responseHeaders: chromeEntry.response.headers,
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
    });
  });

  it('gives none for an entry with only Sec-WebSocket-Protocol/Extensions headers', () => {
    const entry = {
      request: { headers: [{ name: 'Sec-WebSocket-Protocol', value: 'chat.v1, json' }] },
      response: {
        status: 101,
        statusText: 'Switching Protocols',
        httpVersion: 'HTTP/1.1',
        headers: [
          { name: 'sec-websocket-protocol', value: 'chat.v1' },
          { name: 'SEC-WEBSOCKET-EXTENSIONS', value: 'permessage-deflate' },
        ],
      },
    };
    expect(handshakeOf(entry, connection(), 'x')).toBeUndefined();
  });

  it('gives none for an export of a connection without a handshake', () => {
    const c = connection();
    const entry = asRead(harEntry(c, [], undefined));
    expect(entry.request.headers).not.toEqual([]);
    expect(handshakeOf(entry, c, 'x')).toBeUndefined();
  });

  it('gives none for an entry with no headers, or none that can be read', () => {
    expect(handshakeOf({}, connection(), 'x')).toBeUndefined();
    expect(
      handshakeOf(
        { request: { headers: 'Upgrade: websocket' }, response: { status: 101, headers: null } },
        connection(),
        'x',
      ),
    ).toBeUndefined();
    expect(
      handshakeOf(
        { request: { headers: [{ name: 'Upgrade', value: 1 }, { name: 2, value: 'x' }, null] } },
        connection(),
        'x',
      ),
    ).toBeUndefined();
  });

  it('reads a handshake from its times alone, without headers', () => {
    const entry = {
      request: { headers: [] },
      response: {},
      _handshake: { startedAt: 5, endedAt: 6 },
    };
    expect(handshakeOf(entry, connection(), 'x')).toEqual({
      requestId: 'x',
      frameId: 2,
      url: URL_A,
      startedAt: 5,
      endedAt: 6,
    });
  });

  it('skips headers it cannot read, keeping the others', () => {
    const entry = {
      request: {
        headers: [
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Broken' },
          'Origin: x',
          { name: 'Origin', value: 'https://page.test' },
        ],
      },
    };
    expect(handshakeOf(entry, connection(), 'x')?.requestHeaders).toEqual([
      { name: 'Upgrade', value: 'websocket' },
      { name: 'Origin', value: 'https://page.test' },
    ]);
  });

  it('takes no status that is not a positive whole number, and HTTP/1.1 for a missing version', () => {
    const headers = [{ name: 'Upgrade', value: 'websocket' }];
    const statusOf = (response: Record<string, unknown>) => {
      const read = handshakeOf({ request: { headers }, response }, connection(), 'x');
      return read && [read.status, read.statusLine];
    };
    expect(statusOf({ status: 0, statusText: '' })).toEqual([undefined, undefined]);
    expect(statusOf({ status: -1 })).toEqual([undefined, undefined]);
    expect(statusOf({ status: 101.5 })).toEqual([undefined, undefined]);
    expect(statusOf({ status: '101' })).toEqual([undefined, undefined]);
    expect(statusOf({ status: 403, statusText: 'Forbidden', httpVersion: '' })).toEqual([
      403,
      'HTTP/1.1 403 Forbidden',
    ]);
    expect(statusOf({ status: 403 })).toEqual([403, 'HTTP/1.1 403']);
    expect(
      statusOf({ status: 101, statusText: 'Switching Protocols', httpVersion: 'HTTP/2' }),
    ).toEqual([101, 'HTTP/2 101 Switching Protocols']);
  });

  it('ignores times and an error of the wrong type', () => {
    const entry = {
      request: { headers: [{ name: 'Upgrade', value: 'websocket' }] },
      _handshake: { startedAt: 7, sentAt: '8', respondedAt: null, endedAt: 9, error: 404 },
    };
    expect(handshakeOf(entry, connection(), 'x')).toEqual({
      requestId: 'x',
      frameId: 2,
      url: URL_A,
      startedAt: 7,
      requestHeaders: [{ name: 'Upgrade', value: 'websocket' }],
      endedAt: 9,
    });
  });

  it("starts at the connection's creation when _handshake has no start time", () => {
    const entry = {
      request: { headers: [{ name: 'Upgrade', value: 'websocket' }] },
      _handshake: { startedAt: 'soon', sentAt: 8, error: 'net::ERR_FAILED' },
    };
    expect(handshakeOf(entry, connection(), 'x')).toMatchObject({
      startedAt: CREATED,
      sentAt: 8,
      error: 'net::ERR_FAILED',
    });
  });
});
