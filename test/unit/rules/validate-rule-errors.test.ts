import { describe, expect, it } from 'vitest';
import { RULE_LIMITS, validateRule } from '../../../src/rules/validate-rule';

const base = (): Record<string, unknown> => ({
  id: 'r1',
  name: 'ticker slow',
  enabled: true,
  urlPattern: 'wss://x.test/*',
  direction: 'incoming',
  payload: { kind: 'any' },
  action: { type: 'delay', delayMs: 500 },
});
const rule = (fields: Record<string, unknown>) => ({ ...base(), ...fields });
const regex = (pattern: string, flags?: string) => ({ payload: { kind: 'regex', pattern, flags } });
const json = (path: string, equals: string) => ({ payload: { kind: 'json', path, equals } });
const text = (value: string) => ({ payload: { kind: 'text', text: value } });
const action = (fields: Record<string, unknown>) => ({ action: fields });
const reply = (template: string, delayMs: unknown = 0) =>
  action({ type: 'reply', template, delayMs });
const rewrite = (find: string, regex: unknown, replace?: string) =>
  action({ type: 'rewrite', find, regex, replace });
const close = (code: unknown, reason = '', afterMatches: unknown = 1) =>
  action({ type: 'close', code, reason, afterMatches });
const throttle = (framesPerSecond: unknown) => action({ type: 'throttle', framesPerSecond });
const error = (value: unknown) => {
  const checked = validateRule(value);
  return 'error' in checked ? checked.error : 'valid';
};

const RESERVED =
  /^Rule "ticker slow": close code (\d+) is reserved: a close frame never carries it\.$/;
const NOT_SENDABLE =
  /close code \d+ is not one a server may send: use 1000 to 1014 or 3000 to 4999/;
const EQUALS =
  /payload\.equals must be JSON for a string, number, true, false or null, such as "chat"/;

