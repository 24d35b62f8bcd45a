import { describe, expect, it, vi } from 'vitest';
import { MAX_RULES, type SocketRule } from '../../../src/protocol/socket-rules';
import {
  newRule,
  newRuleId,
  rulesFromStorage,
  withUniqueIds,
} from '../../../src/rules/rules-storage';
import { validateRule } from '../../../src/rules/validate-rule';

const rule = (id: string, extra: Partial<SocketRule> = {}): SocketRule => ({
  id,
  name: `Rule ${id}`,
  enabled: true,
  urlPattern: '',
  direction: 'any',
  payload: { kind: 'any' },
  action: { type: 'drop' },
  ...extra,
});

describe('rulesFromStorage', () => {
  it('reads nothing from what is not a list', () => {
    for (const stored of [undefined, null, 'rules', 3, { 0: rule('a') }]) {
      expect(rulesFromStorage(stored)).toEqual([]);
    }
  });

  it('keeps the valid rules, in order, as copies', () => {
    const stored: unknown[] = [
      rule('a'),
      null,
      { ...rule('b'), action: { type: 'delay', delayMs: -5 } },
      Object.create(rule('c')),
      { ...rule('d'), extra: true },
    ];
    const rules = rulesFromStorage(stored);
    expect(rules).toEqual([rule('a'), rule('d')]);
    expect(rules[0]).not.toBe(stored[0]);
  });

  it('keeps at most MAX_RULES, the first ones', () => {
    const stored = Array.from({ length: MAX_RULES + 50 }, (_, i) => rule(`r${i}`));
    const rules = rulesFromStorage(stored);
    expect(rules).toHaveLength(MAX_RULES);
    expect(rules.at(-1)!.id).toBe(`r${MAX_RULES - 1}`);
  });

  it('counts only valid rules toward MAX_RULES', () => {
    const stored = [
      ...Array.from({ length: 10 }, () => 'junk'),
      ...Array.from({ length: MAX_RULES }, (_, i) => rule(`r${i}`)),
    ];
    expect(rulesFromStorage(stored)).toHaveLength(MAX_RULES);
  });

  it('gives a repeated id a fresh one', () => {
    const rules = rulesFromStorage([rule('a'), rule('a', { name: 'Twin' })]);
    expect(rules[0]!.id).toBe('a');
    expect(rules[1]!.id).not.toBe('a');
    expect(rules[1]!.name).toBe('Twin');
  });
});

describe('withUniqueIds', () => {
  it('keeps the first of each id, and the rules as they are otherwise', () => {
    const rules = [rule('a'), rule('b'), rule('a'), rule('a')];
    const unique = withUniqueIds(rules);
    expect(unique[0]).toBe(rules[0]);
    expect(unique[1]).toBe(rules[1]);
    expect(new Set(unique.map((each) => each.id)).size).toBe(4);
    expect(unique[2]).toEqual({ ...rules[2], id: unique[2]!.id });
  });
});

describe('newRuleId', () => {
  it('is 128 random bits in hex, from crypto.getRandomValues', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const id = newRuleId();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const ids = new Set(Array.from({ length: 1000 }, newRuleId));
    expect(ids.size).toBe(1000);
  });
});

describe('newRule', () => {
  it('is a valid, enabled, harmless rule with a fresh id', () => {
    const made = newRule();
    expect(validateRule(made)).toEqual({ rule: made });
    expect(made).toMatchObject({
      name: 'New rule',
      enabled: true,
      urlPattern: '',
      direction: 'outgoing',
      payload: { kind: 'any' },
      action: { type: 'delay', delayMs: 1000 },
    });
    expect(newRule().id).not.toBe(made.id);
  });
});
