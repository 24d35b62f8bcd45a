import { describe, expect, it } from 'vitest';
import { FilteredFrames } from '../../src/session/filtered-frames';
import { compileFilter, EMPTY_FILTER } from '../../src/session/frame-filter';
import { harBlob } from '../../src/session/har/har-export';
import { parseHar } from '../../src/session/har/har-import';
import type { Frame } from '../../src/session/session-model';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, sent, sequence, text } from './session-fixtures';

/** A session with a top document and an iframe document, each with one open connection. */
function twoDocuments(): SessionStore {
  const store = new SessionStore();
  store.addDocument({ documentId: 'top', url: 'https://a.test/', startedAt: 1, frameId: 0 });
  store.addDocument({ documentId: 'ifr', url: 'https://b.test/', startedAt: 2, frameId: 4 });
  applyEvents(store, 'top', sequence([created(1, 'wss://a.test/top')]));
  applyEvents(store, 'ifr', sequence([created(1, 'wss://b.test/ifr')]));
  return store;
}

/** Sends of `payloads` at `times`, as one batch of a document starting at `seq`. */
function batch(store: SessionStore, documentId: string, seq: number, times: number[]): void {
  applyEvents(
    store,
    documentId,
    sequence(
      times.map((time) => sent(1, text(`${documentId}@${time}`), time)),
      seq,
    ),
  );
}

const payloads = (frames: readonly Frame[]) =>
  frames.map((frame) => (frame.payload?.kind === 'text' ? frame.payload.text : frame.kind));

/** Every frame's index is its position: what the table shows as data-index. */
function expectIndexed(frames: readonly Frame[]): void {
  expect(frames.map((frame) => frame.index)).toEqual(frames.map((_, position) => position));
}

