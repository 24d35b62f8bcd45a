import { describe, expect, it } from 'vitest';
import { MAX_RULE_NAME, type SocketRule } from '../../../src/protocol/socket-rules';
import { checkRule, RULE_LIMITS, validateRule } from '../../../src/rules/validate-rule';

const base = (): Record<string, unknown> => ({
  id: 'r1',
  name: 'ticker slow',
  enabled: true,
  urlPattern: 'wss://x.test/*',
  direction: 'incoming',
  payload: { kind: 'any' },
  action: { type: 'delay', delayMs: 500 },
});
const withPayload = (payload: unknown) => ({ ...base(), payload });
const withAction = (action: unknown) => ({ ...base(), action });
const error = (value: unknown) => {
  const checked = validateRule(value);
  return 'error' in checked ? checked.error : 'valid';
};
const valid = (value: unknown): SocketRule => {
  const checked = validateRule(value);
  if ('error' in checked) throw new Error(checked.error);
  return checked.rule;
};

const payloads: unknown[] = [
  { kind: 'any' },
  { kind: 'text', text: 'ping' },
  { kind: 'regex', pattern: '^p(\\d+)', flags: 'imsu' },
  { kind: 'regex', pattern: '', flags: '' },
  { kind: 'json', path: '$.type', equals: '"chat"' },
  { kind: 'json', path: 'a[0]', equals: '42' },
  { kind: 'json', path: '', equals: 'null' },
];
const actions: unknown[] = [
  { type: 'reply', template: '{"pong":$1,"id":{{ id }}}', delayMs: 0 },
  { type: 'rewrite', find: 'a.b', regex: false, replace: '$1' },
  { type: 'rewrite', find: '(\\d+)', regex: true, replace: '<$1>' },
  { type: 'rewrite-json', path: 'user.name', value: '{"x":[1]}' },
  { type: 'drop' },
  { type: 'delay', delayMs: 600_000 },
  { type: 'close', code: 4000, reason: 'bye', afterMatches: 0 },
  { type: 'fail', afterMatches: 3 },
  { type: 'throttle', framesPerSecond: 0.5 },
];

describe('validateRule accepts', () => {
  it('every kind of payload match and action, as a fresh copy', () => {
    for (const payload of payloads) {
      for (const action of actions) {
        const input = { ...base(), payload, action };
        const rule = valid(input);
        expect(rule).toEqual(input);
        expect(rule).not.toBe(input);
        expect(rule.payload).not.toBe(payload);
        expect(rule.action).not.toBe(action);
      }
    }
  });

  it('drops unknown fields and trims the name', () => {
    const input = {
      ...base(),
      name: '  ticker slow ',
      extra: 1,
      payload: { kind: 'text', text: 'x', pattern: 'y' },
      action: { type: 'drop', delayMs: 5 },
    };
    expect(valid(input)).toEqual({
      ...base(),
      payload: { kind: 'text', text: 'x' },
      action: { type: 'drop' },
    });
  });

  it('the bounds themselves', () => {
    expect(error({ ...base(), id: 'i'.repeat(100), name: 'n'.repeat(MAX_RULE_NAME) })).toBe(
      'valid',
    );
    expect(error({ ...base(), urlPattern: 'u'.repeat(2000) })).toBe('valid');
    expect(error(withPayload({ kind: 'text', text: 't'.repeat(10_000) }))).toBe('valid');
    expect(error(withAction({ type: 'delay', delayMs: 1 }))).toBe('valid');
    expect(error(withAction({ type: 'fail', afterMatches: 1_000_000 }))).toBe('valid');
    expect(error(withAction({ type: 'throttle', framesPerSecond: 10_000 }))).toBe('valid');
    for (const code of [1000, 1001, 1003, 1007, 1014, 3000, 4999]) {
      expect(error(withAction({ type: 'close', code, reason: '', afterMatches: 1 }))).toBe('valid');
    }
    for (const reason of ['r'.repeat(123), '€'.repeat(41), `${'🙂'.repeat(30)}abc`]) {
      expect(error(withAction({ type: 'close', code: 1000, reason, afterMatches: 1 }))).toBe(
        'valid',
      );
    }
    for (const equals of ['"chat"', '42', '-1.5e3', 'true', 'false', 'null', ' "x" ']) {
      expect(error(withPayload({ kind: 'json', path: 'a', equals }))).toBe('valid');
    }
  });
});

