import type { Frame } from './session-model';

/** How much of a binary payload text search sees, as space-separated hex. */
export const SEARCHED_BINARY_BYTES = 1024;

/** Each byte's two hex digits, as character codes: byte b at 2b and 2b+1. */
const HEX_DIGITS = new Uint8Array(512);
for (let byte = 0; byte < 256; byte++) {
  const digits = byte.toString(16).padStart(2, '0');
  HEX_DIGITS[2 * byte] = digits.charCodeAt(0);
  HEX_DIGITS[2 * byte + 1] = digits.charCodeAt(1);
}
const SPACE = 0x20;
/** The searched hex of one payload, as ASCII bytes, before it becomes a string. */
const hexBuffer = new Uint8Array(3 * SEARCHED_BINARY_BYTES);
const ascii = new TextDecoder('latin1');

/**
 * The text a filter query is matched against: a text frame's whole text, a binary frame's first
 * {@link SEARCHED_BINARY_BYTES} bytes as hex ("0a 1b ..."), a close's code and reason.
 */
export function searchableText(frame: Frame): string {
  const { payload } = frame;
  if (payload?.kind === 'text') return payload.text;
  if (payload?.kind === 'binary') {
    // Kept on the payload, built on first use: a WeakMap's upkeep cost as much as the building.
    payload.searchedHex ??= searchableHex(payload.bytes);
    return payload.searchedHex;
  }
  if (frame.code !== undefined) return `${frame.code ?? ''} ${frame.reason ?? ''}`;
  return frame.kind;
}

/** The memory a binary payload's searched hex takes once built: 3 one-byte characters a byte. */
export function searchedHexLength(bytes: Uint8Array): number {
  return 3 * Math.min(bytes.length, SEARCHED_BINARY_BYTES);
}

/** A binary payload's searched part as filters see it: byte i is at characters 3i and 3i+1. */
export function searchableHex(bytes: Uint8Array): string {
  const end = Math.min(bytes.length, SEARCHED_BINARY_BYTES);
  if (end === 0) return '';
  // Written as bytes and decoded at once: a string built by `+=` is a rope, which every regular
  // expression then flattens (measured: ten times slower to search a first time).
  let at = 0;
  for (let i = 0; i < end; i++) {
    const digits = 2 * bytes[i]!;
    hexBuffer[at++] = HEX_DIGITS[digits]!;
    hexBuffer[at++] = HEX_DIGITS[digits + 1]!;
    hexBuffer[at++] = SPACE;
  }
  return ascii.decode(hexBuffer.subarray(0, at - 1));
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
