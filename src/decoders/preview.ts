/**
 * One-line previews of decoded values for the frame table's Data column. Frames can be megabytes
 * and hostile, so a preview stops writing as soon as it has enough, and never descends further
 * than a fixed depth.
 */

/** The longest summary a decoder returns. */
export const SUMMARY_LIMIT = 200;

/** Deeper values show as `[…]`/`{…}`: a one-line preview cannot show them anyway. */
const PREVIEW_DEPTH = 6;

/** Cuts `text` to `limit` characters on one line, marking the cut with `…`. */
export function clip(text: string, limit = SUMMARY_LIMIT): string {
  // Cut before replacing line breaks so that huge texts cost no more than the limit.
  let line = text.length > limit + 1 ? text.slice(0, limit + 1) : text;
  line = line.replace(/[\r\n\t]+/g, ' ');
  if (line.length <= limit) return line;
  let end = limit - 1;
  // A cut between the halves of a surrogate pair would leave half a character.
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${line.slice(0, end)}…`;
}

/** Compact JSON-like text for any decoded value (bytes show as `<n bytes>`), at most `limit` long. */
export function preview(value: unknown, limit = SUMMARY_LIMIT): string {
  const out: string[] = [];
  let length = 0;
  // Returns false once the budget is spent, which unwinds the walk.
  const push = (piece: string): boolean => {
    out.push(piece);
    length += piece.length;
    return length <= limit;
  };
  const walk = (item: unknown, depth: number): boolean => {
    if (typeof item === 'string') return push(JSON.stringify(item.slice(0, limit + 1)));
    if (item === null || typeof item !== 'object') return push(String(item));
    if (item instanceof Uint8Array) return push(`<${item.length} bytes>`);
    const isArray = Array.isArray(item);
    if (depth >= PREVIEW_DEPTH) return push(isArray ? '[…]' : '{…}');
    if (isArray) {
      if (!push('[')) return false;
      for (let i = 0; i < item.length; i++) {
        if (i > 0 && !push(',')) return false;
        if (!walk(item[i], depth + 1)) return false;
      }
      return push(']');
    }
    const entries: Iterable<[unknown, unknown]> =
      item instanceof Map ? item.entries() : ownEntries(item as Record<string, unknown>);
    if (!push('{')) return false;
    let first = true;
    for (const [key, entry] of entries) {
      if (!first && !push(',')) return false;
      first = false;
      const name = typeof key === 'string' ? key : String(key);
      if (!push(`${JSON.stringify(name.slice(0, limit + 1))}:`)) return false;
      if (!walk(entry, depth + 1)) return false;
    }
    return push('}');
  };
  walk(value, 0);
  return clip(out.join(''), limit);
}

/** Lazily, so that a preview of a huge object stops early without listing every key. */
function* ownEntries(record: Record<string, unknown>): Generator<[string, unknown]> {
  for (const key in record) {
    if (Object.hasOwn(record, key)) yield [key, record[key]];
  }
}

/** Joins the non-empty parts of a summary with spaces, then bounds it. */
export function summaryOf(...parts: Array<string | undefined>): string {
  return clip(parts.filter((part) => part !== undefined && part !== '').join(' '));
}
