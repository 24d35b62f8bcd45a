import { describe, expect, it } from 'vitest';
import { RECORD_RECEIVED, WIRE_BINARY } from '../../src/protocol/event-records';
import { closeCodeMeaning } from '../../src/session/close-codes';
import { hexDumpLine, hexDumpLineCount } from '../../src/session/hex-dump';
import { jsonPath, parseJsonPayload } from '../../src/session/json-path';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { closed, created, received, sent, sequence, text } from './session-fixtures';

const doc = (documentId: string, startedAt: number, frameId = 0) => ({
  documentId,
  url: `http://page.test/${documentId}`,
  startedAt,
  frameId,
});

describe('SessionStore controls', () => {
  it('counts frames that arrive while paused instead of keeping them, and keeps following sockets', () => {
    const store = new SessionStore();
    store.addDocument(doc('d', 1));
    store.paused = true;
    applyEvents(
      store,
      'd',
      sequence([created(1), sent(1, text('a')), received(1, text('b'))]),
      0,
      0,
    );
    store.paused = false;
    applyEvents(store, 'd', sequence([sent(1, text('c'))], 3), 0, 0);
    expect(store.notRecorded).toBe(2);
    expect(
      store.frames.map((frame) => frame.payload?.kind === 'text' && frame.payload.text),
    ).toEqual(['c']);
    expect(store.connectionList).toHaveLength(1);
  });

  it('clears every frame and ended connection, keeping live ones for their later frames', () => {
    const store = new SessionStore();
    store.addDocument(doc('d', 1));
    applyEvents(
      store,
      'd',
      sequence([created(1), created(2), sent(1, text('a')), closed(2)]),
      0,
      0,
    );
    store.clear();
    expect(store.frames).toHaveLength(0);
    expect(store.connectionList.map((connection) => connection.id)).toEqual([1]);
    expect(store.connectionList[0]!.sent.count).toBe(0);
    applyEvents(store, 'd', sequence([sent(1, text('after'))], 4), 0, 0);
    expect(store.frames).toHaveLength(1);
  });

  it('forgets earlier documents when the top frame navigates, unless the log is preserved', () => {
    const store = new SessionStore();
    store.addDocument(doc('old', 1));
    applyEvents(store, 'old', sequence([created(1), sent(1, text('old'))]), 0, 0);
    store.addDocument(doc('new', 5));
    expect(store.connectionList).toHaveLength(0);
    expect(store.frames).toHaveLength(0);
    store.preserveLog = true;
    applyEvents(store, 'new', sequence([created(1), sent(1, text('new'))]), 0, 0);
    store.addDocument(doc('newer', 9));
    store.addDocument(doc('child-of-newer', 10, 4));
    expect(store.connectionList.map((connection) => connection.pageUrl)).toEqual([
      'http://page.test/new',
    ]);
    expect(store.frames).toHaveLength(1);
  });

  it('drops the oldest payloads beyond the memory budget and counts them', () => {
    const store = new SessionStore();
    store.memoryBudget = 10;
    store.addDocument(doc('d', 1));
    applyEvents(
      store,
      'd',
      sequence([created(1), sent(1, text('abc')), sent(1, text('def')), sent(1, text('ghi'))]),
      0,
      0,
    );
    expect(store.frames.map((frame) => frame.payloadEvicted ?? false)).toEqual([true, true, false]);
    expect(store.evictedFrames).toBe(2);
    expect(store.evictedBytes).toBe(6);
    expect(store.payloadBytes).toBeLessThanOrEqual(10);
  });
});

describe('the memory budget', () => {
  /** A session that took `count` binary frames of `size` bytes, each way binary arrives. */
  function withBinaryFrames(budget: number, count: number, size: number): SessionStore[] {
    const bytes = Array.from({ length: size }, (_, i) => i % 256);
    return [Buffer.from(bytes).toString('base64'), Uint8Array.from(bytes).buffer].map((data) => {
      const store = new SessionStore();
      store.memoryBudget = budget;
      store.addDocument(doc('d', 1));
      applyEvents(store, 'd', sequence([created(1)]), 0, 0);
      const records: unknown[] = [];
      for (let i = 0; i < count; i++) {
        const payload = [WIRE_BINARY, typeof data === 'string' ? data : data.slice(0), size, size];
        records.push(RECORD_RECEIVED, 1, 5 + i, payload, 0, 0);
      }
      store.applyRecords('d', 1, records, [], 0, 0);
      return store;
    });
  }

  it("counts a binary payload's bytes and their searched hex, not the length of its base64", () => {
    // 3 frames of 300 bytes, each with its 900 characters of hex, fit 3,600 bytes exactly.
    for (const store of withBinaryFrames(3600, 3, 300)) {
      expect(store.payloadBytes).toBe(3600);
      expect(store.evictedFrames).toBe(0);
    }
  });

  it('drops the oldest binary payloads beyond the budget, counting their bytes', () => {
    for (const store of withBinaryFrames(4000, 5, 300)) {
      expect(store.frames.map((frame) => frame.payloadEvicted)).toEqual([
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(store.evictedBytes).toBe(600);
      expect(store.payloadBytes).toBe(3600);
      const evicted = store.frames[0]!.payload;
      expect(evicted).toMatchObject({ kind: 'binary', size: 300, originalSize: 300 });
      expect(evicted?.kind === 'binary' && evicted.bytes.byteLength).toBe(0);
    }
  });
});

describe('formatting helpers', () => {
  it('names close codes and their ranges', () => {
    expect(closeCodeMeaning(1000)).toBe('normal closure');
    expect(closeCodeMeaning(1006)).toBe('abnormal closure (no close frame)');
    expect(closeCodeMeaning(1015)).toBe('TLS handshake failure');
    expect(closeCodeMeaning(2000)).toBe('reserved for the protocol');
    expect(closeCodeMeaning(3001)).toBe('library or framework');
    expect(closeCodeMeaning(4001)).toBe('application');
  });

  it('dumps bytes as offset, hex and ASCII', () => {
    const bytes = new Uint8Array([...Buffer.from('Hello, WebSocket!'), 0, 255]);
    expect(hexDumpLineCount(bytes.length)).toBe(2);
    expect(hexDumpLine(bytes, 0)).toBe(
      '00000000  48 65 6c 6c 6f 2c 20 57  65 62 53 6f 63 6b 65 74  |Hello, WebSocket|',
    );
    expect(hexDumpLine(bytes, 1)).toBe(
      `00000010  21 00 ff ${'   '.repeat(5)} ${'   '.repeat(8)} |!..|`,
    );
  });

  it('writes JSON paths and parses only JSON objects and arrays', () => {
    expect(jsonPath(['a', 0, 'b c', '$ok'])).toBe('$.a[0]["b c"].$ok');
    expect(parseJsonPayload(' {"a":1}')).toEqual({ a: 1 });
    expect(parseJsonPayload('42')).toBeUndefined();
    expect(parseJsonPayload('{broken')).toBeUndefined();
  });
});