describe('frame order', () => {
  it('lists interleaved batches of two documents in time order', () => {
    const store = twoDocuments();
    batch(store, 'top', 1, [2000, 2010, 2030]);
    // The iframe's batch comes later but carries times between the top document's.
    batch(store, 'ifr', 1, [2005, 2020, 2040]);
    batch(store, 'top', 4, [2035]);
    expect(store.frames.map((frame) => frame.time)).toEqual([
      2000, 2005, 2010, 2020, 2030, 2035, 2040,
    ]);
    expect(store.frames.map((frame) => frame.connectionKey)).toEqual([
      'top#1',
      'ifr#1',
      'top#1',
      'ifr#1',
      'top#1',
      'top#1',
      'ifr#1',
    ]);
    expectIndexed(store.frames);
  });

  it('keeps arrival order among frames of equal times', () => {
    const store = twoDocuments();
    batch(store, 'top', 1, [2000, 2010, 2010, 2020]);
    batch(store, 'ifr', 1, [2010, 2010]);
    expect(payloads(store.frames)).toEqual([
      'top@2000',
      'top@2010',
      'top@2010',
      'ifr@2010',
      'ifr@2010',
      'top@2020',
    ]);
    // Arrival order, not payload order: the two equal iframe frames keep theirs too.
    const [first, second] = store.frames.filter((frame) => frame.connectionKey === 'ifr#1');
    expect(first!.index).toBeLessThan(second!.index);
    expectIndexed(store.frames);
  });

  it('with Preserve log, keeps an earlier page frames in place and places its late ones by time', () => {
    const store = twoDocuments();
    store.preserveLog = true;
    batch(store, 'top', 1, [2000, 2010]);
    store.addDocument({
      documentId: 'next',
      url: 'https://a.test/next',
      startedAt: 3000,
      frameId: 0,
    });
    applyEvents(store, 'next', sequence([created(1, 'wss://a.test/next')]));
    batch(store, 'next', 1, [3100, 3200]);
    // The earlier page's iframe flushes late, as it goes away.
    batch(store, 'ifr', 1, [2005]);
    expect(payloads(store.frames)).toEqual([
      'top@2000',
      'ifr@2005',
      'top@2010',
      'next@3100',
      'next@3200',
    ]);
    expectIndexed(store.frames);
  });

  it('merges an imported file frames by time with the frames already there', async () => {
    const recorded = twoDocuments();
    batch(recorded, 'top', 1, [2005, 2025]);
    const har = await (await harBlob(recorded, { scope: 'session' })).text();

    const store = twoDocuments();
    batch(store, 'top', 1, [2000, 2010, 2020, 2030]);
    const filter = new FilteredFrames(null);
    filter.extend(store.frames);
    store.addImported(parseHar(har, 'import-1', 'earlier.har'));
    expect(payloads(store.frames)).toEqual([
      'top@2000',
      'top@2005',
      'top@2010',
      'top@2020',
      'top@2025',
      'top@2030',
    ]);
    expect(
      store.frames.map((frame) => store.connections.get(frame.connectionKey)?.imported),
    ).toEqual([undefined, 'earlier.har', undefined, undefined, 'earlier.har', undefined]);
    expectIndexed(store.frames);
    filter.extend(store.frames);
    expect(filter.matches).toEqual(store.frames);
  });

  it('keeps the filter matches in order when a frame lands before frames already filtered', () => {
    const store = twoDocuments();
    const compiled = compileFilter({ ...EMPTY_FILTER, query: 'ifr@20' });
    const endsInFive = compileFilter({ ...EMPTY_FILTER, query: '5' });
    const filtered = new FilteredFrames(compiled.predicate);
    const all = new FilteredFrames(null);
    const fives = new FilteredFrames(endsInFive.predicate);
    const views = [filtered, all, fives];
    batch(store, 'ifr', 1, [2000, 2010]);
    batch(store, 'top', 1, [2020, 2030, 2040]);
    for (const view of views) view.extend(store.frames);
    const selected = all.matches[3]!;
    // Two late iframe batches: one among the filtered frames, then one between them again.
    batch(store, 'ifr', 3, [2015, 2035]);
    batch(store, 'ifr', 5, [2025, 2045]);
    for (const view of views) view.extend(store.frames);
    expect(payloads(filtered.matches)).toEqual([
      'ifr@2000',
      'ifr@2010',
      'ifr@2015',
      'ifr@2025',
      'ifr@2035',
      'ifr@2045',
    ]);
    expect(all.matches).toEqual(store.frames);
    expect(payloads(fives.matches)).toEqual(['ifr@2015', 'ifr@2025', 'ifr@2035', 'ifr@2045']);
    for (const view of views) expect(view.scanned).toBe(store.frames.length);
    // The selected frame is the same object, still listed, at its new position.
    expect(selected.time).toBe(2030);
    expect(all.matches.indexOf(selected)).toBe(selected.index);
    expect(store.frames[selected.index]).toBe(selected);
  });

  it('takes in frames placed while a re-filter is between slices', async () => {
    const store = twoDocuments();
    batch(
      store,
      'top',
      1,
      Array.from({ length: 10 }, (_, i) => 2000 + i * 10),
    );
    const view = new FilteredFrames();
    const compiled = compileFilter({ ...EMPTY_FILTER, query: '@20' });
    let slices = 0;
    const done = await view.refilter(
      store.frames,
      compiled.predicate ?? null,
      async () => {
        // After the first slice of four, a late frame lands among them, and one after them.
        if (slices++ === 0) batch(store, 'ifr', 1, [2015, 2065]);
      },
      () => undefined,
      { sliceSize: 4, sliceMs: 0 },
    );
    expect(done).toBe(true);
    expect(view.matches).toEqual(store.frames);
    expect(store.frames).toHaveLength(12);
  });

  it('still frees the oldest payloads first when frames are placed before others', () => {
    const store = twoDocuments();
    // Each payload is "top@20x0" or "ifr@20x5": 8 characters, 16 bytes as counted.
    store.memoryBudget = 16 * 4;
    batch(store, 'top', 1, [2000, 2010, 2020, 2030]);
    expect(store.evictedFrames).toBe(0);
    batch(store, 'ifr', 1, [2005]);
    // Over budget by one payload: the oldest, by time and position, goes.
    expect(store.frames.filter((frame) => frame.payloadEvicted).map((frame) => frame.time)).toEqual(
      [2000],
    );
    batch(store, 'top', 5, [2040]);
    expect(store.frames.filter((frame) => frame.payloadEvicted).map((frame) => frame.time)).toEqual(
      [2000, 2005],
    );
    // A late frame behind the eviction frontier is the oldest left with a payload: it goes next.
    batch(store, 'ifr', 2, [2001]);
    expect(store.frames.filter((frame) => frame.payloadEvicted).map((frame) => frame.time)).toEqual(
      [2000, 2001, 2005],
    );
    expect(store.payloadBytes).toBeLessThanOrEqual(store.memoryBudget);
    expect(store.evictedFrames).toBe(3);
    expectIndexed(store.frames);
  });
});
