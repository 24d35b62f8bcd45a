import type { PagePayload } from '../protocol/capture-events';
import type { WirePayload } from '../protocol/wire-payload';
import { bytesToBase64 } from '../session/base64';
import { utf8ByteLength } from '../session/utf8';

const encoder = new TextEncoder();

/** A string of n UTF-16 units takes at most this many times n UTF-8 bytes. */
export const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Turns a page payload into its wire form: text stays text (cut at `payloadCap` UTF-8 bytes, on a
 * character boundary), binary becomes base64 of at most `payloadCap` bytes. Blobs are read here,
 * in the relay, so the page never waits for them.
 */
export async function encodePayload(
  payload: PagePayload,
  payloadCap: number,
): Promise<WirePayload> {
  if (payload.kind === 'blob') {
    return encodeBytes(await readBlob(payload.blob, payloadCap), blobSize(payload.blob));
  }
  return encodePayloadSync(payload, payloadCap);
}

// The relay's own Blob methods, taken when it loads: in Firefox the relay reads the page's Blob
// through its waived view, where `blob.size` or `blob.arrayBuffer()` would find the page's
// replacements on Blob.prototype (or on the Blob itself) and report other bytes than were sent.
const blobSizeGetter = Object.getOwnPropertyDescriptor(Blob.prototype, 'size')!.get!;
const blobSlice = Blob.prototype.slice;
const blobArrayBuffer = Blob.prototype.arrayBuffer;

/** A Blob's size, read by the browser's own getter. */
export function blobSize(blob: Blob): number {
  return Reflect.apply(blobSizeGetter, blob, []) as number;
}

/** A Blob's first `payloadCap` bytes, read by the browser's own methods. */
export async function readBlob(blob: Blob, payloadCap: number): Promise<Uint8Array> {
  const kept =
    blobSize(blob) > payloadCap ? (Reflect.apply(blobSlice, blob, [0, payloadCap]) as Blob) : blob;
  return new Uint8Array(await (Reflect.apply(blobArrayBuffer, kept, []) as Promise<ArrayBuffer>));
}

/**
 * Binary as the bytes themselves, for ports that carry structured clones: a copy of at most
 * `payloadCap` bytes that the relay owns (in Firefox `bytes` may view the page's own buffer).
 */
export function copyBytes(bytes: Uint8Array, payloadCap: number): ArrayBuffer {
  const kept = bytes.byteLength > payloadCap ? bytes.subarray(0, payloadCap) : bytes;
  const copy = new Uint8Array(kept.byteLength);
  copy.set(kept);
  return copy.buffer;
}

export function encodePayloadSync(
  payload: Exclude<PagePayload, { kind: 'blob' }>,
  payloadCap: number,
): WirePayload {
  if (payload.kind === 'bytes') {
    const bytes = new Uint8Array(payload.bytes);
    return encodeBytes(
      bytes.byteLength > payloadCap ? bytes.subarray(0, payloadCap) : bytes,
      payload.originalSize,
    );
  }
  const { text } = payload;
  // Short texts skip the exact count.
  if (text.length * MAX_UTF8_BYTES_PER_UNIT <= payloadCap) {
    const size = utf8ByteLength(text);
    return { kind: 'text', text, size, originalSize: size };
  }
  const originalSize = utf8ByteLength(text);
  if (originalSize <= payloadCap) return { kind: 'text', text, size: originalSize, originalSize };
  const { read, written } = encoder.encodeInto(text, new Uint8Array(payloadCap));
  return { kind: 'text', text: text.slice(0, read), size: written, originalSize };
}

function encodeBytes(bytes: Uint8Array, originalSize: number): WirePayload {
  return { kind: 'binary', base64: bytesToBase64(bytes), size: bytes.byteLength, originalSize };
}
