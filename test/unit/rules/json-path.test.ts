import { describe, expect, it } from 'vitest';
import type { JsonPath } from '../../../src/protocol/socket-rules';
import { formatJsonPath, parseJsonPath, valueAtPath } from '../../../src/rules/json-path';

const path = (text: string) => {
  const parsed = parseJsonPath(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.path;
};
const error = (text: string) => {
  const parsed = parseJsonPath(text);
  return 'error' in parsed ? parsed.error : `no error: ${JSON.stringify(parsed.path)}`;
};

describe('parseJsonPath', () => {
  it('reads dotted keys, indexes and quoted keys, with an optional root', () => {
    expect(path('a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(path('$.a.b[0].c')).toEqual(['a', 'b', 0, 'c']);
    expect(path('$[2].x')).toEqual([2, 'x']);
    expect(path('[3]')).toEqual([3]);
    expect(path('a["b c"][\'d\']')).toEqual(['a', 'b c', 'd']);
    expect(path('["q\\"uote\\u00e9"]')).toEqual(['q"uoteé']);
    expect(path("['it\\'s']")).toEqual(["it's"]);
    expect(path('user-id.é')).toEqual(['user-id', 'é']);
  });

  it('takes an empty path and a lone $ as the root', () => {
    expect(path('')).toEqual([]);
    expect(path('$')).toEqual([]);
  });

  it('keeps a key starting with $ a key, and a dotted number a key', () => {
    expect(path('$type.x')).toEqual(['$type', 'x']);
    expect(path('a.0')).toEqual(['a', '0']);
    expect(path('a.$')).toEqual(['a', '$']);
  });

  it('says what is wrong and where (1-based)', () => {
    expect(error('a.b]')).toBe('Unexpected "]" at 4 in a.b]');
    expect(error('a..b')).toBe('Unexpected "." at 3 in a..b');
    expect(error('.a')).toBe('Unexpected "." at 1 in .a');
    expect(error('a b')).toBe('Unexpected " " at 2 in a b');
    expect(error('a[x]')).toBe('Unexpected "x" at 3 in a[x]');
    expect(error('a[0]x')).toBe('Unexpected "x" at 5 in a[0]x');
    expect(error('a[-1]')).toBe('Unexpected "-" at 3 in a[-1]');
    expect(error('a[1.5]')).toBe('Unexpected "." at 4 in a[1.5]');
    expect(error('a.')).toBe('Unexpected end of a.');
    expect(error('$.')).toBe('Unexpected end of $.');
    expect(error('a[')).toBe('Unexpected end of a[');
    expect(error('a[0')).toBe('Unexpected end of a[0');
    expect(error('a["x')).toBe('Unclosed quote at 3 in a["x');
    expect(error("a['x\\'")).toBe("Unclosed quote at 3 in a['x\\'");
    expect(error('a["\\q"]')).toBe('Invalid escape in quoted key at 3 in a["\\q"]');
    expect(error('a[01]')).toBe('Invalid index 01 at 3 in a[01]');
    expect(error('a[4294967295]')).toBe('Invalid index 4294967295 at 3 in a[4294967295]');
    expect(error('a[99999999999999999999]')).toMatch(/^Invalid index \d+ at 3 in/);
  });

  it('shortens a long path in its error, and reads a huge one in linear time', () => {
    const long = `${'a.'.repeat(500_000)}]`;
    const message = error(long);
    expect(message).toMatch(/^Unexpected "\]" at 1000001 in (a\.){38}a…$/);
    expect(path('a.'.repeat(100_000).slice(0, -1))).toHaveLength(100_000);
  });
});

describe('formatJsonPath', () => {
  it('writes the plain form where it can', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['a', 'b', 0, 'c'])).toBe('a.b[0].c');
    expect(formatJsonPath([0, 'a'])).toBe('[0].a');
    expect(formatJsonPath(['a b', '$type'])).toBe('["a b"].$type');
  });

  it('gives back what parseJsonPath reads as the same path', () => {
    const paths: JsonPath[] = [
      ['$'],
      ['$', 'a'],
      ['$type'],
      ['0'],
      [0],
      ['', 'x'],
      ['"\'\\'],
      ['a.b', '[x]', "it's"],
      ['🙂', 'line\nbreak'],
      ['a', 4294967294],
    ];
    for (const each of paths) expect(path(formatJsonPath(each))).toEqual(each);
  });
});

describe('valueAtPath', () => {
  const root = JSON.parse('{"a":{"b":[10,{"c":"x"}]},"n":null,"__proto__":{"p":1}}');

  it('follows keys and indexes, giving undefined when there is nothing', () => {
    expect(valueAtPath(root, ['a', 'b', 1, 'c'])).toBe('x');
    expect(valueAtPath(root, ['a', 'b', 0])).toBe(10);
    expect(valueAtPath(root, ['n'])).toBeNull();
    expect(valueAtPath(root, [])).toBe(root);
    expect(valueAtPath(root, ['a', 'b', 2])).toBeUndefined();
    expect(valueAtPath(root, ['n', 'x'])).toBeUndefined();
    expect(valueAtPath(root, ['a', 'b', 0, 'x'])).toBeUndefined();
    expect(valueAtPath('text', ['length'])).toBeUndefined();
  });

  it('follows own data properties only: no prototype, no getter', () => {
    expect(valueAtPath(root, ['__proto__', 'p'])).toBe(1);
    expect(valueAtPath(root, ['constructor'])).toBeUndefined();
    expect(valueAtPath(root, ['a', 'toString'])).toBeUndefined();
    expect(valueAtPath(Object.create({ inherited: 1 }), ['inherited'])).toBeUndefined();
    let calls = 0;
    const withGetter = {
      get secret() {
        calls++;
        return 1;
      },
    };
    expect(valueAtPath(withGetter, ['secret'])).toBeUndefined();
    expect(calls).toBe(0);
  });
});
