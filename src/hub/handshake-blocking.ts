import type { SocketRule } from '../protocol/socket-rules';
import { escapeRegExp } from '../rules/url-glob';
import { validateRule } from '../rules/validate-rule';

/** A declarativeNetRequest session rule, as both browsers take it. */
export interface BlockingRule {
  id: number;
  priority: number;
  action: { type: 'block' };
  condition: { regexFilter: string; resourceTypes: ['websocket'] };
}

/**
 * The handshakes the network must never complete: a mocked endpoint's, and those a fail rule
 * refuses at open. The page hook answers a mocked socket itself and aborts the browser's own,
 * but an aborted `new WebSocket()` still reaches the server's TCP port now and then (measured: 4
 * of 50 in Chromium, 6 of 50 in Firefox); and a socket made before its document's relay had the
 * rules (storage is read asynchronously) may open before the hook can fail it. A
 * declarativeNetRequest block on their URLs stops both before any connection: the browser fails
 * a blocked handshake itself (error, then close 1006), as the rule asks. Only while such a rule is
 * enabled: Chrome routes every WebSocket through the browser process while an extension may act
 * on them.
 */
export function blockingRules(rules: readonly SocketRule[]): BlockingRule[] {
  const blocking: BlockingRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled || !blocksHandshake(rule) || !('rule' in validateRule(rule))) continue;
    blocking.push({
      id: blocking.length + 1,
      priority: 1,
      action: { type: 'block' },
      condition: {
        regexFilter: linearRegex(rule.urlPattern),
        resourceTypes: ['websocket'],
      },
    });
  }
  return blocking;
}

function blocksHandshake({ action }: SocketRule): boolean {
  return action.type === 'mock' || (action.type === 'fail' && action.afterMatches === 0);
}

/**
 * The glob as RE2 takes it (declarativeNetRequest's regexFilter): no lookaheads or
 * backreferences, which RE2 does not need, since it never backtracks. Firefox matches a
 * WebSocket's handshake by its HTTP URL (`http://` for `ws://`, `https://` for `wss://`), Chrome
 * by its `ws://` one: a pattern naming the scheme matches both spellings.
 */
function linearRegex(pattern: string): string {
  if (pattern === '') return '.*';
  const regex = pattern.split('*').map(escapeRegExp).join('.*');
  const schemeLess = /^wss?:/i.test(pattern) ? regex.slice(2) : null;
  return schemeLess === null ? `^${regex}$` : `^(?:ws|http)${schemeLess}$`;
}
