import {
  CaptureFailure,
  charCodeAt,
  nativeFromBase64,
  typedArrayBuffer,
  Uint8ArrayConstructor,
} from './page-builtins';

/** The value of each base64 character by its code (255: not a base64 character). */
const VALUES = new Uint8ArrayConstructor(128).fill(255);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;
const PADDING = 61; // '='

/**
 * Decodes standard base64 (padding optional) into a new ArrayBuffer, with the browser's native
 * decoder where it has one; throws a CaptureFailure for anything else. Page-world code: it uses
 * only built-ins captured before any page script ran, so a page that replaced
 * `Uint8Array.fromBase64` or String.prototype methods neither sees nor changes what a command
 * sends or delivers.
 */
export function base64ToBuffer(text: string): ArrayBuffer {
  if (nativeFromBase64) {
    try {
      return typedArrayBuffer(nativeFromBase64(text));
    } catch {
      throw new CaptureFailure('SyntaxError: not valid base64');
    }
  }
  let length = text.length;
  if (length % 4 === 0 && length > 0 && charCodeAt(text, length - 1) === PADDING) {
    length--;
    if (charCodeAt(text, length - 1) === PADDING) length--;
  }
  if (length % 4 === 1) throw new CaptureFailure('SyntaxError: not valid base64');
  const bytes = new Uint8ArrayConstructor((length * 3) >> 2);
  let bits = 0;
  let bitCount = 0;
  let at = 0;
  for (let i = 0; i < length; i++) {
    const code = charCodeAt(text, i);
    const value = code < 128 ? VALUES[code]! : 255;
    if (value === 255) throw new CaptureFailure('SyntaxError: not valid base64');
    bits = ((bits << 6) | value) & 0xffffff;
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[at++] = (bits >> bitCount) & 0xff;
    }
  }
  return typedArrayBuffer(bytes);
}
