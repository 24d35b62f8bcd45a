/**
 * URL globs (`*` = any run of characters) as the RegExp sources the page hook runs against every
 * new socket's URL.
 */

const SPECIALS = /[\\^$.*+?()[\]{}|]/g;

/**
 * `text` as a RegExp source matching exactly it. Only syntax characters are escaped, so the
 * source means the same with or without the `u` flag (`\-` would be an error under `u`).
 */
export function escapeRegExp(text: string): string {
  return text.replace(SPECIALS, '\\$&');
}

/**
 * An anchored RegExp source for a URL glob, or null for '' (every socket).
 *
 * A naive `[\s\S]*` per star backtracks polynomially (`*a*a*a…*b` against a long URL can hang
 * the page), so every literal between two stars is taken at its first occurrence, inside an
 * atomic lookahead whose capture a backreference then consumes. For globs with only `*` that
 * leftmost choice loses no match: a later occurrence only leaves less text for what follows.
 */
export function globToRegexSource(pattern: string): string | null {
  if (pattern === '') return null;
  const pieces = pattern.split('*');
  if (pieces.length === 1) return `^${escapeRegExp(pattern)}$`;
  let source = `^${escapeRegExp(pieces[0]!)}`;
  let group = 0;
  for (const middle of pieces.slice(1, -1)) {
    if (middle === '') continue; // `**` is one star
    const literal = escapeRegExp(middle);
    group++;
    // `(?:\n)` so that a literal starting with a digit does not extend the group number.
    source += `(?=([\\s\\S]*?)${literal})(?:\\${group})${literal}`;
  }
  return `${source}[\\s\\S]*${escapeRegExp(pieces[pieces.length - 1]!)}$`;
}

/** The schemes of every socket's URL: the browser writes a page's http(s):// as ws(s)://. */
const SOCKET_SCHEMES = ['ws://', 'wss://'] as const;

/**
 * Why no socket's URL could match the glob, or null when one could ('' matches every socket).
 * A pattern is matched against a socket's `url` as the browser wrote it: a lower-case `ws://` or
 * `wss://`, no spaces or control characters (they are percent-encoded), no fragment (the
 * WebSocket constructor refuses one). A pattern that breaks one of these never matches, and a
 * mock's network block (hub/handshake-blocking.ts, case-insensitive) would disagree with the page.
 */
export function urlGlobProblem(pattern: string): string | null {
  if (/[\s\p{Cc}]/u.test(pattern)) {
    return `may not contain spaces or control characters: a socket's URL never does (the browser writes a space as %20)`;
  }
  if (pattern.includes('#')) return `may not contain "#": a socket's URL has no fragment`;
  if (pattern === '') return null;
  const star = pattern.indexOf('*');
  const head = star === -1 ? pattern : pattern.slice(0, star);
  // Before its first star, the pattern is a prefix of every URL it matches.
  const fits = SOCKET_SCHEMES.some(
    (scheme) => head.startsWith(scheme) || (star !== -1 && scheme.startsWith(head)),
  );
  if (fits) return null;
  return `must start with ws://, wss:// or *, as every socket's URL does (the browser writes a page's http:// as ws://, https:// as wss://)`;
}
