/** Base64 for binary payloads (the wire and HAR form), fast for large buffers. */

type Base64Uint8Array = Uint8Array & { toBase64?: () => string };
type Base64Uint8ArrayConstructor = typeof Uint8Array & {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
};

const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as Base64Uint8Array).toBase64;
  if (native) return native.call(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

/** Decodes standard base64; throws a SyntaxError naming the problem for anything else. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const fromBase64 = (Uint8Array as Base64Uint8ArrayConstructor).fromBase64;
  if (fromBase64) return fromBase64(text);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new SyntaxError('not valid base64');
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Decodes base64, or gives undefined for anything else (for views, which show, not throw). */
export function tryBase64ToBytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return base64ToBytes(text);
  } catch {
    return undefined;
  }
}
