import {
  DECODED_FIELDS,
  MAX_RULE_NAME,
  type PayloadMatch,
  type RuleAction,
  type RuleActionType,
  type RuleDirection,
  type SocketRule,
} from '../protocol/socket-rules';
import { utf8ByteLength } from '../session/utf8';
import { parseTemplate } from './reply-template';
import {
  boolean,
  compiles,
  FieldProblem,
  field,
  integer,
  isJsonPrimitive,
  jsonPathText,
  oneOf,
  record,
  refuse,
  text,
} from './untrusted-fields';
import { urlGlobProblem } from './url-glob';

/**
 * Checks a rule that may come from anywhere (storage, an imported file, a form) and copies it
 * field by field, so that nothing unchecked (extra fields, getters, a prototype's values) reaches
 * storage or the page. Bounds keep one rule from bloating storage or every page it is sent to.
 */
export const RULE_LIMITS = {
  id: 100,
  urlPattern: 2000,
  /** payload.text, action.find, action.replace, payload.equals */
  text: 10_000,
  /** payload.pattern: a recorded frame, escaped, in a mock (rules-from-recording.ts) */
  pattern: 100_000,
  path: 1000,
  /** action.template, action.value: whole frames */
  frame: 100_000,
  delayMs: 600_000,
  afterMatches: 1_000_000,
  framesPerSecond: 10_000,
  bytesPerSecond: 1_000_000_000,
  protocol: 200,
  /** A close frame's 125-byte payload less its 2-byte code (RFC 6455 section 5.5). */
  reasonBytes: 123,
} as const;

export type ValidatedRule = { rule: SocketRule } | { error: string };
/** What is wrong without the rule named in it, and the rule's name when it has a valid one. */
export type RuleCheck = { rule: SocketRule } | { problem: string; name: string | null };

