import type { HookRule, JsonPath, TemplatePart } from '../protocol/socket-rules';
import {
  isArray,
  nullArray,
  nullRecord,
  ownValue,
  RegExpConstructor,
  reflectOwnKeys,
  regExpExec,
  uncurryThis,
} from './page-builtins';
import { escapeForRegExp } from './regexp-text';

/**
 * A rule compiled for the page: which frames it matches and what text it makes of them, with
 * built-ins captured at install (see page-builtins.ts). JSON is parsed with the captured
 * JSON.parse and read through own data properties only, and written with a serializer of our
 * own: JSON.stringify would call a `toJSON` the page put on Object.prototype.
 */
export interface CompiledRule {
  readonly rule: HookRule;
  readonly outgoing: boolean;
  readonly incoming: boolean;
  /** Whether a socket at this URL is the rule's. */
  coversUrl(url: string): boolean;
  /** A match's groups and JSON root, or null when the frame does not match. */
  test(data: unknown): Match | null;
  /** The rewritten text, or undefined when the rule cannot rewrite this frame (binary, not JSON). */
  rewrite(data: unknown, match: Match): string | undefined;
  /** A reply's text for a match. */
  reply(match: Match): string;
  /** Matches so far, per connection (close and fail act on the Nth). */
  readonly counts: Record<number, number>;
}

export interface Match {
  /** A regex match's groups ($0 what it matched), or [the whole text] for other matches. */
  groups: ArrayLike<string | undefined> | null;
  /** The frame parsed as JSON, when the match needed it (else parsed when a reply does). */
  root: unknown;
  /** The frame's data. */
  frame: unknown;
}

const jsonParse = JSON.parse;
const sliceOf = uncurryThis(String.prototype.slice) as (
  text: string,
  start: number,
  end: number,
) => string;
const jsonStringify = JSON.stringify as (value: unknown) => string | undefined;
const NOT_JSON: unique symbol = Symbol('not JSON');

export function compileRule(rule: HookRule): CompiledRule {
  const urlPattern = rule.urlRegex === null ? null : safeRegExp(rule.urlRegex, '');
  const { match, action } = rule;
  const pattern =
    match.kind === 'regex'
      ? safeRegExp(match.pattern, match.flags)
      : match.kind === 'text'
        ? safeRegExp(escapeForRegExp(match.text), '')
        : null;
  const findPattern = action.type === 'rewrite' ? safeRegExp(action.find, action.flags) : null;
  // From the flags, not the RegExp's `global` getter (the page may redefine it).
  const findGlobal = action.type === 'rewrite' && hasFlag(action.flags, 'g');
  const counts = nullRecord<Record<number, number>>();
  return {
    rule,
    counts,
    outgoing: rule.direction !== 'incoming',
    incoming: rule.direction !== 'outgoing',
    coversUrl: (url) => urlPattern === null || regExpExec(urlPattern, url) !== null,
    test(data) {
      if (match.kind === 'any') {
        return { groups: typeof data === 'string' ? [data] : null, root: undefined, frame: data };
      }
      if (typeof data !== 'string') return null;
      if (match.kind === 'json') {
        const root = parseJson(data);
        if (root === NOT_JSON) return null;
        const value = valueAt(root, match.path);
        return value === match.equals ? { groups: [data], root, frame: data } : null;
      }
      if (pattern === null) return null;
      pattern.lastIndex = 0;
      const found = regExpExec(pattern, data);
      if (found === null) return null;
      return { groups: match.kind === 'text' ? [data] : found, root: undefined, frame: data };
    },
    rewrite(data, found) {
      if (typeof data !== 'string') return undefined;
      if (action.type === 'rewrite' && findPattern !== null) {
        return replaceAll(findPattern, findGlobal, data, action.replace);
      }
      if (action.type === 'rewrite-json') {
        const root = found.root !== undefined ? found.root : parseJson(data);
        const value = parseJson(action.value);
        if (root === NOT_JSON || value === NOT_JSON) return undefined;
        return serialize(withValueAt(root, action.path, 0, value));
      }
      return undefined;
    },
    reply(found) {
      if (action.type !== 'reply') return '';
      const { template } = action;
      let root = found.root;
      let text = '';
      for (let i = 0; i < template.length; i++) {
        const part: TemplatePart = template[i]!;
        if (typeof part === 'string') text += part;
        else if ('group' in part) {
          const group = found.groups?.[part.group];
          text += typeof group === 'string' ? group : '';
        } else {
          if (root === undefined && typeof found.frame === 'string') root = parseJson(found.frame);
          const value = root === NOT_JSON ? undefined : valueAt(root, part.path);
          text += typeof value === 'string' ? value : (serialize(value) ?? '');
        }
      }
      return text;
    },
  };
}

