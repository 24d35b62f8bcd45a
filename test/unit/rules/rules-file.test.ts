import { describe, expect, it } from 'vitest';
import { MAX_RULES, type SocketRule } from '../../../src/protocol/socket-rules';
import { parseRulesFile, rulesFileText } from '../../../src/rules/rules-file';

const rule = (id: string, extra: Partial<SocketRule> = {}): SocketRule => ({
  id,
  name: `Rule ${id}`,
  enabled: true,
  urlPattern: 'wss://*.test/*',
  direction: 'outgoing',
  payload: { kind: 'regex', pattern: '^ping (\\d+)$', flags: 'i' },
  action: { type: 'reply', template: 'pong $1 {{ a }} $$', delayMs: 10 },
  ...extra,
});
const error = (text: string) => {
  const parsed = parseRulesFile(text);
  return 'error' in parsed ? parsed.error : 'no error';
};
const file = (fields: Record<string, unknown>) =>
  JSON.stringify({ format: 'sockscope-rules', version: 1, rules: [], ...fields });

describe('rulesFileText', () => {
  it('writes the format, the version and the rules, indented', () => {
    const rules = [rule('a'), rule('b', { enabled: false, action: { type: 'drop' } })];
    const text = rulesFileText(rules);
    expect(JSON.parse(text)).toEqual({ format: 'sockscope-rules', version: 1, rules });
    expect(text).toMatch(
      /^\{\n {2}"format": "sockscope-rules",\n {2}"version": 1,\n {2}"rules": \[/,
    );
  });

  it('writes a file parseRulesFile reads back as the same rules', () => {
    const rules = [
      rule('a'),
      rule('b', { payload: { kind: 'json', path: '$["a b"]', equals: '"x"' } }),
      rule('c', { action: { type: 'close', code: 4000, reason: 'ça va', afterMatches: 0 } }),
    ];
    expect(parseRulesFile(rulesFileText(rules))).toEqual({ rules });
    expect(parseRulesFile(rulesFileText([]))).toEqual({ rules: [] });
  });
});

describe('parseRulesFile', () => {
  it('reads a bare list of rules too', () => {
    expect(parseRulesFile(JSON.stringify([rule('a')]))).toEqual({ rules: [rule('a')] });
  });

  it('refuses what is not JSON, giving the JSON error', () => {
    expect(error('{ not json')).toMatch(/^Not a rules file: .*JSON/);
    expect(error('')).toMatch(/^Not a rules file: /);
  });

  it('refuses other JSON, saying what is missing', () => {
    for (const text of ['null', '42', '"rules"', 'true']) {
      expect(error(text)).toBe('Not a rules file: it holds neither an object nor a list of rules.');
    }
    expect(error('{}')).toBe('Not a rules file: its "format" is not "sockscope-rules".');
    expect(error(file({ format: 'other' }))).toBe(
      'Not a rules file: its "format" is not "sockscope-rules".',
    );
    expect(error(file({ version: undefined }))).toBe('Not a rules file: its "version" is not 1.');
    expect(error(file({ version: '1' }))).toBe('Not a rules file: its "version" is not 1.');
    expect(error(file({ rules: { 0: rule('a') } }))).toBe(
      'Not a rules file: its "rules" is not a list.',
    );
  });

  it('refuses a newer version in words', () => {
    expect(error(file({ version: 2 }))).toBe(
      'The file is version 2 of rules files; this Sockscope reads 1.',
    );
  });

  it('does not take fields from the prototype', () => {
    expect(error('{"__proto__":{"format":"sockscope-rules","version":1,"rules":[]}}')).toMatch(
      /"format" is not/,
    );
    const inherited = `[{"__proto__":${JSON.stringify(rule('a'))}}]`;
    expect(error(inherited)).toMatch(/^Rule 1: id must be/);
  });

  it('names the first invalid rule by its place (from 1) and its name', () => {
    const bad = { ...rule('b'), action: { type: 'delay', delayMs: 0 } };
    expect(error(file({ rules: [rule('a'), bad, { ...rule('c'), name: '' }] }))).toBe(
      'Rule 2 ("Rule b"): action.delayMs must be a whole number from 1 to 600000.',
    );
    expect(error(file({ rules: [rule('a'), rule('b'), { ...rule('c'), name: '' }] }))).toMatch(
      /^Rule 3: name must be/,
    );
    expect(error(JSON.stringify([rule('a'), 'rule']))).toBe('Rule 2: it must be an object.');
  });

  it('refuses more than MAX_RULES before checking any', () => {
    const many = Array.from({ length: MAX_RULES + 1 }, (_, i) => (i === 0 ? {} : rule(`r${i}`)));
    expect(error(JSON.stringify(many))).toBe(
      `The file has ${MAX_RULES + 1} rules, more than the ${MAX_RULES} kept.`,
    );
    const huge = `[${'0,'.repeat(1_000_000)}0]`;
    const started = performance.now();
    expect(error(huge)).toMatch(/^The file has 1000001 rules/);
    expect(performance.now() - started).toBeLessThan(2000);
    const exactly = Array.from({ length: MAX_RULES }, (_, i) => rule(`r${i}`));
    expect(parseRulesFile(JSON.stringify(exactly))).toEqual({ rules: exactly });
  });

  it('gives a rule whose id the file already used a fresh one, losing no rule', () => {
    const rules = [
      rule('a'),
      rule('a', { name: 'Again' }),
      rule('b'),
      rule('a', { name: 'Third' }),
    ];
    const parsed = parseRulesFile(rulesFileText(rules));
    if ('error' in parsed) throw new Error(parsed.error);
    const ids = parsed.rules.map((each) => each.id);
    expect(ids[0]).toBe('a');
    expect(ids[2]).toBe('b');
    expect(new Set(ids).size).toBe(4);
    expect(parsed.rules.map((each) => each.name)).toEqual(['Rule a', 'Again', 'Rule b', 'Third']);
    expect(parsed.rules[1]).toEqual({ ...rules[1], id: ids[1] });
  });

  it('drops unknown fields from what it reads', () => {
    const parsed = parseRulesFile(JSON.stringify([{ ...rule('a'), color: 'red' }]));
    expect(parsed).toEqual({ rules: [rule('a')] });
  });
});
