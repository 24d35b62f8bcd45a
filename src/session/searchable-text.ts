import type { Frame } from './session-model';

/** How much of a binary payload text search sees, as space-separated hex. */
export const SEARCHED_BINARY_BYTES = 1024;

const hexCache = new WeakMap<Frame, string>();
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * The text a filter query is matched against: a text frame's whole text, a binary frame's first
 * {@link SEARCHED_BINARY_BYTES} bytes as hex ("0a 1b ..."), a close's code and reason.
 */
export function searchableText(frame: Frame): string {
  const { payload } = frame;
  if (payload?.kind === 'text') return payload.text;
  if (payload?.kind === 'binary') {
    let hex = hexCache.get(frame);
    if (hex === undefined) {
      hex = searchableHex(payload.bytes);
      hexCache.set(frame, hex);
    }
    return hex;
  }
  if (frame.code !== undefined) return `${frame.code ?? ''} ${frame.reason ?? ''}`;
  return frame.kind;
}

/** A binary payload's searched part as filters see it: byte i is at characters 3i and 3i+1. */
export function searchableHex(bytes: Uint8Array): string {
  let hex = '';
  const end = Math.min(bytes.length, SEARCHED_BINARY_BYTES);
  for (let i = 0; i < end; i++) hex += i === 0 ? HEX_BYTES[bytes[i]!] : ` ${HEX_BYTES[bytes[i]!]}`;
  return hex;
}

/**
 * The bytes a filter's matches cover in a binary payload (1 for a matched byte), for the hex
 * view to mark: the matches of `highlight` in {@link searchableHex}, mapped back to bytes.
 */
export function matchedBytes(bytes: Uint8Array, highlight: (text: string) => number[]): Uint8Array {
  const ranges = highlight(searchableHex(bytes));
  const marks = new Uint8Array(Math.min(bytes.length, SEARCHED_BINARY_BYTES));
  for (let i = 0; i < ranges.length; i += 2) {
    const last = Math.floor((ranges[i + 1]! - 1) / 3);
    for (let byte = Math.floor(ranges[i]! / 3); byte <= last; byte++) marks[byte] = 1;
  }
  return marks;
}
