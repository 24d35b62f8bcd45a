import { describe, expect, it } from 'vitest';
import { escapeRegExp, globToRegexSource } from '../../../src/rules/url-glob';

function matches(pattern: string, url: string, flags = ''): boolean {
  const source = globToRegexSource(pattern);
  return source === null || new RegExp(source, flags).test(url);
}

/** The obvious glob matcher, as a reference: `*` any run, everything else itself. */
function reference(pattern: string, text: string): boolean {
  let row = Array.from({ length: text.length + 1 }, (_, j) => j === 0);
  for (const char of pattern) {
    const next = row.map(() => false);
    for (let j = 0; j <= text.length; j++) {
      next[j] =
        char === '*'
          ? row[j]! || (j > 0 && next[j - 1]!)
          : j > 0 && row[j - 1]! && text[j - 1] === char;
    }
    row = next;
  }
  return row[text.length]!;
}

describe('globToRegexSource', () => {
  it('gives null for an empty pattern: every socket', () => {
    expect(globToRegexSource('')).toBeNull();
  });

  it('matches whole URLs, `*` standing for any run of characters, slashes included', () => {
    const pattern = 'ws://localhost:*/chat*';
    expect(matches(pattern, 'ws://localhost:8080/chat')).toBe(true);
    expect(matches(pattern, 'ws://localhost:8080/chat?room=1')).toBe(true);
    expect(matches(pattern, 'ws://localhost:8080/v2/chat')).toBe(true);
    expect(matches(pattern, 'wss://localhost:8080/chat')).toBe(false);
    expect(matches(pattern, 'xws://localhost:8080/chat')).toBe(false);
    expect(matches(pattern, 'ws://localhost:8080/cha')).toBe(false);
    expect(matches('ws://a.test/', 'ws://a.test/x')).toBe(false);
  });

  it('takes every other character literally, with or without the u flag', () => {
    const pattern = String.raw`wss://a.b/(x)?[y]+{2}|^$\d-/`;
    for (const flags of ['', 'u']) {
      expect(matches(pattern, pattern, flags)).toBe(true);
      expect(matches(pattern, pattern.replace('a.b', 'aXb'), flags)).toBe(false);
      expect(matches(pattern, 'wss://a.b/x[y]yy|', flags)).toBe(false);
    }
    expect(new RegExp(`^${escapeRegExp('a+b')}$`, 'u').test('a+b')).toBe(true);
  });

  it('agrees with a reference matcher on many patterns and texts', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = (alphabet: string, max: number) =>
      Array.from({ length: random(max + 1) }, () => alphabet[random(alphabet.length)]).join('');
    for (let i = 0; i < 4000; i++) {
      const pattern = pick('ab1.**', 7);
      const text = pick('ab1.', 9);
      if (pattern === '') continue;
      expect(matches(pattern, text), `${pattern} ~ ${text}`).toBe(reference(pattern, text));
    }
  });

  it('keeps a star before a digit from changing a backreference number', () => {
    expect(matches('a*1*2', 'a112')).toBe(true);
    expect(matches('*a*0*', 'xa0')).toBe(true);
    expect(matches('*a*0*', 'xa')).toBe(false);
  });

  it('does not backtrack for ever on many stars and a long URL', () => {
    const started = performance.now();
    expect(matches(`${'*a'.repeat(40)}*b`, 'a'.repeat(20_000))).toBe(false);
    expect(matches(`${'*a'.repeat(40)}*b`, `${'a'.repeat(20_000)}b`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
