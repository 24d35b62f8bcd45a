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
 * What keeps a mocked endpoint off the network: the page hook answers a mocked socket itself and
 * aborts the browser's own, but an aborted `new WebSocket()` still reaches the server's TCP port
 * now and then (measured: 4 of 50 in Chromium, 6 of 50 in Firefox). A declarativeNetRequest
 * block on the mock's URLs stops it before any connection. Only while a mock rule is enabled:
 * Chrome routes every WebSocket through the browser process while an extension may act on them.
 */
export function blockingRules(rules: readonly SocketRule[]): BlockingRule[] {
  const blocking: BlockingRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled || rule.action.type !== 'mock' || !('rule' in validateRule(rule))) continue;
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
