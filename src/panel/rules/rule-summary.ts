import type { PayloadMatch, RuleAction, SocketRule } from '../../protocol/socket-rules';

/** Longest text a summary quotes before it cuts it short. */
const QUOTE_MAX = 40;

/** Text as a summary shows it: quoted, escaped onto one line, cut short when long. */
function quote(text: string): string {
  const chars = [...text];
  const cut = chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}…` : text;
  return JSON.stringify(cut);
}

function payloadSummary(payload: PayloadMatch): string {
  switch (payload.kind) {
    case 'any':
      return 'any payload';
    case 'text':
      return `text ${quote(payload.text)}`;
    case 'regex':
      return `regex /${payload.pattern}/${payload.flags}`;
    case 'json':
      return `JSON ${payload.path} = ${payload.equals}`;
    case 'decoded':
      return `${payload.field} ${quote(payload.equals)}`;
  }
}

function actionSummary(action: RuleAction): string {
  switch (action.type) {
    case 'reply':
      return `${action.atOpen ? 'greet at open' : 'reply'} after ${action.delayMs} ms`;
    case 'rewrite':
      return `rewrite ${action.regex ? `/${action.find}/` : quote(action.find)} with ${quote(action.replace)}`;
    case 'rewrite-json':
      return `set JSON ${action.path} to ${action.value}`;
    case 'drop':
      return 'drop';
    case 'delay':
      return `delay ${action.delayMs} ms`;
    case 'close':
      return `close ${action.code}${action.reason ? ` ${quote(action.reason)}` : ''} on match ${action.afterMatches}`;
    case 'fail':
      return action.afterMatches === 0 ? 'fail at open' : `fail on match ${action.afterMatches}`;
    case 'throttle':
      return `throttle to ${[
        action.framesPerSecond > 0 ? `${action.framesPerSecond} frames/s` : '',
        (action.bytesPerSecond ?? 0) > 0 ? `${action.bytesPerSecond} bytes/s` : '',
      ]
        .filter(Boolean)
        .join(', ')}`;
    case 'mock':
      return `mock the endpoint${action.protocol ? ` (${action.protocol})` : ''}`;
  }
}

/**
 * A rule on one line, what it matches then what it does: `outgoing, text "ping" → reply after
 * 0 ms`, the URL pattern first when it has one.
 */
export function ruleSummary(rule: SocketRule): string {
  const match = [rule.urlPattern, rule.direction, payloadSummary(rule.payload)].filter(Boolean);
  return `${match.join(', ')} → ${actionSummary(rule.action)}`;
}
