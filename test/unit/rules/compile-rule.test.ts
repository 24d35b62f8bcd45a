import { describe, expect, it } from 'vitest';
import { compileRule as compileInPage } from '../../../src/capture/rule-matching';
import type { PayloadMatch, RuleAction, SocketRule } from '../../../src/protocol/socket-rules';
import { compileRule, hookRulesOf } from '../../../src/rules/compile-rule';
import { parseTemplate, renderTemplate } from '../../../src/rules/reply-template';

const rule = (
  id: string,
  payload: PayloadMatch = { kind: 'any' },
  action: RuleAction = { type: 'drop' },
  extra: Partial<SocketRule> = {},
): SocketRule => ({
  id,
  name: `Rule ${id}`,
  enabled: true,
  urlPattern: '',
  direction: 'any',
  payload,
  action,
  ...extra,
});

/** What the hook does with a compiled rewrite (String.prototype.replace has the same `$` rules). */
const rewrite = (action: RuleAction, text: string) => {
  const compiled = compileRule(rule('r', { kind: 'any' }, action)).action;
  if (compiled.type !== 'rewrite') throw new Error(compiled.type);
  return text.replace(new RegExp(compiled.find, compiled.flags), compiled.replace);
};

describe('compileRule', () => {
  it('turns the URL glob into an anchored source, or null for every socket', () => {
    const compiled = compileRule(
      rule('a', undefined, undefined, { urlPattern: 'wss://*.test/ws' }),
    );
    expect(compiled.urlRegex).not.toBeNull();
    expect(new RegExp(compiled.urlRegex!).test('wss://a.test/ws')).toBe(true);
    expect(new RegExp(compiled.urlRegex!).test('wss://a.test/ws2')).toBe(false);
    expect(compileRule(rule('b')).urlRegex).toBeNull();
    expect(compileRule(rule('b')).name).toBe('Rule b');
    expect(compileRule(rule('b', undefined, undefined, { direction: 'incoming' })).direction).toBe(
      'incoming',
    );
  });

  it('parses JSON matches: the path, and the expected value as JSON', () => {
    const json = (equals: string) =>
      compileRule(rule('j', { kind: 'json', path: '$.data["the type"][0]', equals })).match;
    expect(json('"chat"')).toEqual({ kind: 'json', path: ['data', 'the type', 0], equals: 'chat' });
    expect(json('42')).toMatchObject({ equals: 42 });
    expect(json('false')).toMatchObject({ equals: false });
    expect(json('null')).toMatchObject({ equals: null });
  });

  it('passes text and regex matches on as they are', () => {
    expect(compileRule(rule('t', { kind: 'text', text: 'a.b' })).match).toEqual({
      kind: 'text',
      text: 'a.b',
    });
    const regex: PayloadMatch = { kind: 'regex', pattern: '^(\\w+)', flags: 'iu' };
    expect(compileRule(rule('r', regex)).match).toEqual(regex);
  });

  it('parses a reply template', () => {
    const action = compileRule(
      rule('p', undefined, { type: 'reply', template: 'x$1{{ a.b }}$$', delayMs: 25 }),
    ).action;
    expect(action).toEqual({
      type: 'reply',
      template: ['x', { group: 1 }, { path: ['a', 'b'] }, '$'],
      delayMs: 25,
    });
  });

  it('rewrites a text find literally, replacement included, everywhere', () => {
    const action: RuleAction = { type: 'rewrite', find: 'a.b', regex: false, replace: '$1 $& $$' };
    expect(rewrite(action, 'a.b axb a.b')).toBe('$1 $& $$ axb $1 $& $$');
    expect(rewrite({ ...action, find: '(x)' }, '(x) x')).toBe('$1 $& $$ x');
  });

  it('rewrites a regex find everywhere, with its groups in the replacement', () => {
    const action: RuleAction = { type: 'rewrite', find: '(\\d+)', regex: true, replace: '<$1>' };
    expect(rewrite(action, 'a1 b22')).toBe('a<1> b<22>');
    expect(compileRule(rule('r', undefined, action)).action).toMatchObject({ flags: 'g' });
  });

  it('parses a JSON rewrite path and keeps its value as JSON text', () => {
    const action: RuleAction = { type: 'rewrite-json', path: 'a[1]', value: '{"b": 2}' };
    expect(compileRule(rule('w', undefined, action)).action).toEqual({
      type: 'rewrite-json',
      path: ['a', 1],
      value: '{"b": 2}',
    });
  });

  it('copies the other actions', () => {
    const others: RuleAction[] = [
      { type: 'drop' },
      { type: 'delay', delayMs: 10 },
      { type: 'close', code: 4001, reason: 'bye', afterMatches: 0 },
      { type: 'fail', afterMatches: 2 },
      { type: 'throttle', framesPerSecond: 2.5 },
      { type: 'mock', protocol: 'v1' },
    ];
    for (const action of others) {
      const compiled = compileRule(rule('o', undefined, action)).action;
      expect(compiled).toEqual(action);
      expect(compiled).not.toBe(action);
    }
  });

  it('throws on a rule validateRule would refuse', () => {
    expect(() => compileRule(rule('x', { kind: 'json', path: 'a..b', equals: '1' }))).toThrow(
      /Unexpected "\."/,
    );
    expect(() =>
      compileRule(rule('x', undefined, { type: 'reply', template: '{{', delayMs: 0 })),
    ).toThrow(/never closed/);
  });
});

describe('hookRulesOf', () => {
  it('compiles the enabled rules that validate, in order', () => {
    const rules = [
      rule('a'),
      rule('b', undefined, undefined, { enabled: false }),
      rule('c', undefined, { type: 'delay', delayMs: 0 }),
      rule('d', { kind: 'regex', pattern: 'x', flags: 'g' }),
      rule('e', undefined, { type: 'throttle', framesPerSecond: 3 }),
    ];
    expect(hookRulesOf(rules).map((each) => each.name)).toEqual(['Rule a', 'Rule e']);
    expect(hookRulesOf([])).toEqual([]);
  });
});

describe('the page hook, given compiled rules', () => {
  it('renders replies to JSON matches as renderTemplate does', () => {
    const template =
      '{"echo":"$0","id":{{ id }},"who":"{{ user.name }}","u":{{user}},"n":"{{ x }}"}';
    const frame = '{"type":"hello","id":7,"user":{"name":"Ann"}}';
    const reply: RuleAction = { type: 'reply', template, delayMs: 0 };
    const inPage = compileInPage(
      compileRule(rule('h', { kind: 'json', path: 'type', equals: '"hello"' }, reply)),
    );
    expect(inPage.test('{"type":"bye"}')).toBeNull();
    const found = inPage.test(frame);
    expect(found).not.toBeNull();
    const parts = parseTemplate(template);
    if ('error' in parts) throw new Error(parts.error);
    const expected = renderTemplate(parts.parts, [frame], JSON.parse(frame));
    expect(inPage.reply(found!)).toBe(expected);
    expect(expected).toContain('"id":7,"who":"Ann","u":{"name":"Ann"},"n":""}');
  });

  it('rewrites a text find literally', () => {
    const action: RuleAction = { type: 'rewrite', find: 'a.b', regex: false, replace: '$1$&' };
    const inPage = compileInPage(compileRule(rule('t', { kind: 'any' }, action)));
    expect(inPage.rewrite('a.b axb', inPage.test('a.b axb')!)).toBe('$1$& axb');
  });
});
