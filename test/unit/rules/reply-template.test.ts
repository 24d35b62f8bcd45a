// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${{` is template syntax under test
import { describe, expect, it } from 'vitest';
import type { TemplatePart } from '../../../src/protocol/socket-rules';
import {
  escapeTemplateText,
  parseTemplate,
  renderTemplate,
} from '../../../src/rules/reply-template';

const parts = (text: string): TemplatePart[] => {
  const parsed = parseTemplate(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.parts;
};
const error = (text: string) => {
  const parsed = parseTemplate(text);
  return 'error' in parsed ? parsed.error : 'no error';
};

describe('parseTemplate', () => {
  it('reads groups, JSON values and literal text', () => {
    expect(parts('{"echo":"$1","id":{{ req.id }}}')).toEqual([
      '{"echo":"',
      { group: 1 },
      '","id":',
      { path: ['req', 'id'] },
      '}',
    ]);
    expect(parts('$0$9')).toEqual([{ group: 0 }, { group: 9 }]);
    expect(parts('{{$}}{{}}{{ [0] }}')).toEqual([{ path: [] }, { path: [] }, { path: [0] }]);
    expect(parts('')).toEqual([]);
  });

  it('reads $$ as $, ${{ as {{, and any other $ as itself, merging literal text', () => {
    expect(parts('a$$b')).toEqual(['a$b']);
    expect(parts('$$1')).toEqual(['$1']);
    expect(parts('cost: $x $ ${a} $')).toEqual(['cost: $x $ ${a} $']);
    expect(parts('${{ not a path }}')).toEqual(['{{ not a path }}']);
    expect(parts('$${{a}}')).toEqual(['$', { path: ['a'] }]);
    expect(parts('{ "a": {"b": 1}} }}')).toEqual(['{ "a": {"b": 1}} }}']);
    expect(parts('$10')).toEqual([{ group: 1 }, '0']);
  });

  it('refuses an unclosed {{ and an invalid path, saying where', () => {
    expect(error('ab{{ x')).toBe(
      '"{{" at 3 is never closed by "}}" (write "${{" for a literal "{{")',
    );
    expect(error('{{ x }} {{ y')).toMatch(/^"\{\{" at 9 is never closed/);
    expect(error('x{{ a..b }}')).toBe('In "{{" at 2: Unexpected "." at 3 in a..b');
  });

  it('reads a large template in linear time', () => {
    const text = '{"a":"$1 {{ x }}"}'.repeat(50_000);
    const started = performance.now();
    expect(parts(text)).toHaveLength(1 + 4 * 50_000); // "}{"a":" merged across repeats
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('escapeTemplateText', () => {
  it('makes a template that parses back to exactly the text', () => {
    const samples = ['', 'plain', '$1 {{ a }} $$ ${{', '{{{', '{{{{', '$', '${', '$$${{{x}}}'];
    let seed = 3;
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let n = i % 12; n > 0; n--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += ['$', '{', '}', '1', 'a'][seed % 5];
      }
      samples.push(text);
    }
    for (const text of samples) {
      expect(parts(escapeTemplateText(text)), text).toEqual(text === '' ? [] : [text]);
    }
  });

  it('leaves JSON without {{ or $ as it is', () => {
    const json = '{"a":{"b":[1,{"c":"d"}]}}';
    expect(escapeTemplateText(json)).toBe(json);
  });
});

describe('renderTemplate', () => {
  const root = JSON.parse('{"s":"text","n":4.5,"o":{"k":[1,null]},"z":null,"t":true}');
  const render = (text: string, groups: (string | undefined)[] = [], value: unknown = root) =>
    renderTemplate(parts(text), groups, value);

  it('puts in groups, empty when missing', () => {
    expect(render('<$0|$1|$2|$9>', ['whole', 'one', undefined])).toBe('<whole|one||>');
  });

  it('puts in strings as they are, other values as JSON, nothing for a missing value', () => {
    expect(render('{{s}} {{n}} {{o}} {{z}} {{t}} {{o.k[1]}} [{{missing}}] [{{s.x}}]')).toBe(
      'text 4.5 {"k":[1,null]} null true null [] []',
    );
    expect(render('{{ $ }}', [], 'root')).toBe('root');
    expect(render('{{ a }}', [], undefined)).toBe('');
  });

  it('follows own properties only, never the prototype chain', () => {
    expect(render('[{{constructor}}][{{toString}}][{{o.k.map}}][{{__proto__}}]')).toBe('[][][][]');
    const inherited = Object.create({ secret: 'x' });
    expect(render('[{{secret}}]', [], inherited)).toBe('[]');
    expect(render('{{p.q}}', [], JSON.parse('{"p":{"__proto__":{"q":1}}}'))).toBe('');
    expect(render('{{p.__proto__.q}}', [], JSON.parse('{"p":{"__proto__":{"q":1}}}'))).toBe('1');
  });

  it('renders values JSON cannot write as nothing rather than throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(render('[{{self}}][{{big}}]', [], { self: cyclic, big: 1n })).toBe('[][]');
  });
});