/** An invalid pattern (the extension refuses them before saving) matches nothing. */
function safeRegExp(source: string, flags: string): RegExp {
  try {
    return new RegExpConstructor(source, flags);
  } catch {
    return new RegExpConstructor('$^', '');
  }
}

function parseJson(text: string): unknown {
  try {
    return jsonParse(text);
  } catch {
    return NOT_JSON;
  }
}

/** The value at `path`, through own data properties only. */
function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = ownValue(value, path[i]!);
  }
  return value;
}

/** A copy of `node` with `value` put at `path` (made of null-prototype records and arrays). */
function withValueAt(node: unknown, path: JsonPath, at: number, value: unknown): unknown {
  if (at === path.length) return value;
  const key = path[at]!;
  const copy = (isArray(node) ? nullArray<unknown>() : nullRecord()) as Record<
    string | number,
    unknown
  >;
  if (typeof node === 'object' && node !== null) {
    const keys = reflectOwnKeys(node);
    for (let i = 0; i < keys.length; i++) {
      const own = keys[i]!;
      if (typeof own === 'string' && !(isArray(node) && own === 'length'))
        copy[own] = ownValue(node, own);
    }
  }
  copy[key] = withValueAt(ownValue(copy, key), path, at + 1, value);
  return copy;
}

/** JSON text of parsed JSON, read through own data properties (undefined for none). */
function serialize(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return jsonStringify(value);
  let text = '';
  if (isArray(value)) {
    const length = ownValue(value, 'length') as number;
    for (let i = 0; i < length; i++)
      text += `${i > 0 ? ',' : ''}${serialize(ownValue(value, i)) ?? 'null'}`;
    return `[${text}]`;
  }
  const keys = reflectOwnKeys(value);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (typeof key !== 'string') continue;
    const member = serialize(ownValue(value, key));
    if (member === undefined) continue;
    text += `${first ? '' : ','}${jsonStringify(key)}:${member}`;
    first = false;
  }
  return `{${text}}`;
}

/** Every match of a global pattern replaced, `$n` and `$&` in `replacement` read as groups. */
function replaceAll(pattern: RegExp, global: boolean, text: string, replacement: string): string {
  let result = '';
  let from = 0;
  pattern.lastIndex = 0;
  for (;;) {
    const found = regExpExec(pattern, text);
    if (found === null) break;
    const start = found.index;
    const whole = found[0]!;
    result += sliceOf(text, from, start) + expand(replacement, found);
    from = start + whole.length;
    // An empty match moves on by one, or the loop would never end.
    if (whole.length === 0) pattern.lastIndex = from + 1;
    if (!global) break;
  }
  return result + sliceOf(text, from, text.length);
}

function expand(replacement: string, found: ArrayLike<string | undefined>): string {
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const character = replacement[i]!;
    const next = replacement[i + 1];
    if (character === '$' && next === '$') {
      text += '$';
      i++;
    } else if (character === '$' && next === '&') {
      text += found[0] ?? '';
      i++;
    } else if (character === '$' && next !== undefined && next >= '0' && next <= '9') {
      text += found[+next] ?? '';
      i++;
    } else text += character;
  }
  return text;
}

function hasFlag(flags: string, flag: string): boolean {
  for (let i = 0; i < flags.length; i++) if (flags[i] === flag) return true;
  return false;
}
