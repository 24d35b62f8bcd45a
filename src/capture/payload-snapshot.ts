import type { PagePayload } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';

/**
 * Copies what the page sent or received into a payload the hook can post later. Bytes are copied
 * at once (the page may reuse or detach its buffer); strings and Blobs are immutable and kept.
 * Payloads above `payloadCap` bytes keep their first `payloadCap` bytes and their original size.
 * (Base64 made by the browser's native toBase64 instead of a copy was tried: for varied bytes it
 * costs more than the copy, and the string then costs more to pass to the relay than a
 * transferred buffer.)
 */
export function snapshotBinary(
  intrinsics: Intrinsics,
  data: ArrayBuffer | ArrayBufferView,
  payloadCap: number,
): PagePayload {
  const { buffer, offset, length } = bytesOf(intrinsics, data);
  const kept = Math.min(length, payloadCap);
  return {
    kind: 'bytes',
    bytes: copyBytes(intrinsics, buffer, offset, kept),
    originalSize: length,
  };
}

/** A copy of the bytes the page passed, that the page can no longer change. */
export function copyBinary(
  intrinsics: Intrinsics,
  data: ArrayBuffer | ArrayBufferView,
): ArrayBuffer {
  const { buffer, offset, length } = bytesOf(intrinsics, data);
  return copyBytes(intrinsics, buffer, offset, length);
}

/** `length` bytes of `buffer` from `offset`, copied. */
function copyBytes(
  intrinsics: Intrinsics,
  buffer: ArrayBuffer,
  offset: number,
  length: number,
): ArrayBuffer {
  // A detached buffer (which the browser sends as an empty frame) cannot be sliced.
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
