import { describe, expect, it } from 'vitest';
import { MAX_RULE_NAME, MAX_RULES, type SocketRule } from '../../../src/protocol/socket-rules';
import { parseTemplate, renderTemplate } from '../../../src/rules/reply-template';
import {
  mockFromRecording,
  type RecordedFrame,
  rulesFromRecording,
} from '../../../src/rules/rules-from-recording';
import { globToRegexSource } from '../../../src/rules/url-glob';
import { validateRule } from '../../../src/rules/validate-rule';

const URL = 'wss://api.test/socket?token=a*b&v=1';
const sent = (text: string | null): RecordedFrame => ({ direction: 'sent', text });
const received = (text: string | null): RecordedFrame => ({ direction: 'received', text });

/** What a rule answers, and whether it answers `text` at all. */
function replyTo(rule: SocketRule, text: string): string | null {
  if (rule.payload.kind !== 'regex' || rule.action.type !== 'reply') throw new Error('not a mock');
  if (!new RegExp(rule.payload.pattern, rule.payload.flags).test(text)) return null;
  const parsed = parseTemplate(rule.action.template);
  if ('error' in parsed) throw new Error(parsed.error);
  return renderTemplate(parsed.parts, [text], undefined);
}

function expectAllValid(rules: SocketRule[]) {
  for (const rule of rules) expect(validateRule(rule)).toEqual({ rule });
  expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
}

