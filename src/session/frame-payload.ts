import type { WirePayload } from '../protocol/wire-payload';
import { bytesToBase64, tryBase64ToBytes } from './base64';
import type { BinaryPayload, FramePayload } from './session-model';

const NO_BYTES = new Uint8Array(0);

/**
 * A binary payload from its data on the wire: bytes where the ports carry structured clones
 * (wrapped, not copied), base64 where they carry JSON (decoded here, once).
 */
export function binaryPayload(
  data: string | ArrayBuffer,
  size: number,
  originalSize: number,
): BinaryPayload {
  if (typeof data !== 'string') {
    return { kind: 'binary', bytes: new Uint8Array(data), size, originalSize };
  }
  const bytes = tryBase64ToBytes(data);
  if (bytes) return { kind: 'binary', bytes, size, originalSize };
  return { kind: 'binary', bytes: NO_BYTES, size, originalSize, undecodable: data };
}

/** A payload of a wire event (a held frame's) in the model's form. */
export function framePayloadOf(payload: WirePayload): FramePayload {
  return payload.kind === 'text'
    ? payload
    : binaryPayload(payload.base64, payload.size, payload.originalSize);
}

/** A binary payload with its content dropped (the panel's memory budget), sizes kept. */
export function emptiedBinary({ size, originalSize }: BinaryPayload): BinaryPayload {
  return { kind: 'binary', bytes: NO_BYTES, size, originalSize };
}

/**
 * A binary payload as base64, for what leaves the model in that form: commands to the page
 * (page-commands.ts), HAR files, the base64 view and the clipboard.
 */
export function base64Of(payload: BinaryPayload): string {
  return payload.undecodable ?? bytesToBase64(payload.bytes);
}