describe('validateRule refuses, naming the rule and the field', () => {
  const cases: [unknown, string | RegExp][] = [
    [{ ...base(), id: '' }, 'Rule "ticker slow": id must be a string of 1 to 100 characters.'],
    [{ ...base(), id: 'i'.repeat(101) }, /^Rule "ticker slow": id must be/],
    [{ ...base(), id: 7 }, /: id must be/],
    [{ ...base(), name: '   ' }, /^Rule: name must be 1 to 200 characters/],
    [{ ...base(), name: 'n'.repeat(201) }, /^Rule: name must be/],
    [{ ...base(), name: 5 }, /^Rule: name must be/],
    [{ ...base(), enabled: 'yes' }, 'Rule "ticker slow": enabled must be true or false.'],
    [{ ...base(), urlPattern: 'u'.repeat(2001) }, /urlPattern must be a string of at most 2000/],
    [{ ...base(), urlPattern: null }, /urlPattern must be a string/],
    [{ ...base(), direction: 'sent' }, /direction must be "outgoing", "incoming" or "any"\.$/],
    [withPayload(null), /payload must be an object/],
    [withPayload([]), /payload must be an object/],
    [withPayload({ kind: 'glob' }), /payload\.kind must be "any", "text", "regex" or "json"/],
    [withPayload({ kind: 'text', text: '' }), /payload\.text must be a string of 1 to 10000/],
    [withPayload({ kind: 'text', text: 't'.repeat(10_001) }), /payload\.text must be/],
    [
      withPayload({ kind: 'regex', pattern: '(', flags: '' }),
      /payload\.pattern is not a valid regular expression \(.+\)\.$/,
    ],
    [
      withPayload({ kind: 'regex', pattern: 'x', flags: 'g' }),
      'Rule "ticker slow": payload.flags may not contain "g": it makes matching stateful.',
    ],
    [
      withPayload({ kind: 'regex', pattern: 'x', flags: 'iy' }),
      /may not contain "y": it makes matching stateful/,
    ],
    [
      withPayload({ kind: 'regex', pattern: 'x', flags: 'd' }),
      /payload\.flags may only contain i, m, s and u/,
    ],
    [
      withPayload({ kind: 'regex', pattern: 'x', flags: 'ii' }),
      /payload\.pattern is not a valid regular expression/,
    ],
    [withPayload({ kind: 'regex', pattern: 'x' }), /payload\.flags must be a string/],
    [
      withPayload({ kind: 'json', path: 'a..b', equals: '1' }),
      'Rule "ticker slow": payload.path is not a valid JSON path: Unexpected "." at 3 in a..b.',
    ],
    [
      withPayload({ kind: 'json', path: 'a', equals: 'chat' }),
      /payload\.equals must be JSON for a string, number, true, false or null, such as "chat"/,
    ],
    [withPayload({ kind: 'json', path: 'a', equals: '{"a":1}' }), /payload\.equals must be/],
    [withPayload({ kind: 'json', path: 'a', equals: '[1]' }), /payload\.equals must be/],
    [withPayload({ kind: 'json', path: 'a', equals: '1e999' }), /payload\.equals must be/],
    [withAction({ type: 'mock' }), /action\.type must be "reply", "rewrite", .* or "throttle"/],
    [
      withAction({ type: 'reply', template: '{{ x', delayMs: 0 }),
      /action\.template is not valid: "\{\{" at 1 is never closed/,
    ],
    [
      withAction({ type: 'reply', template: 'x', delayMs: -1 }),
      /action\.delayMs must be a whole number from 0 to 600000/,
    ],
    [withAction({ type: 'reply', template: 'x', delayMs: 600_001 }), /action\.delayMs must be/],
    [
      withAction({ type: 'reply', template: 't'.repeat(RULE_LIMITS.frame + 1), delayMs: 0 }),
      /action\.template must be a string of at most 100000/,
    ],
    [
      withAction({ type: 'rewrite', find: '', regex: false, replace: '' }),
      /action\.find must be a string of 1 to/,
    ],
    [
      withAction({ type: 'rewrite', find: '(', regex: true, replace: '' }),
      /action\.find is not a valid regular expression/,
    ],
    [
      withAction({ type: 'rewrite', find: 'x', regex: 'yes', replace: '' }),
      /action\.regex must be true or false/,
    ],
    [withAction({ type: 'rewrite', find: 'x', regex: false }), /action\.replace must be a string/],
    [
      withAction({ type: 'rewrite-json', path: 'a]', value: '1' }),
      /action\.path is not a valid JSON path: Unexpected "\]" at 2 in a\]/,
    ],
    [
      withAction({ type: 'rewrite-json', path: 'a', value: '{' }),
      /action\.value is not valid JSON \(.+\)\.$/,
    ],
    [
      withAction({ type: 'delay', delayMs: 0 }),
      /action\.delayMs must be a whole number from 1 to 600000/,
    ],
    [withAction({ type: 'delay', delayMs: 1.5 }), /action\.delayMs must be/],
    [withAction({ type: 'delay', delayMs: '100' }), /action\.delayMs must be/],
    [
      withAction({ type: 'close', code: 1006, reason: '', afterMatches: 1 }),
      'Rule "ticker slow": close code 1006 is reserved: a close frame never carries it.',
    ],
    [
      withAction({ type: 'close', code: 1005, reason: '', afterMatches: 1 }),
      /close code 1005 is reserved: a close frame never carries it/,
    ],
    [
      withAction({ type: 'close', code: 1015, reason: '', afterMatches: 1 }),
      /close code 1015 is reserved: a close frame never carries it/,
    ],
    [
      withAction({ type: 'close', code: 1004, reason: '', afterMatches: 1 }),
      /close code 1004 is reserved/,
    ],
    [
      withAction({ type: 'close', code: 999, reason: '', afterMatches: 1 }),
      /close code 999 is not one a server may send/,
    ],
    [
      withAction({ type: 'close', code: 1016, reason: '', afterMatches: 1 }),
      /close code 1016 is not one/,
    ],
    [
      withAction({ type: 'close', code: 2999, reason: '', afterMatches: 1 }),
      /close code 2999 is not one/,
    ],
    [
      withAction({ type: 'close', code: 5000, reason: '', afterMatches: 1 }),
      /close code 5000 is not one/,
    ],
    [
      withAction({ type: 'close', code: 1000.5, reason: '', afterMatches: 1 }),
      /action\.code must be a whole number/,
    ],
    [
      withAction({ type: 'close', code: 1000, reason: 'r'.repeat(124), afterMatches: 1 }),
      /action\.reason must be a string of at most 123/,
    ],
    [
      withAction({ type: 'close', code: 1000, reason: '€'.repeat(42), afterMatches: 1 }),
      /action\.reason must be at most 123 bytes as UTF-8/,
    ],
    [
      withAction({ type: 'close', code: 1000, reason: '', afterMatches: -1 }),
      /action\.afterMatches must be a whole number from 0 to 1000000/,
    ],
    [withAction({ type: 'fail', afterMatches: 1_000_001 }), /action\.afterMatches must be/],
    [
      withAction({ type: 'throttle', framesPerSecond: 0 }),
      /action\.framesPerSecond must be a number above 0, at most 10000/,
    ],
    [withAction({ type: 'throttle', framesPerSecond: -1 }), /framesPerSecond must be/],
    [withAction({ type: 'throttle', framesPerSecond: Number.NaN }), /framesPerSecond must be/],
    [
      withAction({ type: 'throttle', framesPerSecond: Number.POSITIVE_INFINITY }),
      /framesPerSecond must be/,
    ],
    [withAction({ type: 'throttle', framesPerSecond: 10_001 }), /framesPerSecond must be/],
    [withAction({ type: 'throttle', framesPerSecond: '5' }), /framesPerSecond must be/],
  ];

  it.each(
    cases.map((each, index) => [index, ...each] as const),
  )('case %i', (_, value, expected) => {
    const message = error(value);
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

describe('validateRule trusts nothing in its input', () => {
  it('refuses fields lent by a prototype', () => {
    const { name, ...rest } = base();
    expect(error(Object.assign(Object.create({ name }), rest))).toMatch(/^Rule: name must be/);
    expect(error(Object.create(base()))).toMatch(/^Rule: id must be/);
    const { action } = base();
    const lent = { ...base(), action: Object.create(action as object) };
    expect(error(lent)).toMatch(/action\.type must be/);
  });

  it('never runs a getter, even one that would answer right', () => {
    let reads = 0;
    const sneaky = { ...base() };
    Object.defineProperty(sneaky, 'enabled', {
      enumerable: true,
      get: () => {
        reads++;
        return reads === 1;
      },
    });
    expect(error(sneaky)).toBe('Rule "ticker slow": enabled must be true or false.');
    const payload = { kind: 'text' };
    Object.defineProperty(payload, 'text', {
      get: () => {
        reads++;
        return 'x';
      },
    });
    expect(error(withPayload(payload))).toMatch(/payload\.text must be/);
    expect(reads).toBe(0);
  });

  it('reports a proxy whose traps throw instead of throwing', () => {
    const hostile = new Proxy(base(), {
      getOwnPropertyDescriptor: () => {
        throw new Error('boom');
      },
    });
    expect(error(hostile)).toBe('Rule: it could not be read.');
    const late = {
      ...base(),
      payload: new Proxy(
        {},
        {
          getOwnPropertyDescriptor: () => {
            throw 1;
          },
        },
      ),
    };
    expect(error(late)).toBe('Rule "ticker slow": it could not be read.');
  });

  it('keeps values, not objects: a rule is a copy the input cannot change later', () => {
    const input = base();
    const rule = valid(input);
    (input.action as { delayMs: number }).delayMs = 1;
    input.name = 'changed';
    expect(rule.action).toEqual({ type: 'delay', delayMs: 500 });
    expect(rule.name).toBe('ticker slow');
  });

  it('gives the problem and the name apart, for callers that name rules their own way', () => {
    expect(checkRule({ ...base(), enabled: 1 })).toEqual({
      problem: 'enabled must be true or false',
      name: 'ticker slow',
    });
    expect(checkRule(null)).toEqual({ problem: 'it must be an object', name: null });
  });
});
