import { describe, expect, it } from 'vitest';
import {
  DIFF_CONTEXT,
  type DiffPart,
  type DiffResult,
  diffBytes,
  diffText,
  diffTokens,
} from '../../src/session/text-diff';

const joined = (parts: DiffPart[]) => parts.map((part) => part.text).join('');
const marked = (parts: DiffPart[]) =>
  parts.filter((part) => part.kind === 'removed' || part.kind === 'added').map((part) => part.text);
const sides = (result: DiffResult) => {
  if (result.kind !== 'diff') throw new Error(`expected a diff, got ${result.kind}`);
  return result;
};

/** The length of the longest common subsequence, by the textbook table (small inputs only). */
function lcsLength<T>(a: T[], b: T[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      table[i]![j] =
        a[i - 1] === b[j - 1]
          ? table[i - 1]![j - 1]! + 1
          : Math.max(table[i - 1]![j]!, table[i]![j - 1]!);
  return table[a.length]![b.length]!;
}

describe('diffTokens', () => {
  it('finds a shortest edit script that rebuilds both inputs', () => {
    // A fixed pseudo-random sequence: the same cases on every run.
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: next() % 12 }, () => 'abc'[next() % 3]!);
      const b = Array.from({ length: next() % 12 }, () => 'abc'[next() % 3]!);
      const ops = diffTokens(a, b)!;
      const fromA = ops.filter((op) => op.kind !== 'added').map((op) => a[op.index]);
      const fromB = ops.filter((op) => op.kind === 'added' || op.kind === 'same');
      expect(fromA).toEqual(a);
      // Same tokens are indexed in `a`; with the added ones, in order, they spell `b`.
      expect(fromB.map((op) => (op.kind === 'added' ? b[op.index] : a[op.index]))).toEqual(b);
      const edits = ops.filter((op) => op.kind !== 'same').length;
      expect(edits).toBe(a.length + b.length - 2 * lcsLength(a, b));
    }
  });

  it('gives up beyond its edit bound rather than working on', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = Array.from({ length: 50 }, (_, i) => i + 100);
    expect(diffTokens(a, b, 1_000_000, 20)).toBeNull();
    expect(diffTokens(a, b, 1_000_000, 100)).not.toBeNull();
  });
});

