import type { JsonPath } from '../protocol/socket-rules';

/**
 * The JSON paths users type in rules (`a.b[0].c`, `$.a["key with spaces"]`) and the parsed form
 * the page hook follows, so that the page never parses them.
 *
 * Grammar: an optional root `$` (only when followed by nothing, `.` or `[`, so that a key like
 * `$type` stays a key), then `.key`, `["key"]` (JSON string escapes), `['key']` (`\` takes the
 * next character literally) or `[index]`. The first key needs no dot. A bare key is any run of
 * characters but `.`, `[`, `]`, quotes and white space. `a.0` is the key "0", `a[0]` the index 0.
 */

export type ParsedJsonPath = { path: JsonPath } | { error: string };

/** Largest array index JavaScript has (2³² − 2). */
const MAX_INDEX = 4294967294;
const BARE_END = /[.[\]'"\s]/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function parseJsonPath(text: string): ParsedJsonPath {
  const path: JsonPath = [];
  const shown = text.length > 80 ? `${text.slice(0, 77)}…` : text;
  const unexpected = (at: number): { error: string } =>
    at >= text.length
      ? { error: `Unexpected end of ${shown}` }
      : { error: `Unexpected ${JSON.stringify(text[at])} at ${at + 1} in ${shown}` };
  const bareKey = (from: number): number => {
    let end = from;
    while (end < text.length && !BARE_END.test(text[end]!)) end++;
    if (end > from) path.push(text.slice(from, end));
    return end;
  };

  let i = 0;
  if (text[0] === '$' && (text.length === 1 || text[1] === '.' || text[1] === '[')) i = 1;
  else if (text !== '' && text[0] !== '[') {
    i = bareKey(0);
    if (i === 0) return unexpected(0);
  }
  while (i < text.length) {
    if (text[i] === '.') {
      const end = bareKey(i + 1);
      if (end === i + 1) return unexpected(end);
      i = end;
    } else if (text[i] === '[') {
      const bracket = bracketed(text, i + 1);
      if ('at' in bracket) {
        if (bracket.error === null) return unexpected(bracket.at);
        return { error: `${bracket.error} at ${bracket.at + 1} in ${shown}` };
      }
      if (text[bracket.end] !== ']') return unexpected(bracket.end);
      path.push(bracket.key);
      i = bracket.end + 1;
    } else return unexpected(i);
  }
  return { path };
}

/** A key and where it ends, or what is wrong where (null: an unexpected character). */
type Bracketed = { key: string | number; end: number } | { error: string | null; at: number };

/** What is inside `[…]` from `from`: a quoted key or an index, and where it ends. */
function bracketed(text: string, from: number): Bracketed {
  const quote = text[from];
  if (quote === '"' || quote === "'") {
    let key = '';
    for (let i = from + 1; i < text.length; i++) {
      const char = text[i]!;
      if (char === quote) {
        if (quote === "'") return { key, end: i + 1 };
        try {
          return { key: JSON.parse(text.slice(from, i + 1)) as string, end: i + 1 };
        } catch {
          return { error: 'Invalid escape in quoted key', at: from };
        }
      }
      if (char === '\\') i++;
      key += char === '\\' ? (text[i] ?? '') : char;
    }
    return { error: 'Unclosed quote', at: from };
  }
  const digits = /^\d+/.exec(text.slice(from, from + 12))?.[0];
  if (digits === undefined) return { error: null, at: from };
  if ((digits.length > 1 && digits[0] === '0') || Number(digits) > MAX_INDEX) {
    return { error: `Invalid index ${digits}`, at: from };
  }
  return { key: Number(digits), end: from + digits.length };
}

/** The canonical text of a path (parseJsonPath gives it back): `$` for the root. */
export function formatJsonPath(path: JsonPath): string {
  if (path.length === 0) return '$';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment) && segment !== '$') {
      text += text === '' ? segment : `.${segment}`;
    } else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The value at `path`, or undefined. Like the page hook, it follows own data properties only
 * (never the prototype chain, never a getter), by name or index on objects and arrays alike.
 */
export function valueAtPath(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(value, segment);
    value =
      descriptor !== undefined && Object.hasOwn(descriptor, 'value') ? descriptor.value : undefined;
  }
  return value;
}
