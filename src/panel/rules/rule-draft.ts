import type {
  DecodedField,
  PayloadMatch,
  RuleAction,
  RuleActionType,
  RuleDirection,
  SocketRule,
} from '../../protocol/socket-rules';

/**
 * A rule as its form holds it: every field as typed (numbers too), and the fields of every
 * payload match and action kind, so switching kinds back and forth loses nothing typed.
 */
export interface RuleDraft {
  id: string;
  enabled: boolean;
  name: string;
  urlPattern: string;
  direction: RuleDirection;
  matchKind: PayloadMatch['kind'];
  text: string;
  pattern: string;
  flags: string;
  path: string;
  equals: string;
  decodedField: DecodedField;
  decodedEquals: string;
  actionType: RuleActionType;
  template: string;
  delay: string;
  find: string;
  findRegex: boolean;
  replace: string;
  jsonPath: string;
  jsonValue: string;
  closeCode: string;
  closeReason: string;
  afterMatches: string;
  fps: string;
  bps: string;
  replyAtOpen: boolean;
  mockProtocol: string;
}

const BLANK: Omit<RuleDraft, 'id' | 'enabled' | 'name' | 'urlPattern' | 'direction'> = {
  matchKind: 'any',
  text: '',
  pattern: '',
  flags: '',
  path: '',
  equals: '',
  actionType: 'reply',
  template: '',
  delay: '0',
  find: '',
  findRegex: false,
  replace: '',
  jsonPath: '',
  jsonValue: '',
  closeCode: '1000',
  closeReason: '',
  afterMatches: '1',
  fps: '1',
  bps: '0',
  replyAtOpen: false,
  mockProtocol: '',
  decodedField: 'socket.io event',
  decodedEquals: '',
};

function matchFields(payload: PayloadMatch): Partial<RuleDraft> {
  switch (payload.kind) {
    case 'any':
      return {};
    case 'text':
      return { text: payload.text };
    case 'regex':
      return { pattern: payload.pattern, flags: payload.flags };
    case 'json':
      return { path: payload.path, equals: payload.equals };
    case 'decoded':
      return { decodedField: payload.field, decodedEquals: payload.equals };
  }
}

function actionFields(action: RuleAction): Partial<RuleDraft> {
  switch (action.type) {
    case 'reply':
      return {
        template: action.template,
        delay: String(action.delayMs),
        replyAtOpen: action.atOpen === true,
      };
    case 'rewrite':
      return { find: action.find, findRegex: action.regex, replace: action.replace };
    case 'rewrite-json':
      return { jsonPath: action.path, jsonValue: action.value };
    case 'drop':
      return {};
    case 'delay':
      return { delay: String(action.delayMs) };
    case 'close':
      return {
        closeCode: String(action.code),
        closeReason: action.reason,
        afterMatches: String(action.afterMatches),
      };
    case 'fail':
      return { afterMatches: String(action.afterMatches) };
    case 'throttle':
      return { fps: String(action.framesPerSecond), bps: String(action.bytesPerSecond ?? 0) };
    case 'mock':
      return { mockProtocol: action.protocol };
  }
}

export function draftOf(rule: SocketRule): RuleDraft {
  return {
    ...BLANK,
    id: rule.id,
    enabled: rule.enabled,
    name: rule.name,
    urlPattern: rule.urlPattern,
    direction: rule.direction,
    matchKind: rule.payload.kind,
    ...matchFields(rule.payload),
    actionType: rule.action.type,
    ...actionFields(rule.action),
  };
}

function payloadOf(draft: RuleDraft): PayloadMatch {
  switch (draft.matchKind) {
    case 'any':
      return { kind: 'any' };
    case 'text':
      return { kind: 'text', text: draft.text };
    case 'regex':
      return { kind: 'regex', pattern: draft.pattern, flags: draft.flags.trim() };
    case 'json':
      return { kind: 'json', path: draft.path.trim(), equals: draft.equals.trim() };
    case 'decoded':
      return { kind: 'decoded', field: draft.decodedField, equals: draft.decodedEquals };
  }
}

type Numbers = Record<'delay' | 'closeCode' | 'afterMatches' | 'fps' | 'bps', number>;

function actionOf(draft: RuleDraft, n: Numbers): RuleAction {
  switch (draft.actionType) {
    case 'reply':
      return draft.replyAtOpen
        ? { type: 'reply', template: draft.template, delayMs: n.delay, atOpen: true }
        : { type: 'reply', template: draft.template, delayMs: n.delay };
    case 'rewrite':
      return { type: 'rewrite', find: draft.find, regex: draft.findRegex, replace: draft.replace };
    case 'rewrite-json':
      return { type: 'rewrite-json', path: draft.jsonPath.trim(), value: draft.jsonValue.trim() };
    case 'drop':
      return { type: 'drop' };
    case 'delay':
      return { type: 'delay', delayMs: n.delay };
    case 'close':
      return {
        type: 'close',
        code: n.closeCode,
        reason: draft.closeReason,
        afterMatches: n.afterMatches,
      };
    case 'fail':
      return { type: 'fail', afterMatches: n.afterMatches };
    case 'throttle':
      return n.bps > 0
        ? { type: 'throttle', framesPerSecond: n.fps, bytesPerSecond: n.bps }
        : { type: 'throttle', framesPerSecond: n.fps };
    case 'mock':
      return { type: 'mock', protocol: draft.mockProtocol.trim() };
  }
}

/** Which number fields each action uses, and what the form calls them. */
const NUMBER_FIELDS: Partial<Record<RuleActionType, Array<[keyof Numbers, string]>>> = {
  reply: [['delay', 'delay']],
  delay: [['delay', 'delay']],
  close: [
    ['closeCode', 'close code'],
    ['afterMatches', 'matching frame number'],
  ],
  fail: [['afterMatches', 'matching frame number']],
  throttle: [
    ['fps', 'frames per second'],
    ['bps', 'bytes per second'],
  ],
};

/**
 * The rule a draft describes, for validateRule to check; an error when a number field holds
 * no number (the ranges are validateRule's to check).
 */
export function ruleOfDraft(draft: RuleDraft): { rule: SocketRule } | { error: string } {
  const numbers: Numbers = { delay: 0, closeCode: 0, afterMatches: 0, fps: 0, bps: 0 };
  for (const [key, label] of NUMBER_FIELDS[draft.actionType] ?? []) {
    const text = draft[key].trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) {
      const name = draft.name.trim();
      const not = text === '' ? '' : `, not "${text}"`;
      return { error: `${name ? `Rule "${name}"` : 'Rule'}: the ${label} must be a number${not}.` };
    }
    numbers[key] = value;
  }
  return {
    rule: {
      id: draft.id,
      name: draft.name.trim(),
      enabled: draft.enabled,
      urlPattern: draft.urlPattern.trim(),
      direction: draft.direction,
      payload: payloadOf(draft),
      action: actionOf(draft, numbers),
    },
  };
}
