import { describe, expect, it } from 'vitest';
import { compileFilter, EMPTY_FILTER, type FilterSpec } from '../../src/session/frame-filter';
import { compileHighlighter, MAX_RANGES } from '../../src/session/match-ranges';
import type { Frame } from '../../src/session/session-model';

function highlighter(spec: Partial<FilterSpec>) {
  const highlight = compileHighlighter({ ...EMPTY_FILTER, ...spec });
  if (!highlight) throw new Error('expected a highlighter');
  return highlight;
}

/** The matched substrings, which read more easily than offsets. */
function marked(spec: Partial<FilterSpec>, text: string): string[] {
  const ranges = highlighter(spec)(text);
  const parts: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) parts.push(text.slice(ranges[i], ranges[i + 1]));
  return parts;
}

function textFrame(text: string): Frame {
  return {
    index: 0,
    connectionKey: 'd#1',
    kind: 'received',
    time: 0,
    payload: { kind: 'text', text, size: text.length, originalSize: text.length },
  };
}

describe('compileHighlighter', () => {
  it('gives flat start/end offsets of every match', () => {
    expect(highlighter({ query: 'ab' })('ab-xab')).toEqual([0, 2, 4, 6]);
    expect(highlighter({ query: 'zz' })('ab-xab')).toEqual([]);
  });

  it('treats the query literally unless it is a regular expression', () => {
    expect(marked({ query: 'a.b' }, 'axb a.b')).toEqual(['a.b']);
    expect(marked({ query: '(x)|[y]\\' }, 'x (x)|[y]\\ y')).toEqual(['(x)|[y]\\']);
    expect(marked({ query: '^$' }, 'a^$b')).toEqual(['^$']);
  });

  it('ignores case unless asked not to', () => {
    expect(marked({ query: 'hello' }, 'Hello hELLo hello')).toEqual(['Hello', 'hELLo', 'hello']);
    expect(marked({ query: 'hello', caseSensitive: true }, 'Hello hello')).toEqual(['hello']);
    expect(marked({ query: 'h.', regex: true, caseSensitive: true }, 'H1 h2')).toEqual(['h2']);
  });

  it('marks whole matches of a pattern with groups and alternatives', () => {
    expect(marked({ query: '"(\\w+)":(\\d+)', regex: true }, '{"a":1,"bc":22}')).toEqual([
      '"a":1',
      '"bc":22',
    ]);
    expect(marked({ query: 'cat|dog', regex: true }, 'dog, cat, cow')).toEqual(['dog', 'cat']);
  });

  it('skips empty matches and still finds the others after them', () => {
    expect(marked({ query: 'a*', regex: true }, 'baab aaa')).toEqual(['aa', 'aaa']);
    expect(marked({ query: '^', regex: true }, 'abc')).toEqual([]);
    expect(marked({ query: '\\b', regex: true }, 'one two')).toEqual([]);
    expect(marked({ query: '(?:)', regex: true }, '')).toEqual([]);
    // Unicode mode steps over a whole code point, never into a surrogate pair.
    expect(marked({ query: 'x*', regex: true }, '😀x😀xx')).toEqual(['x', 'xx']);
    expect(marked({ query: '\\p{Emoji_Presentation}', regex: true }, 'a😀b😀')).toEqual([
      '😀',
      '😀',
    ]);
  });

  it('gives nothing to mark for an empty query, an inverted one or an invalid pattern', () => {
    expect(compileHighlighter(EMPTY_FILTER)).toBeNull();
    expect(compileHighlighter({ ...EMPTY_FILTER, query: 'x', invert: true })).toBeNull();
    expect(compileHighlighter({ ...EMPTY_FILTER, query: '(open', regex: true })).toBeNull();
    expect(compileHighlighter({ ...EMPTY_FILTER, query: '\\p{Nope}', regex: true })).toBeNull();
    // Not a pattern unless `regex`: the same text is a fine literal query.
    expect(compileHighlighter({ ...EMPTY_FILTER, query: '(open' })).not.toBeNull();
  });

  it(`stops at ${MAX_RANGES} ranges, and starts afresh on the next text`, () => {
    const highlight = highlighter({ query: 'a' });
    const ranges = highlight('a'.repeat(5000));
    expect(ranges).toHaveLength(MAX_RANGES * 2);
    expect(ranges.slice(-2)).toEqual([MAX_RANGES - 1, MAX_RANGES]);
    expect(highlight('bab')).toEqual([1, 2]);
  });

  it('agrees with the filter on which texts match', () => {
    const specs: Array<Partial<FilterSpec>> = [
      { query: 'Price' },
      { query: 'price', caseSensitive: true },
      { query: '"value":4.' },
      { query: '"value":4.', regex: true },
      { query: '[a-z]+"\\s*:\\s*42', regex: true },
      { query: 'ß', regex: true },
    ];
    const texts = ['{"type":"Price","value":42}', '{"value":4.5}', 'price: 4x', 'STRASSE ß'];
    for (const spec of specs) {
      const { predicate } = compileFilter({ ...EMPTY_FILTER, ...spec });
      const highlight = highlighter(spec);
      for (const text of texts) {
        expect(highlight(text).length > 0, `${spec.query} in ${text}`).toBe(
          predicate!(textFrame(text)),
        );
      }
    }
  });

  it('stays quick on a 1 MiB text, even where a pattern matches empty everywhere', () => {
    const text = `${'b'.repeat(1 << 20)}aa`;
    const started = performance.now();
    expect(highlighter({ query: 'a*', regex: true })(text)).toEqual([1 << 20, (1 << 20) + 2]);
    expect(highlighter({ query: 'aa' })(text)).toEqual([1 << 20, (1 << 20) + 2]);
    expect(highlighter({ query: 'b' })(text)).toHaveLength(MAX_RANGES * 2);
    // Generous: a scan that went back over the text would take minutes, not seconds.
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
