import { describe, expect, it } from 'vitest';
import { SearchAhead } from '../../src/session/search-ahead';
import { searchableHex, searchableText } from '../../src/session/searchable-text';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { binary, created, received, sent, sequence, text } from './session-fixtures';

/** A session of `count` frames, every third one binary. */
function session(count: number) {
  const store = new SessionStore();
  store.addDocument({ documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 });
  const frames = Array.from({ length: count }, (_, i) =>
    i % 3 === 0 ? sent(1, binary([i & 255, 0x0a, 0xff])) : received(1, text(`t${i}`)),
  );
  applyEvents(store, 'd', sequence([created(1), ...frames]), 0, 0);
  return store;
}

const built = (store: SessionStore) =>
  store.frames.filter((frame) => frame.payload?.kind === 'binary' && frame.payload.searchedHex)
    .length;

describe('searched hex built ahead', () => {
  it('builds every binary frame the filters will search, as they search it', () => {
    const store = session(30);
    expect(new SearchAhead().run(store.frames, () => 10)).toBe(false);
    expect(built(store)).toBe(10);
    const first = store.frames[0]!;
    expect(searchableText(first)).toBe('00 0a ff');
    expect(first.payload?.kind === 'binary' && first.payload.searchedHex).toBe('00 0a ff');
  });

  it('stops when its time is up, and goes on from there', () => {
    const store = session(5000);
    let clock = 2;
    const ahead = new SearchAhead();
    // The clock is read once per 1,024 frames: two reads with time left, then none.
    expect(ahead.run(store.frames, () => clock--)).toBe(true);
    expect(built(store)).toBe(Math.ceil(2048 / 3));
    expect(ahead.run(store.frames, () => 1)).toBe(false);
    expect(built(store)).toBe(Math.ceil(5000 / 3));
  });

  it('writes hex as filters and the hex view expect it, up to the searched length', () => {
    expect(searchableHex(new Uint8Array([]))).toBe('');
    expect(searchableHex(new Uint8Array([0, 0x7f, 0x80, 0xff]))).toBe('00 7f 80 ff');
    const long = searchableHex(new Uint8Array(5000).fill(0xab));
    expect(long).toBe(Array(1024).fill('ab').join(' '));
  });
});
