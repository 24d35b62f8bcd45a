import type { PagePayload } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';

/**
 * Copies what the page sent or received into a payload the hook can post later. Bytes are copied
 * at once (the page may reuse or detach its buffer); strings and Blobs are immutable and kept.
 * Payloads above `payloadCap` bytes keep their first `payloadCap` bytes and their original size.
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
    bytes: intrinsics.sliceArrayBuffer(buffer, offset, offset + kept),
    originalSize: length,
  };
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
