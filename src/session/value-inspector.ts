/**
 * What the bytes at an offset mean as each common type, as hex editors' data inspectors show
 * them: integers of 8 to 64 bits, signed and unsigned, floats, in little and big endian, and the
 * UTF-8 character that starts there. A type that needs more bytes than remain is absent (null).
 */
export interface InspectedValue {
  /** `int16`, `float64`, …; `utf8` for the character. */
  type: string;
  little: string | null;
  big: string | null;
}

const TYPES: Array<{ type: string; size: number; read(view: DataView, little: boolean): string }> =
  [
    { type: 'int8', size: 1, read: (view) => String(view.getInt8(0)) },
    { type: 'uint8', size: 1, read: (view) => String(view.getUint8(0)) },
    { type: 'int16', size: 2, read: (view, little) => String(view.getInt16(0, little)) },
    { type: 'uint16', size: 2, read: (view, little) => String(view.getUint16(0, little)) },
    { type: 'int32', size: 4, read: (view, little) => String(view.getInt32(0, little)) },
    { type: 'uint32', size: 4, read: (view, little) => String(view.getUint32(0, little)) },
    { type: 'int64', size: 8, read: (view, little) => String(view.getBigInt64(0, little)) },
    { type: 'uint64', size: 8, read: (view, little) => String(view.getBigUint64(0, little)) },
    { type: 'float32', size: 4, read: (view, little) => formatFloat32(view.getFloat32(0, little)) },
    { type: 'float64', size: 8, read: (view, little) => String(view.getFloat64(0, little)) },
  ];

export function inspectValues(bytes: Uint8Array, offset: number): InspectedValue[] {
  const available = offset >= 0 ? Math.max(0, bytes.length - offset) : 0;
  const values: InspectedValue[] = TYPES.map(({ type, size, read }) => {
    if (available < size) return { type, little: null, big: null };
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
    return { type, little: read(view, true), big: read(view, false) };
  });
  const character = available > 0 ? describeUtf8(decodeUtf8At(bytes, offset)) : null;
  values.push({ type: 'utf8', little: character, big: character });
  return values;
}

/**
 * The shortest decimal that reads back as the same float32: String() would write the float64 the
 * float32 widens to (1.100000023841858 for 1.1).
 */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value) || value === 0) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === value) return String(shorter);
  }
  return String(Number(value.toPrecision(9)));
}

/** The code point a UTF-8 sequence starting at `offset` encodes, and its length in bytes. */
export type Utf8At = { codePoint: number; length: number } | { invalid: true };

export function decodeUtf8At(bytes: Uint8Array, offset: number): Utf8At {
  const lead = bytes[offset];
  if (lead === undefined) return { invalid: true };
  if (lead < 0x80) return { codePoint: lead, length: 1 };
  // Lead bytes per RFC 3629: C2..DF, E0..EF, F0..F4; each names its sequence's length and the
  // smallest value it may encode, so overlong forms, surrogates and values past U+10FFFF fail.
  const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : 4;
  if (lead < 0xc2 || lead > 0xf4 || offset + length > bytes.length) return { invalid: true };
  let codePoint = lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) {
    const next = bytes[offset + i]!;
    if ((next & 0xc0) !== 0x80) return { invalid: true };
    codePoint = (codePoint << 6) | (next & 0x3f);
  }
  const smallest = length === 2 ? 0x80 : length === 3 ? 0x800 : 0x10000;
  if (codePoint < smallest || codePoint > 0x10ffff) return { invalid: true };
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return { invalid: true };
  return { codePoint, length };
}

/** `U+00E9 "é" (2 bytes)`, or why there is no character. */
export function describeUtf8(decoded: Utf8At): string {
  if ('invalid' in decoded) return 'not the start of a UTF-8 character';
  const { codePoint, length } = decoded;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  // Control characters are named by code point only: shown, they would be invisible or break lines.
  const printable = codePoint >= 0x20 && !(codePoint >= 0x7f && codePoint < 0xa0);
  const shown = printable ? ` ${JSON.stringify(String.fromCodePoint(codePoint))}` : '';
  return `${name}${shown} (${length} byte${length === 1 ? '' : 's'})`;
}
