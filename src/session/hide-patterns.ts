/**
 * "Hide frames matching": patterns for heartbeats and noise, kept across sessions. A pattern
 * written as `/source/flags` is a regular expression; anything else matches as text, ignoring
 * case. A frame whose searchable text matches any pattern is hidden, whatever the filter's query.
 */
export type HideTest = (text: string) => boolean;

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

/** A test for the patterns, or the first invalid one's error; undefined when there are none. */
export function compileHidePatterns(
  patterns: readonly string[],
): { test?: HideTest; error?: undefined } | { test?: undefined; error: string } {
  const expressions: RegExp[] = [];
  const texts: string[] = [];
  for (const pattern of patterns) {
    const literal = REGEX_LITERAL.exec(pattern);
    if (!literal) {
      texts.push(pattern.toLowerCase());
      continue;
    }
    try {
      expressions.push(new RegExp(literal[1]!, literal[2]!.replace(/[gy]/g, '')));
    } catch (error) {
      return { error: `Hide pattern ${pattern}: ${(error as Error).message}` };
    }
  }
  if (expressions.length === 0 && texts.length === 0) return {};
  return {
    test: (text) => {
      if (texts.length > 0) {
        const lower = text.toLowerCase();
        if (texts.some((needle) => lower.includes(needle))) return true;
      }
      return expressions.some((expression) => expression.test(text));
    },
  };
}

/** Hide patterns as kept in storage: a list of non-empty, distinct strings, or none. */
export function hidePatternsFromStorage(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const patterns = stored.filter((item): item is string => typeof item === 'string' && item !== '');
  return [...new Set(patterns)];
}
