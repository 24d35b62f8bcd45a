import { nullRecord } from './page-builtins';

/** Characters a plain-text query escapes to match literally in a RegExp. */
const SPECIAL: Record<string, true> = nullRecord();
for (const character of '.*+?^$' + '{}()|[]\\') SPECIAL[character] = true;

/**
 * `text` escaped to match itself literally, in the page's world: no String.prototype method (the
 * page may patch them).
 */
export function escapeForRegExp(text: string): string {
  let escaped = '';
  for (let i = 0; i < text.length; i++) {
    const character = text[i]!;
    escaped += SPECIAL[character] === true ? `\\${character}` : character;
  }
  return escaped;
}
