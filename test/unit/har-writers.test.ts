/**
 * HAR files as other tools write them (one fixture per writer, in test/fixtures/har-writers/,
 * shaped after each writer's export code): what each does differently, and that the import
 * reads it as the writer meant.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importNotice } from '../../src/panel/SessionFiles';
import { harBlob } from '../../src/session/har/har-export';
import {
  HarImportError,
  type ImportedSession,
  parseHar,
  timeScale,
} from '../../src/session/har/har-import';
import { SessionStore } from '../../src/session/session-store';

interface ExportedEntry {
  startedDateTime: string;
  request: { url: string };
  response: { status: number; statusText: string };
  _closedAt?: number;
  _webSocketMessages: Array<{ type: string; time: number; opcode: number; data: string }>;
}

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
}

function imported(name: string): ImportedSession {
  return parseHar(fixture(name), 'import-1', name.split('/').at(-1)!);
}

/** Imports into a session and exports it again, as the panel does. */
async function exported(session: ImportedSession): Promise<ExportedEntry[]> {
  const store = new SessionStore();
  store.addImported(session);
  const har = JSON.parse(await (await harBlob(store, { scope: 'session' })).text());
  return har.log.entries;
}

const payloads = (session: ImportedSession) =>
  session.frames.map((frame) =>
    frame.payload?.kind === 'text'
      ? frame.payload.text
      : frame.payload && Buffer.from(frame.payload.bytes).toString('base64'),
  );

