import { describe, expect, it } from 'vitest';
import { ruleSummary } from '../../src/panel/rules/rule-summary';
import type { PayloadMatch, RuleAction, SocketRule } from '../../src/protocol/socket-rules';

function rule(action: RuleAction, change: Partial<SocketRule> = {}): SocketRule {
  return {
    id: 'r',
    name: 'A rule',
    enabled: true,
    urlPattern: '',
    direction: 'any',
    payload: { kind: 'any' },
    action,
    ...change,
  };
}

const drop: RuleAction = { type: 'drop' };
const matching = (payload: PayloadMatch) => ruleSummary(rule(drop, { payload }));

describe('ruleSummary', () => {
  it('says the direction and payload matched, then the action', () => {
    expect(
      ruleSummary(
        rule(
          { type: 'reply', template: 'pong', delayMs: 0 },
          { direction: 'outgoing', payload: { kind: 'text', text: 'ping' } },
        ),
      ),
    ).toBe('outgoing, text "ping" → reply after 0 ms');
    expect(ruleSummary(rule({ type: 'close', code: 1011, reason: 'bye', afterMatches: 10 }))).toBe(
      'any, any payload → close 1011 "bye" on match 10',
    );
  });

  it('puts the URL pattern first when the rule has one', () => {
    expect(
      ruleSummary(rule(drop, { urlPattern: 'wss://*.test/chat', direction: 'incoming' })),
    ).toBe('wss://*.test/chat, incoming, any payload → drop');
  });

  it('shows each kind of payload match', () => {
    expect(matching({ kind: 'regex', pattern: '^a(\\d+)', flags: 'i' })).toBe(
      'any, regex /^a(\\d+)/i → drop',
    );
    expect(matching({ kind: 'json', path: 'a.b[0]', equals: '"x"' })).toBe(
      'any, JSON a.b[0] = "x" → drop',
    );
  });

  it('shows each action with its numbers', () => {
    const of = (action: RuleAction) => ruleSummary(rule(action)).split(' → ')[1];
    expect(of({ type: 'rewrite', find: 'a', regex: false, replace: 'b' })).toBe(
      'rewrite "a" with "b"',
    );
    expect(of({ type: 'rewrite', find: 'a+', regex: true, replace: '$1' })).toBe(
      'rewrite /a+/ with "$1"',
    );
    expect(of({ type: 'rewrite-json', path: 'price', value: '0' })).toBe('set JSON price to 0');
    expect(of({ type: 'delay', delayMs: 250 })).toBe('delay 250 ms');
    expect(of({ type: 'close', code: 1000, reason: '', afterMatches: 1 })).toBe(
      'close 1000 on match 1',
    );
    expect(of({ type: 'fail', afterMatches: 0 })).toBe('fail at open');
    expect(of({ type: 'fail', afterMatches: 3 })).toBe('fail on match 3');
    expect(of({ type: 'throttle', framesPerSecond: 5 })).toBe('throttle to 5 frames/s');
  });

  it('keeps to one line: text is escaped and long text cut short', () => {
    expect(matching({ kind: 'text', text: 'a\nb"c' })).toBe('any, text "a\\nb\\"c" → drop');
    const summary = matching({ kind: 'text', text: 'x'.repeat(100) });
    expect(summary).toBe(`any, text "${'x'.repeat(40)}…" → drop`);
  });
});
