import { describe, expect, it } from 'vitest';
import { RECORD_RECEIVED, WIRE_BINARY } from '../../src/protocol/event-records';
import { FilteredFrames } from '../../src/session/filtered-frames';
import { compileFilter, EMPTY_FILTER, type FilterSpec } from '../../src/session/frame-filter';
import { SEARCHED_BINARY_BYTES } from '../../src/session/searchable-text';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { binary, closed, created, received, sent, sequence, text } from './session-fixtures';

function session() {
  const store = new SessionStore();
  store.addDocument({ documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 });
  applyEvents(
    store,
    'd',
    sequence([
      created(1),
      created(2),
      sent(1, text('{"type":"subscribe","channel":"Prices"}')),
      received(1, text('{"type":"price","value":42}')),
      sent(2, binary([0xde, 0xad, 0xbe, 0xef])),
      received(2, text('hello world')),
      closed(2, 4001, 'bye now'),
    ]),
    0,
    0,
  );
  return store;
}

function kindsMatching(spec: Partial<FilterSpec>): string[] {
  const store = session();
  const compiled = compileFilter({ ...EMPTY_FILTER, ...spec });
  if (!compiled.predicate) throw new Error(compiled.error);
  return store.frames
    .filter(compiled.predicate)
    .map((frame) => `${frame.kind}:${frame.connectionKey.slice(-1)}`);
}

describe('compileFilter', () => {
  it('matches text anywhere in the payload, ignoring case unless asked', () => {
    expect(kindsMatching({ query: 'prices' })).toEqual(['sent:1']);
    expect(kindsMatching({ query: 'prices', caseSensitive: true })).toEqual([]);
  });

  it('treats the query literally unless it is a regular expression', () => {
    expect(kindsMatching({ query: '"type":"p.*"' })).toEqual([]);
    expect(kindsMatching({ query: '"type":"p\\w+"', regex: true })).toEqual(['received:1']);
  });

  it('reports an invalid regular expression instead of a predicate', () => {
    const compiled = compileFilter({ ...EMPTY_FILTER, query: '(unclosed', regex: true });
    expect(compiled.error).toMatch(/unterminated|missing|\)/i);
  });

  it('inverts only the query, still honouring direction, type and connection', () => {
    expect(kindsMatching({ query: 'type', invert: true, direction: 'received' })).toEqual([
      'received:2',
      'closed:2',
    ]);
  });

  it('filters by direction, type and connection', () => {
    expect(kindsMatching({ direction: 'sent' })).toEqual(['sent:1', 'sent:2']);
    expect(kindsMatching({ types: ['binary', 'close'] })).toEqual(['sent:2', 'closed:2']);
    expect(kindsMatching({ connectionKey: 'd#2' })).toEqual(['sent:2', 'received:2', 'closed:2']);
  });

  it('searches binary frames by their bytes in hex and closes by code and reason', () => {
    expect(kindsMatching({ query: 'ad be' })).toEqual(['sent:2']);
    expect(kindsMatching({ query: '4001 bye' })).toEqual(['closed:2']);
  });
});

describe('searching binary frames', () => {
  /** One binary frame each way it can arrive: base64 (JSON ports) and bytes (ports that clone). */
  function binarySessions(bytes: number[]): SessionStore[] {
    return [Buffer.from(bytes).toString('base64'), Uint8Array.from(bytes).buffer].map((data) => {
      const store = new SessionStore();
      store.addDocument({ documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 });
      applyEvents(store, 'd', sequence([created(1)]), 0, 0);
      const record = [WIRE_BINARY, data, bytes.length, bytes.length];
      store.applyRecords('d', 1, [RECORD_RECEIVED, 1, 5, record, 0, 0], [], 0, 0);
      return store;
    });
  }

  const matches = (store: SessionStore, spec: Partial<FilterSpec>) => {
    const compiled = compileFilter({ ...EMPTY_FILTER, ...spec });
    if (!compiled.predicate) throw new Error(compiled.error);
    return store.frames.filter(compiled.predicate).length;
  };

  it('finds bytes by their hex, and never by text the bytes spell, however they arrived', () => {
    // "Hi!" then bytes no text holds.
    for (const store of binarySessions([0x48, 0x69, 0x21, 0x00, 0xff])) {
      expect(matches(store, { query: '69 21 00' })).toBe(1);
      expect(matches(store, { query: '00 FF' })).toBe(1);
      expect(matches(store, { query: '^48 69', regex: true })).toBe(1);
      expect(matches(store, { query: '21 ff' })).toBe(0);
      expect(matches(store, { query: 'Hi!' })).toBe(0);
      expect(matches(store, { query: 'Hi!', invert: true })).toBe(1);
    }
  });

  it(`searches the first ${SEARCHED_BINARY_BYTES} bytes of a long payload`, () => {
    const bytes = Array.from({ length: SEARCHED_BINARY_BYTES + 4 }, () => 0x11);
    bytes[SEARCHED_BINARY_BYTES - 1] = 0xab;
    bytes[SEARCHED_BINARY_BYTES] = 0xcd;
    for (const store of binarySessions(bytes)) {
      expect(matches(store, { query: '11 ab' })).toBe(1);
      expect(matches(store, { query: 'ab cd' })).toBe(0);
    }
  });
});

describe('FilteredFrames', () => {
  it('re-scans in slices, yielding between them, and then follows new frames', async () => {
    const store = session();
    const view = new FilteredFrames();
    const compiled = compileFilter({ ...EMPTY_FILTER, direction: 'received' });
    let yields = 0;
    const done = await view.refilter(
      store.frames,
      compiled.predicate!,
      async () => {
        yields++;
      },
      undefined,
      { sliceSize: 2, sliceMs: 0 },
    );
    expect(done).toBe(true);
    expect(yields).toBe(2);
    expect(view.matches.map((frame) => frame.kind)).toEqual(['received', 'received', 'closed']);
    applyEvents(store, 'd', sequence([received(1, text('late'))], 7), 0, 0);
    view.extend(store.frames);
    expect(view.matches).toHaveLength(4);
  });

  it('yields only once its slices have taken their time', async () => {
    const store = session();
    const view = new FilteredFrames();
    // A clock that moves 2 ms a read: slices of one frame, a yield once 5 ms have passed.
    let clock = 0;
    const yieldsAt: number[] = [];
    const done = await view.refilter(
      store.frames,
      () => true,
      async () => {
        yieldsAt.push(view.scanned);
      },
      undefined,
      { sliceSize: 1, sliceMs: 5, now: () => (clock += 2) },
    );
    expect(done).toBe(true);
    expect(yieldsAt).toEqual([3]);
    expect(view.matches).toEqual(store.frames);
  });

  it('abandons a re-scan that a newer filter superseded', async () => {
    const store = session();
    const view = new FilteredFrames();
    let release: () => void = () => undefined;
    const first = view.refilter(
      store.frames,
      () => true,
      () =>
        new Promise((resolve) => {
          release = resolve;
        }),
      undefined,
      { sliceSize: 1, sliceMs: 0 },
    );
    const second = view.refilter(
      store.frames,
      (frame) => frame.kind === 'sent',
      async () => undefined,
      undefined,
      { sliceSize: 1, sliceMs: 0 },
    );
    release();
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect(view.matches.map((frame) => frame.kind)).toEqual(['sent', 'sent']);
  });
});
