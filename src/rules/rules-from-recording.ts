import { MAX_RULE_NAME, MAX_RULES, type SocketRule } from '../protocol/socket-rules';
import { escapeTemplateText } from './reply-template';
import { newRuleId } from './rules-storage';
import { escapeRegExp } from './url-glob';
import { RULE_LIMITS } from './validate-rule';

/**
 * "Mock from recording": rules that answer what the page sends with what the server answered
 * when it was recorded, so that the page can run against no server (or another one).
 *
 * - Each sent text frame gets one `reply` rule per received text frame after it, up to the
 *   next sent frame (text or binary). A reply is matched to the whole of the sent text.
 *   `<name>: reply 3.2` is the second reply to the third sent text that has any.
 * - A sent text seen again makes no more rules: its first replies win (a later, different
 *   answer to the same message would reply twice otherwise).
 * - Binary frames, and what the server sent before the page's first frame, make no rule (a
 *   reply answers a frame).
 * - Frames too large for a rule (RULE_LIMITS) are skipped, and at most MAX_RULES are made.
 * - The URL pattern is the connection's URL as is, query included; a `*` in it (rare) matches
 *   any run, which still matches this URL. A URL too long for a pattern is cut to a prefix + `*`.
 */

export interface RecordedFrame {
  direction: 'sent' | 'received';
  /** null for a binary frame. */
  text: string | null;
}

export function rulesFromRecording(
  connectionUrl: string,
  frames: ReadonlyArray<RecordedFrame>,
  name: string,
): SocketRule[] {
  const urlPattern =
    connectionUrl.length > RULE_LIMITS.urlPattern
      ? `${connectionUrl.slice(0, RULE_LIMITS.urlPattern - 1)}*`
      : connectionUrl;
  const base = (name.trim() || 'Mock').slice(0, MAX_RULE_NAME - 24).trim();
  const seen = new Set<string>();
  const rules: SocketRule[] = [];
  let pattern: string | null = null; // the current sent frame's, while its replies make rules
  let message = 0;
  let reply = 0;
  for (const frame of frames) {
    if (rules.length === MAX_RULES) break;
    if (frame.direction === 'sent') {
      pattern = null;
      if (frame.text === null || seen.has(frame.text)) continue;
      seen.add(frame.text);
      const source = `^${escapeRegExp(frame.text)}$`;
      if (source.length > RULE_LIMITS.pattern) continue;
      pattern = source;
      reply = 0;
      continue;
    }
    if (pattern === null || frame.text === null) continue;
    const template = escapeTemplateText(frame.text);
    if (template.length > RULE_LIMITS.frame) continue;
    if (reply === 0) message++;
    reply++;
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
  return rules;
}