describe('HAR files from other writers', () => {
  it('Playwright: message times in epoch milliseconds are read as such, and said so', async () => {
    const session = imported('har-writers/playwright.har');
    expect(session.skippedEntries).toBe(1);
    expect(session.convertedTimeEntries).toBe(1);
    const [book, refused] = session.connections;
    expect(book).toMatchObject({
      url: 'ws://127.0.0.1:8080/book?symbol=ACME',
      pageUrl: 'Order book',
      createdAt: Date.parse('2026-11-02T09:15:00.250Z'),
      protocols: ['book.v2', 'book.v1'],
      protocol: 'book.v2',
      state: 'closed',
      sent: { count: 2, bytes: 21 },
      received: { count: 2, bytes: 31 },
    });
    expect(session.frames.map((frame) => frame.time)).toEqual([
      1_793_610_900_262.5, 1_793_610_900_301.25, 1_793_610_901_512, 1_793_610_902_012.5,
    ]);
    expect(refused).toMatchObject({ state: 'failed', url: 'ws://127.0.0.1:8080/admin' });
    expect(importNotice(session, 'pw.har')).toBe(
      'Imported 2 connections and 4 frames from pw.har (1 non-WebSocket entries skipped; frame ' +
        'times of 1 connections were in milliseconds, as Playwright writes them, and were converted).',
    );

    const [bookOut, refusedOut] = await exported(session);
    expect(bookOut!.startedDateTime).toBe('2026-11-02T09:15:00.250Z');
    // Epoch seconds again, to the microsecond.
    expect(bookOut!._webSocketMessages.map((message) => Math.round(message.time * 1e6))).toEqual([
      1_793_610_900_262_500, 1_793_610_900_301_250, 1_793_610_901_512_000, 1_793_610_902_012_500,
    ]);
    expect(bookOut!.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
    expect(refusedOut!.response).toMatchObject({ status: 403, statusText: 'Forbidden' });
  });

  it('Playwright, minimal mode: messages without a time (-1) stay in order at the start', () => {
    const session = imported('har-writers/playwright-minimal.har');
    const createdAt = Date.parse('2026-11-02T10:00:00.500Z');
    expect(session.connections[0]!.createdAt).toBe(createdAt);
    expect(session.untimedMessages).toBe(3);
    expect(session.convertedTimeEntries).toBe(0);
    expect(session.frames.map((frame) => frame.time)).toEqual([createdAt, createdAt, createdAt]);
    expect(payloads(session)).toEqual(['hello', 'hello yourself', 'bye']);
    expect(importNotice(session, 'min.har')).toContain(
      "3 frames had no time and are shown at their connection's start",
    );
  });

  it("Playwright, content 'attach': messages in a separate file are reported as not read", () => {
    const session = imported('har-writers/playwright-attach.har');
    expect(session.connections).toHaveLength(1);
    expect(session.frames).toEqual([]);
    expect(session.detachedEntries).toBe(1);
    expect(importNotice(session, 'a.har')).toContain(
      'frames of 1 connections are in separate files the HAR names, not read',
    );
  });

  it("mitmproxy: the flow's https URL, microsecond start with +00:00, seconds", () => {
    const session = imported('har-writers/mitmproxy.har');
    expect(session.convertedTimeEntries).toBe(0);
    expect(session.connections[0]).toMatchObject({
      url: 'wss://chat.example.test/socket?room=general',
      createdAt: Date.parse('2026-11-03T14:20:05.123Z'),
      protocols: ['chat.v1', 'json'],
      protocol: 'chat.v1',
      state: 'closed',
    });
    expect(session.frames.map((frame) => frame.time)).toEqual([
      1_793_715_605_201.312, 1_793_715_605_245.907, 1_793_715_606_500,
    ]);
    expect(session.frames[2]!.payload).toMatchObject({ kind: 'binary', size: 4 });
  });

  it("HTTP Toolkit: its close (code, reason, 'aborted') and close time from the entry's time", () => {
    const session = imported('har-writers/http-toolkit.har');
    const [closed, aborted] = session.connections;
    const start = Date.parse('2026-11-04T11:30:00.100+01:00');
    // `_webSocketClose.timestamp` is on HTTP Toolkit's monotonic clock: not used.
    expect(closed).toMatchObject({
      url: 'wss://feed.example.test/live',
      createdAt: start,
      closedAt: start + 5400,
      close: { code: 1000, reason: 'bye', wasClean: true, initiator: 'unknown' },
    });
    expect(aborted!.close).toEqual({
      code: 1006,
      reason: '',
      wasClean: false,
      initiator: 'unknown',
    });
    expect(aborted!.closedAt).toBeUndefined();
    const frames = session.frames.filter((frame) => frame.connectionKey === closed!.key);
    expect(frames.map((frame) => [frame.kind, frame.time])).toEqual([
      ['sent', 1_793_788_200_231.5],
      ['received', 1_793_788_200_300],
      ['received', 1_793_788_204_750],
      ['closed', start + 5400],
    ]);
  });

  it('Firefox: a handshake entry without _resourceType or messages is still a connection', async () => {
    const session = imported('har-writers/firefox.har');
    expect(session.skippedEntries).toBe(1);
    expect(session.frames).toEqual([]);
    expect(session.connections).toHaveLength(1);
    expect(session.connections[0]).toMatchObject({
      url: 'ws://127.0.0.1:8080/socket?room=lobby',
      pageUrl: 'http://127.0.0.1:8080/chat',
      createdAt: Date.parse('2026-11-05T07:45:10.500Z'),
      protocols: ['chat.v1', 'json'],
      protocol: 'chat.v1',
      extensions: 'permessage-deflate',
      state: 'closed',
    });
    const [entry] = await exported(session);
    expect(entry!.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
  });

  it("Chrome: the file's 101 survives import and export (Chrome writes no _openedAt)", async () => {
    const first = await exported(imported('chrome-devtools-websocket.har'));
    expect(first[0]!.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
    const again = await exported(
      parseHar(JSON.stringify({ log: { entries: first } }), 'import-2', 'again.har'),
    );
    expect(again[0]!.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
  });
});

function entry(fields: object): string {
  return JSON.stringify({
    log: { entries: [{ _resourceType: 'websocket', request: { url: 'ws://a/' }, ...fields }] },
  });
}

const MS = [1_793_610_900_262.5, 1_793_610_901_512];
const messages = (times: number[]) =>
  times.map((time) => ({ type: 'receive', time, opcode: 1, data: 'x' }));

describe('message time units', () => {
  it.each([
    ['milliseconds, with a start', '2026-11-02T09:15:00.250Z', MS, 1],
    ['seconds, with a start a day off', '2026-11-03T09:15:00.250Z', [1_793_610_900.2625], 1000],
    ['milliseconds, without a start', undefined, MS, 1],
    ['milliseconds, with a 1970 start', '1970-01-01T00:00:00Z', MS, 1],
    ['seconds, without a start', undefined, [1_793_610_900.2625], 1000],
    ['seconds, with a start that is no date', 'soon', [1_793_610_900.2625], 1000],
    ['small seconds, as hand-written files have them', '2026-01-01T00:00:00Z', [1, 2], 1000],
  ])('reads %s', (_, startedDateTime, times, scale) => {
    const session = parseHar(
      entry({ startedDateTime, _webSocketMessages: messages(times) }),
      'i',
      'x.har',
    );
    expect(session.frames.map((frame) => frame.time)).toEqual(times.map((time) => time * scale));
    expect(session.convertedTimeEntries).toBe(scale === 1 ? 1 : 0);
    const start = startedDateTime === undefined ? Number.NaN : Date.parse(startedDateTime);
    // Without a plausible start, the connection starts with its first frame.
    expect(session.connections[0]!.createdAt).toBe(
      start > 1e11 ? start : Math.min(...times) * scale,
    );
  });

  it('decides per entry, and an entry without messages converts nothing', () => {
    const session = parseHar(
      JSON.stringify({
        log: {
          entries: [
            {
              _resourceType: 'websocket',
              request: { url: 'ws://a/' },
              startedDateTime: '2026-11-02T09:15:00Z',
            },
            {
              _resourceType: 'websocket',
              request: { url: 'ws://b/' },
              startedDateTime: '2026-11-02T09:15:00Z',
              _webSocketMessages: messages([1_793_610_900.5]),
            },
          ],
        },
      }),
      'i',
      'x.har',
    );
    expect(session.convertedTimeEntries).toBe(0);
    expect(session.frames[0]!.time).toBe(1_793_610_900_500);
  });

  it('refuses an entry with no start and nothing to take one from', () => {
    expect(() => parseHar(entry({ startedDateTime: 'yesterday' }), 'i', 'x.har')).toThrow(
      new HarImportError(
        'expected an ISO 8601 date, found "yesterday"',
        'log.entries[0].startedDateTime',
      ),
    );
  });

  it('takes the median, so one stray time does not flip the unit', () => {
    expect(timeScale([1_793_610_900.1, 1_793_610_900.2, 1_793_610_900_300], undefined)).toBe(1000);
    expect(timeScale([], Date.now())).toBe(1000);
    expect(timeScale([-1, 0], Date.now())).toBe(1000);
  });
});
