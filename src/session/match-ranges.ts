import type { FilterSpec } from './frame-filter';

/** Where a filter's query matches one text: flat [start, end, start, end, …] offsets. */
export type Highlighter = (text: string) => number[];

/** Past this many marks a text is mostly marks anyway, and each one costs DOM nodes. */
export const MAX_RANGES = 1000;

/**
 * A highlighter for a filter's query, matching as compileFilter does (same escaping and flags),
 * or null when there is nothing to mark: no query, an invalid pattern, or an inverted filter,
 * whose rows match by not containing the query.
 */
export function compileHighlighter(spec: FilterSpec): Highlighter | null {
  if (spec.query === '' || spec.invert) return null;
  // Kept identical to compileFilter's, so a row and its marks never disagree.
  const source = spec.regex ? spec.query : spec.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, `g${spec.caseSensitive ? '' : 'i'}${spec.regex ? 'u' : ''}`);
  } catch {
    return null;
  }
  return (text) => matchRanges(pattern, text);
}

function matchRanges(pattern: RegExp, text: string): number[] {
  const ranges: number[] = [];
  // One pattern serves every call: its lastIndex is reset here, and a call runs to its end.
  pattern.lastIndex = 0;
  while (ranges.length < MAX_RANGES * 2) {
    const match = pattern.exec(text);
    if (!match) break;
    const start = match.index;
    const end = start + match[0].length;
    if (end > start) ranges.push(start, end);
    // An empty match leaves lastIndex where it is: step over one character (a whole code point
    // in unicode mode, so the next try does not start inside a surrogate pair).
    else pattern.lastIndex = end + (pattern.unicode && isPairAt(text, end) ? 2 : 1);
  }
  return ranges;
}

function isPairAt(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  const low = text.charCodeAt(index + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
