import type { PagePayload } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';

/**
 * Snapshots the bytes the page sent or received, at once (the page may reuse or detach its
 * buffer), as a payload the hook can post later: base64 where the browser encodes it natively
 * (an immutable string, made in a tenth of the time a copy takes), else a copy of the bytes.
 * Payloads above `payloadCap` bytes keep their first `payloadCap` bytes and their original size.
 */
export function snapshotBinary(
  intrinsics: Intrinsics,
  data: ArrayBuffer | ArrayBufferView,
  payloadCap: number,
): PagePayload {
  const { buffer, offset, length } = bytesOf(intrinsics, data);
  const kept = Math.min(length, payloadCap);
  // Nothing to read (a detached buffer, which the browser sends as empty, cannot be viewed).
  if (kept === 0)
    return { kind: 'bytes', bytes: new intrinsics.ArrayBuffer(0), originalSize: length };
  if (intrinsics.base64Of) {
    const base64 = intrinsics.base64Of(buffer, offset, kept);
    return { kind: 'base64', base64, size: kept, originalSize: length };
  }
  return {
    kind: 'bytes',
    bytes: intrinsics.sliceArrayBuffer(buffer, offset, offset + kept),
    originalSize: length,
  };
}

/** A copy of the bytes the page passed, that the page can no longer change. */
export function copyBinary(
  intrinsics: Intrinsics,
  data: ArrayBuffer | ArrayBufferView,
): ArrayBuffer {
  const { buffer, offset, length } = bytesOf(intrinsics, data);
  if (length === 0) return new intrinsics.ArrayBuffer(0);
  return intrinsics.sliceArrayBuffer(buffer, offset, offset + length);
}

function bytesOf(
  intrinsics: Intrinsics,
  data: ArrayBuffer | ArrayBufferView,
): { buffer: ArrayBuffer; offset: number; length: number } {
  if (!intrinsics.isArrayBufferView(data)) {
    return { buffer: data, offset: 0, length: intrinsics.arrayBufferByteLength(data) };
  }
  if (intrinsics.isDataView(data)) {
    return {
      buffer: intrinsics.dataViewBuffer(data),
      offset: intrinsics.dataViewByteOffset(data),
      length: intrinsics.dataViewByteLength(data),
    };
  }
  return {
    buffer: intrinsics.typedArrayBuffer(data),
    offset: intrinsics.typedArrayByteOffset(data),
    length: intrinsics.typedArrayByteLength(data),
  };
}
