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