const cases: [Record<string, unknown>, string | RegExp][] = [
  [{ id: '' }, 'Rule "ticker slow": id must be a string of 1 to 100 characters.'],
  [{ id: 'i'.repeat(101) }, /^Rule "ticker slow": id must be/],
  [{ id: 7 }, /: id must be/],
  [{ name: '   ' }, /^Rule: name must be 1 to 200 characters/],
  [{ name: 'n'.repeat(201) }, /^Rule: name must be/],
  [{ name: 5 }, /^Rule: name must be/],
  [{ enabled: 'yes' }, 'Rule "ticker slow": enabled must be true or false.'],
  [{ urlPattern: 'u'.repeat(2001) }, /urlPattern must be a string of at most 2000/],
  [{ urlPattern: null }, /urlPattern must be a string/],
  [{ direction: 'sent' }, /direction must be "outgoing", "incoming" or "any"\.$/],
  [{ payload: null }, /payload must be an object/],
  [{ payload: [] }, /payload must be an object/],
  [
    { payload: { kind: 'glob' } },
    /payload\.kind must be "any", "text", "regex", "json" or "decoded"/,
  ],
  [text(''), /payload\.text must be a string of 1 to 10000/],
  [text('t'.repeat(10_001)), /payload\.text must be/],
  [regex('(', ''), /payload\.pattern is not a valid regular expression \(.+\)\.$/],
  [
    regex('x', 'g'),
    'Rule "ticker slow": payload.flags may not contain "g": it makes matching stateful.',
  ],
  [regex('x', 'iy'), /may not contain "y": it makes matching stateful/],
  [regex('x', 'd'), /payload\.flags may only contain i, m, s and u/],
  [regex('x', 'ii'), /payload\.pattern is not a valid regular expression/],
  [regex('x'), /payload\.flags must be a string/],
  [regex('x'.repeat(RULE_LIMITS.pattern + 1), ''), /payload\.pattern must be a string of at most/],
  [
    json('a..b', '1'),
    'Rule "ticker slow": payload.path is not a valid JSON path: Unexpected "." at 3 in a..b.',
  ],
  [json('a', 'chat'), EQUALS],
  [json('a', '{"a":1}'), EQUALS],
  [json('a', '[1]'), EQUALS],
  [json('a', '1e999'), EQUALS],
  [action({ type: 'bogus' }), /action\.type must be "reply", "rewrite", .* or "mock"/],
  [action({ type: 'constructor' }), /action\.type must be/],
  [reply('{{ x'), /action\.template is not valid: "\{\{" at 1 is never closed/],
  [reply('x', -1), /action\.delayMs must be a whole number from 0 to 600000/],
  [reply('x', 600_001), /action\.delayMs must be/],
  [reply('t'.repeat(RULE_LIMITS.frame + 1)), /action\.template must be a string of at most 100000/],
  [rewrite('', false, ''), /action\.find must be a string of 1 to/],
  [rewrite('(', true, ''), /action\.find is not a valid regular expression/],
  [rewrite('x', 'yes', ''), /action\.regex must be true or false/],
  [rewrite('x', false), /action\.replace must be a string/],
  [
    action({ type: 'rewrite-json', path: 'a]', value: '1' }),
    /action\.path is not a valid JSON path: Unexpected "\]" at 2 in a\]/,
  ],
  [
    action({ type: 'rewrite-json', path: 'a', value: '{' }),
    /action\.value is not valid JSON \(.+\)\.$/,
  ],
  [
    action({ type: 'delay', delayMs: 0 }),
    /action\.delayMs must be a whole number from 1 to 600000/,
  ],
  [action({ type: 'delay', delayMs: 1.5 }), /action\.delayMs must be/],
  [action({ type: 'delay', delayMs: '100' }), /action\.delayMs must be/],
  [close(1006), 'Rule "ticker slow": close code 1006 is reserved: a close frame never carries it.'],
  [close(1005), RESERVED],
  [close(1015), RESERVED],
  [close(1004), 'Rule "ticker slow": close code 1004 is reserved.'],
  [close(999), NOT_SENDABLE],
  [close(1016), NOT_SENDABLE],
  [close(2999), NOT_SENDABLE],
  [close(5000), NOT_SENDABLE],
  [close(1000.5), /action\.code must be a whole number/],
  [close('1000'), /action\.code must be a whole number/],
  [close(1000, 'r'.repeat(124)), /action\.reason must be a string of at most 123/],
  [close(1000, '€'.repeat(42)), /action\.reason must be at most 123 bytes as UTF-8/],
  [close(1000, '', -1), /action\.afterMatches must be a whole number from 0 to 1000000/],
  [action({ type: 'fail', afterMatches: 1_000_001 }), /action\.afterMatches must be/],
  [action({ type: 'fail' }), /action\.afterMatches must be/],
  [
    { payload: { kind: 'decoded', field: 'mqtt topic', equals: 'a' } },
    /payload\.field must be "socket\.io event", /,
  ],
  [{ payload: { kind: 'decoded', field: 'stomp command', equals: '' } }, /payload\.equals/],
  [throttle(0), /a throttle needs frames or bytes per second above 0/],
  [
    action({ type: 'throttle', framesPerSecond: 0, bytesPerSecond: -5 }),
    /action\.bytesPerSecond must be a number from 0 to 1000000000/,
  ],
  [throttle(-1), /framesPerSecond must be/],
  [throttle(Number.NaN), /framesPerSecond must be/],
  [throttle(Number.POSITIVE_INFINITY), /framesPerSecond must be/],
  [throttle(10_001), /framesPerSecond must be/],
  [throttle('5'), /framesPerSecond must be/],
  [action({ type: 'mock' }), /action\.protocol must be a string of at most 200/],
  [action({ type: 'mock', protocol: 'a b' }), /action\.protocol must be empty or a subprotocol/],
  [action({ type: 'mock', protocol: 'v1,v2' }), /action\.protocol must be empty or/],
  [close(70_000), /action\.code must be a whole number from 0 to 65535/],
];

describe('validateRule refuses, in one sentence naming the rule and the field', () => {
  it.each(
    cases.map((each, index) => [index, ...each] as const),
  )('case %i', (_, fields, expected) => {
    const message = error(rule(fields));
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
    expect(message).toMatch(/^Rule( "[^"]+")?: .+\.$/s);
  });

  it('anything but an object', () => {
    for (const value of [null, undefined, 'rule', 42, [], [base()]]) {
      expect(error(value)).toBe('Rule: it must be an object.');
    }
  });
});
