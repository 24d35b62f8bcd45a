import { MAX_RULE_NAME, MAX_RULES, type SocketRule } from '../protocol/socket-rules';
import { escapeTemplateText } from './reply-template';
import { newRuleId } from './rules-storage';
import { escapeRegExp } from './url-glob';
import { RULE_LIMITS, validateRule } from './validate-rule';

/**
 * "Mock from recording": rules that answer what the page sends with what the server answered
 * when it was recorded, so that the page can run against no server (or another one).
 *
 * - A `mock` rule for the connection's URL comes first (`<name>: mock endpoint`): sockets to it
 *   never reach the network, and open with the subprotocol the server selected.
 * - Each sent text frame gets one `reply` rule per received text frame after it, up to the
 *   next sent frame (text or binary). A reply is matched to the whole of the sent text.
 *   `<name>: reply 3.2` is the second reply to the third sent text that has any.
 * - A sent text seen again makes no more rules: its first replies win (a later, different
 *   answer to the same message would reply twice otherwise).
 * - Binary frames (and frames the recording did not keep whole: the caller passes them as
 *   null) make no rule: a reply rule delivers text.
 * - What the server sent before the page's first frame (its greeting) becomes, for a mock,
 *   replies at open (`<name>: greeting 1`…), delivered in order as the mocked socket opens; the
 *   reply rules alone leave it out (a real server greets by itself).
 * - Frames too large for a rule (RULE_LIMITS) are skipped, and at most MAX_RULES are made.
 * - The URL pattern is the connection's URL as is, query included; a `*` in it (rare) matches
 *   any run, which still matches this URL. A URL too long for a pattern is cut to a prefix + `*`.
 */

export interface RecordedFrame {
  direction: 'sent' | 'received';
  /** null for a binary frame, or one the recording did not keep whole. */
  text: string | null;
}

export interface MockFromRecording {
  /** The mock rule, then the reply rules. */
  rules: SocketRule[];
  /** Text frames the server sent before the page's first frame (delivered at open). */
  greeting: number;
  /** Reply rules left out for want of room (see `room`). */
  leftOut: number;
}

/**
 * The mock rule and its replies, at most `room` rules in all (the room left in the user's
 * list); none at all when there is no room for the mock rule.
 */
export function mockFromRecording(
  connectionUrl: string,
  protocol: string,
  frames: ReadonlyArray<RecordedFrame>,
  name: string,
  room: number = MAX_RULES,
): MockFromRecording {
  const base = baseName(name);
  const urlPattern = patternOf(connectionUrl);
  const replies = replyRules(urlPattern, frames, base, Math.max(0, room - 1), true);
  if (room < 1) return { rules: [], greeting: replies.greeting, leftOut: replies.made };
  const mock = (chosen: string): SocketRule => ({
    id: newRuleId(),
    name: `${base}: mock endpoint`,
    enabled: true,
    urlPattern,
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'mock', protocol: chosen },
  });
  // A subprotocol a HAR file made up (not an HTTP token) is not one a rule may select.
  const checked = validateRule(mock(protocol));
  const first = 'rule' in checked ? checked.rule : mock('');
  return {
    rules: [first, ...replies.rules],
    greeting: replies.greeting,
    leftOut: replies.made - replies.rules.length,
  };
}

/** The reply rules alone, at most MAX_RULES. */
export function rulesFromRecording(
  connectionUrl: string,
  frames: ReadonlyArray<RecordedFrame>,
  name: string,
): SocketRule[] {
  return replyRules(patternOf(connectionUrl), frames, baseName(name), MAX_RULES).rules;
}

function patternOf(connectionUrl: string): string {
  return connectionUrl.length > RULE_LIMITS.urlPattern
    ? `${connectionUrl.slice(0, RULE_LIMITS.urlPattern - 1)}*`
    : connectionUrl;
}

/** The rules' common name, leaving room for the longest suffix within MAX_RULE_NAME. */
function baseName(name: string): string {
  return (name.trim() || 'Mock').slice(0, MAX_RULE_NAME - 24).trim();
}

/** Up to `limit` reply rules; `made` counts those beyond it too. */
function replyRules(
  urlPattern: string,
  frames: ReadonlyArray<RecordedFrame>,
  base: string,
  limit: number,
  /** Whether what came before the first send becomes greetings (only a mock has no server). */
  greetings = false,
): { rules: SocketRule[]; made: number; greeting: number } {
  const seen = new Set<string>();
  const rules: SocketRule[] = [];
  let made = 0;
  let greeting = 0;
  let anySent = false;
  let pattern: string | null = null; // the current sent frame's, while its replies make rules
  let message = 0;
  let reply = 0;
  for (const frame of frames) {
    if (frame.direction === 'sent') {
      anySent = true;
      pattern = null;
      if (frame.text === null || seen.has(frame.text)) continue;
      seen.add(frame.text);
      const source = `^${escapeRegExp(frame.text)}$`;
      if (source.length > RULE_LIMITS.pattern) continue;
      pattern = source;
      reply = 0;
      continue;
    }
    if (!anySent && frame.text !== null) {
      greeting++;
      if (!greetings) continue;
      const template = escapeTemplateText(frame.text);
      if (template.length > RULE_LIMITS.frame) continue;
      made++;
      if (rules.length === limit) continue;
      rules.push({
        id: newRuleId(),
        name: `${base}: greeting ${greeting}`,
        enabled: true,
        urlPattern,
        direction: 'outgoing',
        payload: { kind: 'any' },
        action: { type: 'reply', template, delayMs: 0, atOpen: true },
      });
      continue;
    }
    if (pattern === null || frame.text === null) continue;
    const template = escapeTemplateText(frame.text);
    if (template.length > RULE_LIMITS.frame) continue;
    if (reply === 0) message++;
    reply++;
    made++;
    if (rules.length === limit) continue;
    rules.push({
      id: newRuleId(),
      name: `${base}: reply ${message}.${reply}`,
      enabled: true,
      urlPattern,
      direction: 'outgoing',
      payload: { kind: 'regex', pattern, flags: '' },
      action: { type: 'reply', template, delayMs: 0 },
    });
  }
  return { rules, made, greeting };
}