describe('diffText', () => {
  it('says two equal texts are equal', () => {
    expect(diffText('count:3', 'count:3')).toEqual({ kind: 'equal' });
  });

  it('marks a changed number whole, on each side', () => {
    const { before, after } = sides(diffText('count:12 of 20', 'count:15 of 20'));
    expect(joined(before)).toBe('count:12 of 20');
    expect(joined(after)).toBe('count:15 of 20');
    expect(marked(before)).toEqual(['12']);
    expect(marked(after)).toEqual(['15']);
    expect(before.find((part) => part.kind === 'removed')).toEqual({
      kind: 'removed',
      text: '12',
    });
  });

  it('marks an inserted word, and nothing on the side without it', () => {
    const { before, after } = sides(diffText('hello world', 'hello big world'));
    expect(before).toEqual([{ kind: 'same', text: 'hello world' }]);
    expect(after).toEqual([
      { kind: 'same', text: 'hello ' },
      { kind: 'added', text: 'big ' },
      { kind: 'same', text: 'world' },
    ]);
  });

  it('marks JSON values that changed, keeping keys and punctuation alike', () => {
    const { before, after } = sides(
      diffText('{"id":1,"user":"ann","seq":41}', '{"id":1,"user":"bob","seq":42}'),
    );
    expect(marked(before)).toEqual(['ann', '41']);
    expect(marked(after)).toEqual(['bob', '42']);
  });

  it('never cuts a character made of two UTF-16 units in two', () => {
    const { before, after } = sides(diffText('a😀b', 'a😁b'));
    expect(marked(before)).toEqual(['😀']);
    expect(marked(after)).toEqual(['😁']);
  });

  it('compares 1 MiB payloads that differ in one place, showing the change with some context', () => {
    const half = 'x'.repeat(512 * 1024);
    const { before, after } = sides(diffText(`${half} 1 ${half}`, `${half} 2 ${half}`));
    expect(marked(before)).toEqual(['1']);
    expect(marked(after)).toEqual(['2']);
    // The shared start and end are left out but for the characters next to the change.
    expect(before.map((part) => part.kind)).toEqual([
      'elided',
      'same',
      'removed',
      'same',
      'elided',
    ]);
    expect(before[0]!.text).toBe(`${512 * 1024 + 1 - DIFF_CONTEXT} characters alike`);
    expect(before[1]!.text).toBe(`${'x'.repeat(DIFF_CONTEXT - 1)} `);
    expect(joined(after).length).toBeLessThan(400);
  });

  it('keeps a short shared run between two changes whole, and elides a long one', () => {
    const short = sides(diffText('a 1 b 2', 'a 3 b 4'));
    expect(short.after.map((part) => part.text)).toEqual(['a ', '3', ' b ', '4']);
    const gap = 'y '.repeat(200);
    const long = sides(diffText(`1 ${gap}2`, `3 ${gap}4`));
    expect(long.before.map((part) => part.kind)).toEqual([
      'removed',
      'same',
      'elided',
      'same',
      'removed',
    ]);
    expect(long.before[2]!.text).toBe(`${400 + 1 - 2 * DIFF_CONTEXT} characters alike`);
  });

  it('says only that 1 MiB payloads differ when they differ throughout', () => {
    const a = Array.from({ length: 150_000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 150_000 }, (_, i) => `b${i}`).join(' ');
    expect(a.length).toBeGreaterThan(1_000_000);
    expect(diffText(a, b)).toEqual({ kind: 'too-large' });
  });

  it('says only that they differ when the edits run past the bound, whatever the size', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `w${i % 7}`).join(' ');
    const b = Array.from({ length: 3000 }, (_, i) => `w${(i * 3) % 11}`).join(' ');
    expect(diffText(a, b)).toEqual({ kind: 'too-large' });
  });
});

describe('diffBytes', () => {
  it('reads as hex on each side, with the changed bytes marked', () => {
    const { before, after } = sides(diffBytes(Uint8Array.of(1, 2, 255), Uint8Array.of(1, 9, 255)));
    expect(joined(before)).toBe('01 02 ff');
    expect(joined(after)).toBe('01 09 ff');
    expect(marked(before)).toEqual(['02']);
    expect(marked(after)).toEqual(['09']);
  });

  it('marks bytes only one side has, spacing each side on its own', () => {
    const { before, after } = sides(diffBytes(Uint8Array.of(1, 2), Uint8Array.of(2)));
    expect(joined(before)).toBe('01 02');
    expect(joined(after)).toBe('02');
    expect(marked(before)).toEqual(['01']);
  });

  it('elides the long shared bytes around a change, counting them', () => {
    const a = new Uint8Array(1 << 20);
    const b = a.slice();
    b[1 << 19] = 0xab;
    const { before, after } = sides(diffBytes(a, b));
    expect(marked(after)).toEqual(['ab']);
    expect(after.filter((part) => part.kind === 'elided').map((part) => part.text)).toEqual([
      `${(1 << 19) - Math.floor(DIFF_CONTEXT / 3)} bytes alike`,
      `${(1 << 19) - 1 - Math.floor(DIFF_CONTEXT / 3)} bytes alike`,
    ]);
    expect(joined(before)).toMatch(/^\d+ bytes alike( 00){26} 00( 00){26} \d+ bytes alike$/);
  });

  it('says equal bytes are equal, and large bytes that differ throughout differ', () => {
    expect(diffBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toEqual({ kind: 'equal' });
    const a = new Uint8Array(1 << 20).map((_, i) => i & 255);
    const b = new Uint8Array(1 << 20).map((_, i) => (i * 7 + 3) & 255);
    expect(diffBytes(a, b)).toEqual({ kind: 'too-large' });
  });
});
