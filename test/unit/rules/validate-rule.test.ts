import { describe, expect, it } from 'vitest';
import { MAX_RULE_NAME, type SocketRule } from '../../../src/protocol/socket-rules';
import { checkRule, validateRule } from '../../../src/rules/validate-rule';

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
  { kind: 'decoded', field: 'socket.io event', equals: 'chat' },
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
  { type: 'throttle', framesPerSecond: 0, bytesPerSecond: 50_000 },
  { type: 'mock', protocol: '' },
  { type: 'mock', protocol: 'graphql-transport-ws' },
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
    expect(error({ ...base(), urlPattern: `wss://${'u'.repeat(1994)}` })).toBe('valid');
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
