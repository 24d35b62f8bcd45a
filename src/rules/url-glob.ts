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