describe('rulesFromRecording', () => {
  it('makes a reply rule per received frame, answering the sent frame before it', () => {
    const rules = rulesFromRecording(
      URL,
      [sent('hello'), received('hi'), received('welcome'), sent('ping'), received('pong')],
      'Demo',
    );
    expectAllValid(rules);
    expect(rules.map((rule) => rule.name)).toEqual([
      'Demo: reply 1.1',
      'Demo: reply 1.2',
      'Demo: reply 2.1',
    ]);
    expect(rules[0]).toMatchObject({
      enabled: true,
      urlPattern: URL,
      direction: 'outgoing',
      payload: { kind: 'regex', pattern: '^hello$', flags: '' },
      action: { type: 'reply', template: 'hi', delayMs: 0 },
    });
    expect(rules.map((rule) => replyTo(rule, 'hello'))).toEqual(['hi', 'welcome', null]);
    expect(rules.map((rule) => replyTo(rule, 'ping'))).toEqual([null, null, 'pong']);
    expect(replyTo(rules[0]!, 'hello!')).toBeNull();
    expect(replyTo(rules[0]!, 'say hello')).toBeNull();
  });

  it('matches its own URL, query and all', () => {
    const [rule] = rulesFromRecording(URL, [sent('a'), received('b')], 'x');
    const source = globToRegexSource(rule!.urlPattern)!;
    expect(new RegExp(source).test(URL)).toBe(true);
    expect(new RegExp(source).test('wss://api.test/socket')).toBe(false);
  });

  it('cuts a URL too long for a pattern to a prefix and a star that still match it', () => {
    const long = `wss://api.test/?q=${'x'.repeat(5000)}`;
    const [rule] = rulesFromRecording(long, [sent('a'), received('b')], 'x');
    expectAllValid([rule!]);
    expect(rule!.urlPattern).toHaveLength(2000);
    expect(rule!.urlPattern.endsWith('*')).toBe(true);
    expect(new RegExp(globToRegexSource(rule!.urlPattern)!).test(long)).toBe(true);
  });

  it('matches and answers exactly, whatever characters the frames hold', () => {
    const question = '{"q":"a.b*c?(x)[y]{2}|^$\\\\ \\n","n":1}';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${{` is template syntax under test
    const answer = 'cost $5 $$ $1 {{ not a path }} ${{x}} {{{ }}} {"a":{"b":1}}';
    const rules = rulesFromRecording(URL, [sent(question), received(answer)], 'x');
    expectAllValid(rules);
    expect(replyTo(rules[0]!, question)).toBe(answer);
    expect(replyTo(rules[0]!, question.replace('a.b', 'aXb'))).toBeNull();
  });

  it('skips binary frames, and what the server sent before the page sent anything', () => {
    const rules = rulesFromRecording(
      URL,
      [received('greeting'), sent('a'), received(null), received('b'), sent(null), received('c')],
      'x',
    );
    expect(rules.map((rule) => rule.action)).toEqual([
      { type: 'reply', template: 'b', delayMs: 0 },
    ]);
  });

  it('makes rules for a sent text the first time only: the first replies win', () => {
    const rules = rulesFromRecording(
      URL,
      [sent('ping'), received('pong 1'), sent('other'), sent('ping'), received('pong 2')],
      'x',
    );
    expect(rules.map((rule) => [rule.name, replyTo(rule, 'ping')])).toEqual([
      ['x: reply 1.1', 'pong 1'],
    ]);
  });

  it('skips frames too large for a rule', () => {
    const big = 'x'.repeat(100_001);
    expect(rulesFromRecording(URL, [sent(big), received('r')], 'x')).toEqual([]);
    const rules = rulesFromRecording(URL, [sent('a'), received(big), received('ok')], 'x');
    expect(rules.map((rule) => rule.name)).toEqual(['x: reply 1.1']);
    expect(replyTo(rules[0]!, 'a')).toBe('ok');
    const dollars = '$'.repeat(60_000); // 120 000 characters once escaped
    expect(rulesFromRecording(URL, [sent('a'), received(dollars)], 'x')).toEqual([]);
  });

  it('makes at most MAX_RULES', () => {
    const frames = [
      sent('a'),
      ...Array.from({ length: MAX_RULES + 20 }, (_, i) => received(`${i}`)),
    ];
    const rules = rulesFromRecording(URL, frames, 'x');
    expect(rules).toHaveLength(MAX_RULES);
    expectAllValid(rules);
  });

  it('names rules validly, whatever the name given', () => {
    const frames = [sent('a'), received('b')];
    expect(rulesFromRecording(URL, frames, '  ')[0]!.name).toBe('Mock: reply 1.1');
    const [long] = rulesFromRecording(URL, frames, 'n'.repeat(1000));
    expect(long!.name.length).toBeLessThanOrEqual(MAX_RULE_NAME);
    expect(long!.name.endsWith(': reply 1.1')).toBe(true);
    expectAllValid([long!]);
  });

  it('makes nothing from nothing', () => {
    expect(rulesFromRecording(URL, [], 'x')).toEqual([]);
    expect(rulesFromRecording(URL, [sent('a'), sent('b')], 'x')).toEqual([]);
  });
});

describe('mockFromRecording', () => {
  const frames = [received('hello, client'), sent('a'), received('b'), sent('c'), received('d')];

  it('puts a mock rule for the URL, named as such, before the replies', () => {
    const { rules, greeting, leftOut } = mockFromRecording(URL, 'chat.v1', frames, 'Chat');
    expectAllValid(rules);
    expect(rules.map((rule) => rule.name)).toEqual([
      'Chat: mock endpoint',
      'Chat: greeting 1',
      'Chat: reply 1.1',
      'Chat: reply 2.1',
    ]);
    expect(rules[1]!.action).toEqual({
      type: 'reply',
      template: 'hello, client',
      delayMs: 0,
      atOpen: true,
    });
    expect(rules[0]).toMatchObject({
      enabled: true,
      urlPattern: URL,
      action: { type: 'mock', protocol: 'chat.v1' },
    });
    expect(rules.every((rule) => rule.enabled && rule.urlPattern === URL)).toBe(true);
    expect(rules.slice(2).map((rule) => replyTo(rule, 'c'))).toEqual([null, 'd']);
    expect({ greeting, leftOut }).toEqual({ greeting: 1, leftOut: 0 });
  });

  it('greets as the server did: its text before the page sent anything, at open, in order', () => {
    const greeting = [received('one'), received(null), received('two')];
    expect(mockFromRecording(URL, '', [...greeting, sent('a')], 'x').greeting).toBe(2);
    expect(mockFromRecording(URL, '', [sent(null), received('late')], 'x').greeting).toBe(0);
    const { rules } = mockFromRecording(URL, '', greeting, 'x');
    expect(
      rules.map((rule) => [rule.name, rule.action.type === 'reply' && rule.action.template]),
    ).toEqual([
      ['x: mock endpoint', false],
      ['x: greeting 1', 'one'],
      ['x: greeting 2', 'two'],
    ]);
  });

  it('opens with no subprotocol when the recorded one is not one a rule may select', () => {
    const [mock] = mockFromRecording(URL, 'not a token', frames, 'x').rules;
    expectAllValid([mock!]);
    expect(mock!.action).toEqual({ type: 'mock', protocol: '' });
  });

  it('fits in the room left in the list, counting the replies left out', () => {
    const cut = mockFromRecording(URL, '', frames, 'x', 3);
    expect(cut.rules.map((rule) => rule.name)).toEqual([
      'x: mock endpoint',
      'x: greeting 1',
      'x: reply 1.1',
    ]);
    expect(cut.leftOut).toBe(1);
    const none = mockFromRecording(URL, '', frames, 'x', 0);
    expect(none).toEqual({ rules: [], greeting: 1, leftOut: 3 });
    const many = [sent('a'), ...Array.from({ length: MAX_RULES + 5 }, (_, i) => received(`${i}`))];
    const full = mockFromRecording(URL, '', many, 'x');
    expect(full.rules).toHaveLength(MAX_RULES);
    expect(full.leftOut).toBe(6);
  });
});
