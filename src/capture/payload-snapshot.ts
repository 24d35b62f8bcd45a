import type { PagePayload } from '../protocol/capture-events';
import {
  arrayBufferByteLength,
  dataViewBuffer,
  dataViewByteLength,
  dataViewByteOffset,
  isArrayBufferView,
  isDataView,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  Uint8ArrayConstructor,
  uint8ArraySet,
} from './page-builtins';

/**
 * Copies what the page sent or received into a payload the hook can post later. Bytes are copied
 * at once (the page may reuse or detach its buffer); strings and Blobs are immutable and kept.
 * Payloads above `payloadCap` bytes keep their first `payloadCap` bytes and their original size.
 * (Base64 made by the browser's native toBase64 instead of a copy was tried: for varied bytes it
 * costs more than the copy, and the string then costs more to pass to the relay than a
 * transferred buffer.)
 */
export function snapshotBinary(
  data: ArrayBuffer | ArrayBufferView,
  payloadCap: number,
): PagePayload {
  let buffer: ArrayBuffer;
  let offset: number;
  let length: number;
  if (!isArrayBufferView(data)) {
    buffer = data;
    offset = 0;
    length = arrayBufferByteLength(data);
  } else if (isDataView(data)) {
    buffer = dataViewBuffer(data);
    offset = dataViewByteOffset(data);
    length = dataViewByteLength(data);
  } else {
    buffer = typedArrayBuffer(data);
    offset = typedArrayByteOffset(data);
    length = typedArrayByteLength(data);
  }
  return {
    kind: 'bytes',
    bytes: copyBytes(buffer, offset, length < payloadCap ? length : payloadCap),
    originalSize: length,
  };
}

const NO_CAP = Number.MAX_SAFE_INTEGER;

/** A copy of the bytes the page passed, that the page can no longer change. */
export function copyBinary(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  const payload = snapshotBinary(data, NO_CAP);
  return (payload as Extract<PagePayload, { kind: 'bytes' }>).bytes;
}

/** The first `length` bytes of a buffer of ours, copied (to transfer the copy). */
export function copyBuffer(buffer: ArrayBuffer, length: number): ArrayBuffer {
  return copyBytes(buffer, 0, length);
}

/**
 * `length` bytes of `buffer` from `offset`, copied through views: ArrayBuffer.prototype.slice
 * would look up the buffer's `constructor` and its species, which the page can define.
 */
function copyBytes(buffer: ArrayBuffer, offset: number, length: number): ArrayBuffer {
  const copy = new Uint8ArrayConstructor(length);
  // A detached buffer (which the browser sends as an empty frame) cannot be viewed.
  if (length > 0) uint8ArraySet(copy, new Uint8ArrayConstructor(buffer, offset, length));
  return typedArrayBuffer(copy);
}
