import { describe, expect, it } from 'vitest';
import { compileFilter, EMPTY_FILTER } from '../../src/session/frame-filter';
import { compileHidePatterns, hidePatternsFromStorage } from '../../src/session/hide-patterns';
import { makeFrame } from '../../src/session/make-frame';

const frame = (text: string, kind: 'sent' | 'received' = 'received') =>
  makeFrame({
    connectionKey: 'd#1',
    kind,
    time: 1,
    payload: { kind: 'text', text, size: text.length, originalSize: text.length },
  });

describe('hide patterns', () => {
  it('match text ignoring case, and /regex/flags as regular expressions', () => {
    const { test } = compileHidePatterns(['PING', '/^\\{"type":"ka"/']);
    expect(test?.('ping 12')).toBe(true);
    expect(test?.('{"type":"ka"}')).toBe(true);
    expect(test?.('{"type":"chat"}')).toBe(false);
    expect(compileHidePatterns([]).test).toBeUndefined();
  });

  it('refuse an invalid expression, naming it', () => {
    expect(compileHidePatterns(['ok', '/(/']).error).toMatch(/Hide pattern \/\(\/:/);
  });

  it('hide matching frames whatever the query, its inversion and direction', () => {
    const frames = [frame('ping'), frame('hello'), frame('PING', 'sent'), frame('bye', 'sent')];
    const shown = (spec: Partial<typeof EMPTY_FILTER>) => {
      const { predicate } = compileFilter({ ...EMPTY_FILTER, hide: ['ping'], ...spec });
      return frames
        .filter((item) => predicate!(item))
        .map((item) => item.payload?.kind === 'text' && item.payload.text);
    };
    expect(shown({})).toEqual(['hello', 'bye']);
    expect(shown({ query: 'hello', invert: true })).toEqual(['bye']);
    expect(shown({ direction: 'sent' })).toEqual(['bye']);
    expect(compileFilter({ ...EMPTY_FILTER, hide: ['/[/'] }).error).toMatch(/Hide pattern/);
  });

  it('are read back from storage as distinct non-empty strings', () => {
    expect(hidePatternsFromStorage(['a', '', 'a', 3, 'b'])).toEqual(['a', 'b']);
    expect(hidePatternsFromStorage({ a: 1 })).toEqual([]);
    expect(hidePatternsFromStorage(undefined)).toEqual([]);
  });
});
