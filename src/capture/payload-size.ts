import type { Intrinsics } from './native-intrinsics';
import {
  arrayBufferByteLength,
  charCodeAt,
  dataViewByteLength,
  isArrayBuffer,
  isArrayBufferView,
  isDataView,
  typedArrayByteLength,
} from './page-builtins';

/** A payload's size in bytes, as bufferedAmount counts it (UTF-8 for text). */
export function payloadSize(intrinsics: Intrinsics, data: unknown): number {
  if (typeof data === 'string') return utf8Length(data);
  if (intrinsics.isBlob(data)) return intrinsics.blobByteSize(data);
  if (isDataView(data)) return dataViewByteLength(data);
  if (isArrayBufferView(data)) return typedArrayByteLength(data);
  if (isArrayBuffer(data)) return arrayBufferByteLength(data);
  return 0;
}

/** UTF-8 bytes of a string (a lone surrogate counts 3, as its replacement character). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = charCodeAt(text, i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      const next = charCodeAt(text, i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
