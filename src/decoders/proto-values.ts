/**
 * Scalar values as the typed protobuf decoder shows them: 64-bit integers as numbers while
 * exact and decimal strings beyond, bytes as copies that do not keep the frame alive.
 */

import { type ByteCursor, copyBytes, DecodeFailure, joinI64, joinU64 } from './byte-cursor';
import { printableUtf8, utf8Lenient } from './bytes-text';
import type { FieldType, ScalarType } from './proto-types';
import { readFixed32, readFixed64, readLength, readVarint64 } from './proto-wire-read';
import { readProtobuf } from './protobuf-wire';

/** The wire type each scalar is written with when not packed. */
export const WIRE_TYPE: Record<ScalarType, number> = {
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  bool: 0,
  fixed64: 1,
  sfixed64: 1,
  double: 1,
  fixed32: 5,
  sfixed32: 5,
  float: 5,
  string: 2,
  bytes: 2,
};

export const wireTypeOf = (type: FieldType) =>
  type.kind === 'scalar' ? WIRE_TYPE[type.scalar] : type.kind === 'enum' ? 0 : 2;

export function defaultOf(type: FieldType): unknown {
  if (type.kind !== 'scalar') return 0;
  if (type.scalar === 'string') return '';
  if (type.scalar === 'bytes') return new Uint8Array(0);
  if (type.scalar === 'bool') return false;
  return 0;
}

export function readScalar(cursor: ByteCursor, scalar: ScalarType): unknown {
  switch (scalar) {
    case 'string':
      return utf8Lenient(cursor.take(readLength(cursor, 'string'), 'string'));
    case 'bytes':
      return cursor.copy(readLength(cursor, 'bytes'), 'bytes');
    case 'fixed32':
      return readFixed32(cursor, 'fixed32');
    case 'sfixed32':
      return readFixed32(cursor, 'sfixed32') | 0;
    case 'float':
      cursor.need(4, 'float');
      cursor.offset += 4;
      return cursor.view().getFloat32(cursor.offset - 4, true);
    case 'double':
      cursor.need(8, 'double');
      cursor.offset += 8;
      return cursor.view().getFloat64(cursor.offset - 8, true);
    case 'fixed64': {
      const { lo, hi } = readFixed64(cursor, 'fixed64');
      return joinU64(hi, lo);
    }
    case 'sfixed64': {
      const { lo, hi } = readFixed64(cursor, 'sfixed64');
      return joinI64(hi | 0, lo);
    }
  }
  const { lo, hi } = readVarint64(cursor);
  switch (scalar) {
    case 'int32':
      return lo | 0;
    case 'uint32':
      return lo;
    case 'sint32':
      return (lo >>> 1) ^ -(lo & 1);
    case 'int64':
      return joinI64(hi | 0, lo);
    case 'uint64':
      return joinU64(hi, lo);
    case 'bool':
      return lo !== 0 || hi !== 0;
    default: {
      // sint64: zigzag over both halves; the mask is all ones for odd (negative) values.
      const mask = -(lo & 1);
      const low = ((lo >>> 1) | (hi << 31)) ^ mask;
      return joinI64(((hi >>> 1) ^ mask) | 0, low >>> 0);
    }
  }
}

/** Bytes of an unknown field: text if printable, a message if they parse as one, else bytes. */
export function guessBytes(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return new Uint8Array(0);
  const text = printableUtf8(bytes);
  if (text !== undefined) return text;
  try {
    return readProtobuf(bytes);
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    return copyBytes(bytes);
  }
}