const DIRECTIONS: readonly RuleDirection[] = ['outgoing', 'incoming', 'any'];
const KINDS: readonly PayloadMatch['kind'][] = ['any', 'text', 'regex', 'json', 'decoded'];
/** Every action type, once: a type added to RuleAction fails to compile until listed here. */
const ACTIONS = Object.keys({
  reply: 0,
  rewrite: 0,
  'rewrite-json': 0,
  drop: 0,
  delay: 0,
  close: 0,
  fail: 0,
  throttle: 0,
  mock: 0,
} satisfies Record<RuleActionType, 0>) as RuleActionType[];
/** A WebSocket subprotocol is an HTTP token (RFC 6455 section 4.1, RFC 7230 section 3.2.6). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EQUALS_PROBLEM =
  'payload.equals must be JSON for a string, number, true, false or null, such as "chat" (quotes included), 42 or true';

export function validateRule(value: unknown): ValidatedRule {
  const checked = checkRule(value);
  if ('rule' in checked) return checked;
  const label = checked.name === null ? 'Rule' : `Rule "${checked.name}"`;
  return { error: `${label}: ${checked.problem}.` };
}

export function checkRule(value: unknown): RuleCheck {
  let name: string | null = null;
  try {
    const rule = record(value, 'it');
    const typed = field(rule, 'name');
    const trimmed = typeof typed === 'string' ? typed.trim() : '';
    if (trimmed.length >= 1 && trimmed.length <= MAX_RULE_NAME) name = trimmed;
    const id = text(rule, 'id', 'id', RULE_LIMITS.id, 1);
    if (name === null)
      refuse(`name must be 1 to ${MAX_RULE_NAME} characters, spaces around it aside`);
    const enabled = boolean(rule, 'enabled', 'enabled');
    const urlPattern = text(rule, 'urlPattern', 'urlPattern', RULE_LIMITS.urlPattern);
    const urlProblem = urlGlobProblem(urlPattern);
    if (urlProblem !== null) refuse(`urlPattern ${urlProblem}`);
    const direction = oneOf(field(rule, 'direction'), DIRECTIONS, 'direction');
    const payload = checkPayload(record(field(rule, 'payload'), 'payload'));
    const action = checkAction(record(field(rule, 'action'), 'action'));
    return { rule: { id, name, enabled, urlPattern, direction, payload, action } };
  } catch (error) {
    if (error instanceof FieldProblem) return { problem: error.message, name };
    return { problem: 'it could not be read', name }; // a Proxy's trap threw
  }
}

function checkPayload(payload: object): PayloadMatch {
  const kind = oneOf(field(payload, 'kind'), KINDS, 'payload.kind');
  switch (kind) {
    case 'any':
      return { kind };
    case 'text':
      return { kind, text: text(payload, 'text', 'payload.text', RULE_LIMITS.text, 1) };
    case 'regex': {
      const pattern = text(payload, 'pattern', 'payload.pattern', RULE_LIMITS.pattern);
      const flags = text(payload, 'flags', 'payload.flags', 8);
      for (const flag of flags) {
        if (flag === 'g' || flag === 'y') {
          refuse(`payload.flags may not contain "${flag}": it makes matching stateful`);
        }
        if (!'imsu'.includes(flag)) refuse(`payload.flags may only contain i, m, s and u`);
      }
      compiles(pattern, flags, 'payload.pattern');
      return { kind, pattern, flags };
    }
    case 'decoded': {
      const decoded = oneOf(field(payload, 'field'), DECODED_FIELDS, 'payload.field');
      const equals = text(payload, 'equals', 'payload.equals', RULE_LIMITS.text, 1);
      return { kind, field: decoded, equals };
    }
    case 'json': {
      const path = jsonPathText(payload, 'path', 'payload.path', RULE_LIMITS.path);
      const equals = text(payload, 'equals', 'payload.equals', RULE_LIMITS.text);
      if (!isJsonPrimitive(equals)) refuse(EQUALS_PROBLEM);
      return { kind, path, equals };
    }
  }
}

function checkAction(action: object): RuleAction {
  const type = oneOf(field(action, 'type'), ACTIONS, 'action.type');
  const delay = (min: number) =>
    integer(action, 'delayMs', 'action.delayMs', min, RULE_LIMITS.delayMs);
  const afterMatches = () =>
    integer(action, 'afterMatches', 'action.afterMatches', 0, RULE_LIMITS.afterMatches);
  switch (type) {
    case 'reply': {
      const template = text(action, 'template', 'action.template', RULE_LIMITS.frame);
      const parsed = parseTemplate(template);
      if ('error' in parsed) refuse(`action.template is not valid: ${parsed.error}`);
      const atOpen = field(action, 'atOpen');
      if (atOpen !== undefined && typeof atOpen !== 'boolean')
        refuse('action.atOpen must be true or false');
      return atOpen === true
        ? { type, template, delayMs: delay(0), atOpen }
        : { type, template, delayMs: delay(0) };
    }
    case 'rewrite': {
      const find = text(action, 'find', 'action.find', RULE_LIMITS.text, 1);
      const regex = boolean(action, 'regex', 'action.regex');
      if (regex) compiles(find, 'g', 'action.find');
      const replace = text(action, 'replace', 'action.replace', RULE_LIMITS.text);
      return { type, find, regex, replace };
    }
    case 'rewrite-json': {
      const path = jsonPathText(action, 'path', 'action.path', RULE_LIMITS.path);
      const value = text(action, 'value', 'action.value', RULE_LIMITS.frame);
      try {
        JSON.parse(value);
      } catch (error) {
        refuse(`action.value is not valid JSON (${(error as Error).message})`);
      }
      return { type, path, value };
    }
    case 'drop':
      return { type };
    case 'delay':
      return { type, delayMs: delay(1) };
    case 'close': {
      const code = closeCode(action);
      const reason = text(action, 'reason', 'action.reason', RULE_LIMITS.reasonBytes);
      if (utf8ByteLength(reason) > RULE_LIMITS.reasonBytes) {
        refuse(`action.reason must be at most ${RULE_LIMITS.reasonBytes} bytes as UTF-8`);
      }
      return { type, code, reason, afterMatches: afterMatches() };
    }
    case 'fail':
      return { type, afterMatches: afterMatches() };
    case 'throttle': {
      const fps = field(action, 'framesPerSecond');
      const max = RULE_LIMITS.framesPerSecond;
      if (typeof fps !== 'number' || !(fps >= 0 && fps <= max)) {
        refuse(`action.framesPerSecond must be a number from 0 to ${max}`);
      }
      const bps = field(action, 'bytesPerSecond') ?? 0;
      const maxBytes = RULE_LIMITS.bytesPerSecond;
      if (typeof bps !== 'number' || !(bps >= 0 && bps <= maxBytes)) {
        refuse(`action.bytesPerSecond must be a number from 0 to ${maxBytes}`);
      }
      if (fps === 0 && bps === 0) refuse('a throttle needs frames or bytes per second above 0');
      return bps > 0
        ? { type, framesPerSecond: fps, bytesPerSecond: bps }
        : { type, framesPerSecond: fps };
    }
    case 'mock': {
      const protocol = text(action, 'protocol', 'action.protocol', RULE_LIMITS.protocol);
      if (protocol !== '' && !TOKEN.test(protocol)) {
        refuse('action.protocol must be empty or a subprotocol name without spaces or separators');
      }
      return { type, protocol };
    }
  }
}

/** The codes a server may put in a close frame (RFC 6455 section 7.4 and the IANA registry). */
function closeCode(action: object): number {
  const code = integer(action, 'code', 'action.code', 0, 65535);
  const never = code === 1005 || code === 1006 || code === 1015;
  if (never) refuse(`close code ${code} is reserved: a close frame never carries it`);
  if (code === 1004) refuse('close code 1004 is reserved');
  if ((code >= 1000 && code <= 1014) || (code >= 3000 && code <= 4999)) return code;
  refuse(`close code ${code} is not one a server may send: use 1000 to 1014 or 3000 to 4999`);
}
