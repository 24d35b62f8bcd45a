import { bytesToBase64 } from './base64';

/** Hex dump lines in the classic layout: offset, 16 bytes in hex, then those bytes as ASCII. */
export const BYTES_PER_LINE = 16;
/** An extra space splits a line's bytes into two groups. */
const GROUP_BYTES = BYTES_PER_LINE / 2;
const OFFSET_DIGITS = 8;
const BYTE_DIGITS = 2;
/** Where a line ends short: the width of one byte's hex and its space. */
const NO_BYTE = ' '.repeat(BYTE_DIGITS + 1);
/** Printable ASCII: from space up to, not including, DEL; anything else shows as a dot. */
const FIRST_PRINTABLE = 0x20;
const DEL = 0x7f;

export function hexDumpLine(bytes: Uint8Array, lineIndex: number): string {
  const start = lineIndex * BYTES_PER_LINE;
  const line = bytes.subarray(start, start + BYTES_PER_LINE);
  let hex = '';
  let ascii = '';
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    if (i === GROUP_BYTES) hex += ' ';
    if (i < line.length) {
      const byte = line[i]!;
      hex += `${byte.toString(16).padStart(BYTE_DIGITS, '0')} `;
      ascii += byte >= FIRST_PRINTABLE && byte < DEL ? String.fromCharCode(byte) : '.';
    } else hex += NO_BYTE;
  }
  return `${start.toString(16).padStart(OFFSET_DIGITS, '0')}  ${hex} |${ascii}|`;
}

export function hexDumpLineCount(byteLength: number): number {
  return Math.max(1, Math.ceil(byteLength / BYTES_PER_LINE));
}

/** The layout of one byte in a hex dump line, so a view can draw each byte as its own cell. */
export interface HexLineCells {
  /** The line's first byte's offset, as the dump writes it. */
  offset: string;
  /** Two hex digits per byte of the line (fewer than 16 on the last line). */
  hex: string[];
  /** Each byte as its ASCII character, or a dot. */
  ascii: string[];
}

/** The pieces {@link hexDumpLine} joins, for views that mark bytes; joined, they give the line. */
export function hexDumpCells(bytes: Uint8Array, lineIndex: number): HexLineCells {
  const start = lineIndex * BYTES_PER_LINE;
  const line = bytes.subarray(start, start + BYTES_PER_LINE);
  const hex: string[] = [];
  const ascii: string[] = [];
  for (const byte of line) {
    hex.push(byte.toString(16).padStart(BYTE_DIGITS, '0'));
    ascii.push(byte >= FIRST_PRINTABLE && byte < DEL ? String.fromCharCode(byte) : '.');
  }
  return { offset: start.toString(16).padStart(OFFSET_DIGITS, '0'), hex, ascii };
}

/** Where a line's cells split into two groups, and what fills the place of a missing byte. */
export const HEX_GROUP_BYTES = GROUP_BYTES;
export const HEX_NO_BYTE = NO_BYTE;

export type ByteCopyFormat = 'hex' | 'base64' | 'c' | 'js';

/** Bytes per line of a copied C or JS array, as hand-written tables have them. */
const ARRAY_BYTES_PER_LINE = 16;

/**
 * Bytes `start` up to, not including, `end`, written for the clipboard: hex digits in pairs
 * separated by spaces, base64, a C `uint8_t` array or a JS `Uint8Array`.
 */
export function formatByteRange(
  bytes: Uint8Array,
  start: number,
  end: number,
  format: ByteCopyFormat,
): string {
  const range = bytes.subarray(Math.max(0, start), Math.max(start, Math.min(end, bytes.length)));
  if (format === 'base64') return bytesToBase64(range);
  if (format === 'hex') {
    const parts = new Array<string>(range.length);
    for (let i = 0; i < range.length; i++) parts[i] = HEX_PAIRS[range[i]!]!;
    return parts.join(' ');
  }
  const lines: string[] = [];
  for (let i = 0; i < range.length; i += ARRAY_BYTES_PER_LINE) {
    const line: string[] = [];
    for (const byte of range.subarray(i, i + ARRAY_BYTES_PER_LINE))
      line.push(`0x${HEX_PAIRS[byte]}`);
    lines.push(`  ${line.join(', ')},`);
  }
  const body = lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
  return format === 'c'
    ? `const uint8_t bytes[${range.length}] = {${body}};`
    : `const bytes = new Uint8Array([${body}]);`;
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
