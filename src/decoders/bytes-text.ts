/** Text out of untrusted bytes, for the binary decoders. */

// ignoreBOM keeps a leading U+FEFF in the text: the decoders show bytes, not documents.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Short ASCII strings are the common case (map keys); a TextDecoder call costs more than them. */
const SHORT = 24;

function shortAscii(bytes: Uint8Array): string | undefined {
  if (bytes.length > SHORT) return undefined;
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return undefined;
  // apply takes the typed array as it is; a spread would first copy it into an array.
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/**
 * Whether the bytes are well-formed UTF-8 (Unicode table 3-7: no overlong forms, no surrogates,
 * nothing past U+10FFFF). A scan, because the strict decoder reports bad input by throwing, and
 * a guessing decoder (protobuf asks this of every length-delimited field) would pay for
 * thousands of exceptions a frame.
 */
export function isWellFormedUtf8(bytes: Uint8Array): boolean {
  const length = bytes.length;
  let i = 0;
  while (i < length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let low = 0x80;
    let high = 0xbf;
    let trailing: number;
    if (lead >= 0xc2 && lead <= 0xdf) trailing = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2;
      if (lead === 0xe0) low = 0xa0;
      else if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3;
      if (lead === 0xf0) low = 0x90;
      else if (lead === 0xf4) high = 0x8f;
    } else return false;
    if (i + trailing >= length) return false;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return false;
    for (let k = 2; k <= trailing; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return false;
    }
    i += trailing + 1;
  }
  return true;
}

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  const ascii = shortAscii(bytes);
  if (ascii !== undefined) return ascii;
  if (!isWellFormedUtf8(bytes)) return undefined;
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The bytes as UTF-8 text, invalid sequences shown as U+FFFD. */
export function utf8Lenient(bytes: Uint8Array): string {
  return shortAscii(bytes) ?? lenient.decode(bytes);
}

/**
 * Whether the bytes hold a C0 control other than tab, line feed and carriage return, or DEL:
 * text holding them is more likely binary data that happens to be valid UTF-8. In UTF-8 these
 * code points are single bytes that occur nowhere else, so the bytes can be checked directly.
 */
function hasControlBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) {
      return true;
    }
  }
  return false;
}

/** The bytes as printable UTF-8 text, or undefined. */
export function printableUtf8(bytes: Uint8Array): string | undefined {
  return hasControlBytes(bytes) ? undefined : utf8OrUndefined(bytes);
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The first `max` bytes in hex, space-separated, with an ellipsis when there are more. */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  const shown: string[] = [];
  const count = Math.min(bytes.length, max);
  for (let i = 0; i < count; i++) shown.push(HEX[bytes[i]!]!);
  return shown.join(' ') + (bytes.length > max ? ' …' : '');
}

/** All the bytes in hex, no separator (bounded by the caller). */
export function hex(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i++) parts.push(HEX[bytes[i]!]!);
  return parts.join('');
}
