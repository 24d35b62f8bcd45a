/** Hex dump lines in the classic layout: offset, 16 bytes in hex, then those bytes as ASCII. */
export const BYTES_PER_LINE = 16;

export function hexDumpLine(bytes: Uint8Array, lineIndex: number): string {
  const start = lineIndex * BYTES_PER_LINE;
  const line = bytes.subarray(start, start + BYTES_PER_LINE);
  let hex = '';
  let ascii = '';
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    if (i === 8) hex += ' ';
    if (i < line.length) {
      const byte = line[i]!;
      hex += `${byte.toString(16).padStart(2, '0')} `;
      ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    } else hex += '   ';
  }
  return `${start.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`;
}

export function hexDumpLineCount(byteLength: number): number {
  return Math.max(1, Math.ceil(byteLength / BYTES_PER_LINE));
}
