/**
 * A MessagePack reader returning plain data: bin as Uint8Array, 64-bit integers as numbers when
 * exact and as decimal strings otherwise, timestamps (ext -1) as ISO text, other ext types as
 * `{ ext, data }`, and maps as objects whose non-string keys are shown as text.
 */

import { ByteCursor, copyBytes, fail } from './byte-cursor';
import { utf8Lenient } from './bytes-text';
import type { DecoderDefinition } from './decoder';
import { isoFromEpoch } from './epoch-time';
import { mapKeyText, type PlainMap, setEntry } from './plain-map';
import { valueStreamSession } from './value-stream';

/** Nesting allowed in one value: deeper input is refused, never recursed into. */
export const MSGPACK_MAX_DEPTH = 64;

/** Reads one value at the cursor; throws DecodeFailure on malformed or truncated input. */
export function readMsgpack(cursor: ByteCursor, depth = 0): unknown {
  const head = cursor.u8('type byte');
  if (head <= 0x7f) return head;
  if (head >= 0xe0) return head - 0x100;
  if (head <= 0x8f) return readMap(cursor, head & 0x0f, depth);
  if (head <= 0x9f) return readArray(cursor, head & 0x0f, depth);
  if (head <= 0xbf) return readStr(cursor, head & 0x1f);
  switch (head) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return cursor.copy(cursor.u8('bin 8 length'), 'bin 8');
    case 0xc5:
      return cursor.copy(cursor.u16('bin 16 length'), 'bin 16');
    case 0xc6:
      return cursor.copy(cursor.u32('bin 32 length'), 'bin 32');
    case 0xc7:
      return readExt(cursor, cursor.u8('ext 8 length'));
    case 0xc8:
      return readExt(cursor, cursor.u16('ext 16 length'));
    case 0xc9:
      return readExt(cursor, cursor.u32('ext 32 length'));
    case 0xca:
      return cursor.f32('float 32');
    case 0xcb:
      return cursor.f64('float 64');
    case 0xcc:
      return cursor.u8('uint 8');
    case 0xcd:
      return cursor.u16('uint 16');
    case 0xce:
      return cursor.u32('uint 32');
    case 0xcf:
      return cursor.u64('uint 64');
    case 0xd0:
      return (cursor.u8('int 8') << 24) >> 24;
    case 0xd1:
      return (cursor.u16('int 16') << 16) >> 16;
    case 0xd2:
      return cursor.i32('int 32');
    case 0xd3:
      return cursor.i64('int 64');
    case 0xd4:
      return readExt(cursor, 1);
    case 0xd5:
      return readExt(cursor, 2);
    case 0xd6:
      return readExt(cursor, 4);
    case 0xd7:
      return readExt(cursor, 8);
    case 0xd8:
      return readExt(cursor, 16);
    case 0xd9:
      return readStr(cursor, cursor.u8('str 8 length'));
    case 0xda:
      return readStr(cursor, cursor.u16('str 16 length'));
    case 0xdb:
      return readStr(cursor, cursor.u32('str 32 length'));
    case 0xdc:
      return readArray(cursor, cursor.u16('array 16 length'), depth);
    case 0xdd:
      return readArray(cursor, cursor.u32('array 32 length'), depth);
    case 0xde:
      return readMap(cursor, cursor.u16('map 16 length'), depth);
    case 0xdf:
      return readMap(cursor, cursor.u32('map 32 length'), depth);
    default:
      return fail(`0x${head.toString(16)} is not a MessagePack type byte`);
  }
}

function readStr(cursor: ByteCursor, length: number): string {
  return utf8Lenient(cursor.take(length, 'str'));
}

function enter(depth: number): void {
  if (depth >= MSGPACK_MAX_DEPTH) fail(`values nested deeper than ${MSGPACK_MAX_DEPTH}`);
}

function readArray(cursor: ByteCursor, count: number, depth: number): unknown[] {
  enter(depth);
  // Every element takes at least a byte: a larger count is a lie, refused before the loop.
  cursor.need(count, 'array');
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) items.push(readMsgpack(cursor, depth + 1));
  return items;
}

function readMap(cursor: ByteCursor, count: number, depth: number): PlainMap {
  enter(depth);
  cursor.need(count * 2, 'map');
  const map: PlainMap = {};
  for (let i = 0; i < count; i++) {
    const key = mapKeyText(readMsgpack(cursor, depth + 1));
    setEntry(map, key, readMsgpack(cursor, depth + 1));
  }
  return map;
}

function readExt(cursor: ByteCursor, length: number): unknown {
  const type = (cursor.u8('ext type') << 24) >> 24;
  const data = cursor.take(length, 'ext data');
  if (type === -1) {
    const time = readTimestamp(data);
    if (time !== undefined) return time;
  }
  return { ext: type, data: copyBytes(data) };
}

/** The three timestamp layouts of the spec; undefined for any other length or a bad value. */
function readTimestamp(data: Uint8Array): string | undefined {
  const cursor = new ByteCursor(data);
  if (data.length === 4) return isoFromEpoch(cursor.u32());
  if (data.length === 8) {
    // 30 bits of nanoseconds, then 34 bits of seconds.
    const high = cursor.u32();
    const low = cursor.u32();
    return isoFromEpoch((high & 0x3) * 2 ** 32 + low, high >>> 2);
  }
  if (data.length === 12) {
    const nanos = cursor.u32();
    const seconds = cursor.i64();
    return typeof seconds === 'number' ? isoFromEpoch(seconds, nanos) : undefined;
  }
  return undefined;
}

export const msgpackDecoder: DecoderDefinition = {
  id: 'msgpack',
  label: 'MessagePack',
  create: () => valueStreamSession('MessagePack', readMsgpack),
};
