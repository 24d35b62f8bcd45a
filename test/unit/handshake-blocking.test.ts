import { describe, expect, it } from 'vitest';
import { blockingRules } from '../../src/hub/handshake-blocking';
import type { SocketRule } from '../../src/protocol/socket-rules';

const mockRule = (urlPattern: string, enabled = true): SocketRule => ({
  id: urlPattern,
  name: `mock ${urlPattern}`,
  enabled,
  urlPattern,
  direction: 'any',
  payload: { kind: 'any' },
  action: { type: 'mock', protocol: '' },
});

/** The block's regexFilter as a RegExp (both browsers match it case-insensitively). */
const blocks = (pattern: string) => {
  const [rule] = blockingRules([mockRule(pattern)]);
  return new RegExp(rule!.condition.regexFilter, 'i');
};

describe('blockingRules', () => {
  it('blocks a ws:// pattern by its ws:// URL (Chrome) and its http:// one (Firefox)', () => {
    const regex = blocks('ws://127.0.0.1:8080/chat');
    expect(regex.test('ws://127.0.0.1:8080/chat')).toBe(true);
    expect(regex.test('http://127.0.0.1:8080/chat')).toBe(true);
    expect(regex.test('https://127.0.0.1:8080/chat')).toBe(false);
    expect(regex.test('ws://127.0.0.1:8080/chat/more')).toBe(false);
    expect(regex.test('ws://127.0.0.1x8080/chat')).toBe(false);
  });

  it('keeps wss:// to TLS in both spellings, and globs as globs', () => {
    const regex = blocks('wss://*.example.com/live*');
    expect(regex.test('wss://a.example.com/live?x=1')).toBe(true);
    expect(regex.test('https://a.example.com/live')).toBe(true);
    expect(regex.test('ws://a.example.com/live')).toBe(false);
    expect(regex.test('http://a.example.com/live')).toBe(false);
  });

  it('leaves a pattern without a scheme as it is', () => {
    const regex = blocks('*/chat');
    expect(regex.test('ws://host/chat')).toBe(true);
    expect(regex.test('http://host/chat')).toBe(true);
    expect(regex.test('ws://host/chat2')).toBe(false);
  });

  it('blocks nothing for disabled rules, or rules that let the handshake through', () => {
    expect(blockingRules([mockRule('*/a', false)])).toEqual([]);
    const withAction = (action: SocketRule['action']): SocketRule => ({
      ...mockRule('*/b'),
      action,
    });
    expect(blockingRules([withAction({ type: 'drop' })])).toEqual([]);
    expect(blockingRules([withAction({ type: 'fail', afterMatches: 3 })])).toEqual([]);
    expect(
      blockingRules([withAction({ type: 'close', code: 1011, reason: '', afterMatches: 0 })]),
    ).toEqual([]);
  });

  it('blocks the handshakes a fail rule refuses at open', () => {
    const fail: SocketRule = { ...mockRule('*/down'), action: { type: 'fail', afterMatches: 0 } };
    const [rule] = blockingRules([fail]);
    expect(new RegExp(rule!.condition.regexFilter, 'i').test('ws://host/down')).toBe(true);
  });
});
