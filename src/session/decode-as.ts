/**
 * The user's "Decode as" choices, remembered per URL pattern (the socket URL without its query
 * and fragment: a session token in the query must not make every connection a new pattern).
 */
export type DecodeAsChoices = Record<string, string>;

/** At most this many patterns are kept: the oldest go first. */
const MAX_PATTERNS = 200;
const MAX_ID_LENGTH = 64;

export function decodeAsPattern(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

/** Choices from whatever storage holds: anything malformed is left out. */
export function decodeAsFromStorage(stored: unknown): DecodeAsChoices {
  const choices: DecodeAsChoices = Object.create(null);
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return choices;
  for (const [pattern, id] of Object.entries(stored).slice(-MAX_PATTERNS)) {
    if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH)
      choices[pattern] = id;
  }
  return choices;
}

/** The choices with one set (an id or 'none') or cleared ('auto': detect again). */
export function withDecodeAs(choices: DecodeAsChoices, url: string, id: string): DecodeAsChoices {
  const pattern = decodeAsPattern(url);
  const next: DecodeAsChoices = Object.create(null);
  for (const [key, value] of Object.entries(choices)) if (key !== pattern) next[key] = value;
  if (id !== 'auto') next[pattern] = id;
  const keys = Object.keys(next);
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_PATTERNS))) delete next[key];
  return next;
}
