/**
 * Wire-format reading shared by the schema-driven decoder and the FileDescriptorSet reader.
 * Varints are read as two 32-bit halves, so 64-bit fields need BigInt only when a value is
 * beyond 2^53 (see joinU64/joinI64), and a hostile eleven-byte varint is an error, not a loop.
 */

import { ByteCursor, fail } from './byte-cursor';
import { utf8Lenient } from './bytes-text';

/** Groups nest; skipping them is bounded like every other recursion. */
const MAX_SKIP_DEPTH = 64;

export interface Varint64 {
  lo: number;
  hi: number;
}

export function readVarint64(cursor: ByteCursor): Varint64 {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    const byte = cursor.u8('varint');
    const bits = byte & 0x7f;
    if (i < 4) lo |= bits << (7 * i);
    else if (i === 4) {
      lo |= bits << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (7 * i - 32);
    if ((byte & 0x80) === 0) return { lo: lo >>> 0, hi: hi >>> 0 };
  }
  return fail('varint is longer than ten bytes');
}

/** A length prefix, checked against the bytes left before anything is allocated for it. */
export function readLength(cursor: ByteCursor, what: string): number {
  const { lo, hi } = readVarint64(cursor);
  if (hi !== 0 || lo > cursor.remaining) {
    fail(`${what}: length ${hi ? 'beyond 2^32' : lo} exceeds the ${cursor.remaining} bytes left`);
  }
  return lo;
}

export interface Tag {
  field: number;
  wireType: number;
}

export function readTag(cursor: ByteCursor): Tag {
  const { lo, hi } = readVarint64(cursor);
  if (hi !== 0) fail('field tag is too large');
  const field = lo >>> 3;
  if (field === 0) fail('field number 0');
  return { field, wireType: lo & 7 };
}

/** Fixed-width little-endian reads: the cursor's own readers are big-endian. */
export function readFixed32(cursor: ByteCursor, what: string): number {
  cursor.need(4, what);
  const value = cursor.view().getUint32(cursor.offset, true);
  cursor.offset += 4;
  return value;
}

export function readFixed64(cursor: ByteCursor, what: string): Varint64 {
  const lo = readFixed32(cursor, what);
  return { lo, hi: readFixed32(cursor, what) };
}

/**
 * Steps over a field's value; a group is skipped field by field up to its END_GROUP, with a
 * depth bound since groups nest.
 */
export function skipValue(cursor: ByteCursor, tag: Tag, depth: number, maxDepth: number): void {
  const { wireType } = tag;
  if (wireType === 0) readVarint64(cursor);
  else if (wireType === 1) cursor.take(8, 'i64 field');
  else if (wireType === 2) {
    cursor.take(readLength(cursor, 'length-delimited field'), 'length-delimited field');
  } else if (wireType === 5) cursor.take(4, 'i32 field');
  else if (wireType === 4) fail(`END_GROUP ${tag.field} without its START_GROUP`);
  else if (wireType !== 3) fail(`wire type ${wireType} does not exist`);
  else {
    if (depth >= maxDepth) fail(`groups nested deeper than ${maxDepth}`);
    while (true) {
      const inner = readTag(cursor);
      if (inner.wireType === 4) {
        if (inner.field !== tag.field) fail(`END_GROUP ${inner.field} closes group ${tag.field}`);
        return;
      }
      skipValue(cursor, inner, depth + 1, maxDepth);
    }
  }
}

export type Visit = (field: number, read: FieldReader) => void;

/** One field of a message read by hand (a descriptor), read as its visitor expects it. */
export class FieldReader {
  constructor(
    private readonly cursor: ByteCursor,
    readonly wireType: number,
  ) {}

  int(): number {
    if (this.wireType !== 0) fail('descriptor: expected a varint');
    return readVarint64(this.cursor).lo | 0;
  }

  bytes(): Uint8Array {
    if (this.wireType !== 2) fail('descriptor: expected a length-delimited field');
    return this.cursor.take(readLength(this.cursor, 'descriptor field'), 'descriptor field');
  }

  string(): string {
    return utf8Lenient(this.bytes());
  }
}

export function eachField(bytes: Uint8Array, visit: Visit): void {
  const cursor = new ByteCursor(bytes);
  while (cursor.remaining > 0) {
    const tag = readTag(cursor);
    const start = cursor.offset;
    const reader = new FieldReader(cursor, tag.wireType);
    visit(tag.field, reader);
    // The visitor reads only fields it knows; any other value is stepped over here.
    if (cursor.offset === start) skipValue(cursor, tag, 0, MAX_SKIP_DEPTH);
  }
}
