/** Wire timestamps (MessagePack's ext -1, CBOR's tag 1) as ISO 8601 text for the tree. */

/** The furthest instant a Date can hold, in milliseconds either side of the epoch. */
const DATE_LIMIT_MS = 8.64e15;

/**
 * `seconds` after the epoch plus `nanos` (0 to 999 999 999, always added forward, as both
 * formats define it), or undefined when a Date cannot show the instant.
 */
export function isoFromEpoch(seconds: number, nanos = 0): string | undefined {
  if (!Number.isFinite(seconds) || nanos < 0 || nanos > 999_999_999) return undefined;
  // Rounded, not floored: float seconds (CBOR) such as 1700000000.123 are a hair off in binary.
  const ms = Math.round(seconds * 1000) + Math.floor(nanos / 1e6);
  if (Math.abs(ms) > DATE_LIMIT_MS) return undefined;
  const iso = new Date(ms).toISOString();
  // A Date keeps milliseconds; finer nanoseconds replace its fraction.
  if (nanos % 1e6 === 0) return iso;
  return `${iso.slice(0, -4)}${String(nanos).padStart(9, '0')}Z`;
}
