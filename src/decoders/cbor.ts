/**
 * A CBOR reader (RFC 8949) returning plain data: byte strings as Uint8Array, integers beyond
 * 2^53 as decimal strings, dates (tags 0 and 1) as ISO text, bignums (tags 2 and 3) as numbers or
 * decimal strings, tags that only restate the type (64, 259, 55799) as their content, other tags as `{ tag, value }`, and simple values other than false, true and
 * null as `{ simple }`.
 */

import { type ByteCursor, fail } from './byte-cursor';
import { hex, utf8Lenient } from './bytes-text';
import type { DecoderDefinition } from './decoder';
import { isoFromEpoch } from './epoch-time';
import { mapKeyText, type PlainMap, setEntry } from './plain-map';
import { valueStreamSession } from './value-stream';

export const CBOR_MAX_DEPTH = 64;

const BREAK = 0xff;
/** Bignums longer than this stay bytes: BigInt text conversion grows quadratically. */
const BIGNUM_MAX_BYTES = 128;

/** Reads one data item at the cursor; throws DecodeFailure on malformed or truncated input. */
export function readCbor(cursor: ByteCursor, depth = 0): unknown {
  const head = cursor.u8('initial byte');
  const major = head >> 5;
  const info = head & 0x1f;
  if (major === 7) return readSimple(cursor, info);
  if (info === 31) return readIndefinite(cursor, major, depth);
  const argument = readArgument(cursor, info);
  switch (major) {
    case 0:
      return argument;
    case 1:
      return typeof argument === 'number' ? -1 - argument : (-1n - BigInt(argument)).toString();
    case 2:
      return cursor.copy(asLength(argument), 'byte string');
    case 3:
      return utf8Lenient(cursor.take(asLength(argument), 'text string'));
    case 4:
      return readArray(cursor, asLength(argument), depth);
    case 5:
      return readMap(cursor, asLength(argument), depth);
    default:
      return readTag(cursor, argument, depth);
  }
}

function readArgument(cursor: ByteCursor, info: number): number | string {
  if (info < 24) return info;
  if (info === 24) return cursor.u8('argument');
  if (info === 25) return cursor.u16('argument');
  if (info === 26) return cursor.u32('argument');
  if (info === 27) return cursor.u64('argument');
  return fail(`reserved additional information ${info}`);
}

function asLength(argument: number | string): number {
  return typeof argument === 'number' ? argument : fail(`length ${argument} is too large`);
}

function enter(depth: number): void {
  if (depth >= CBOR_MAX_DEPTH) fail(`items nested deeper than ${CBOR_MAX_DEPTH}`);
}

function atBreak(cursor: ByteCursor): boolean {
  cursor.need(1, 'break');
  if (cursor.bytes[cursor.offset] !== BREAK) return false;
  cursor.offset++;
  return true;
}

function readArray(cursor: ByteCursor, count: number, depth: number): unknown[] {
  enter(depth);
  cursor.need(count, 'array');
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) items.push(readCbor(cursor, depth + 1));
  return items;
}

function readMap(cursor: ByteCursor, count: number, depth: number): PlainMap {
  enter(depth);
  cursor.need(count * 2, 'map');
  const map: PlainMap = {};
  for (let i = 0; i < count; i++) readEntry(cursor, map, depth);
  return map;
}

function readEntry(cursor: ByteCursor, map: PlainMap, depth: number): void {
  const key = mapKeyText(readCbor(cursor, depth + 1));
  setEntry(map, key, readCbor(cursor, depth + 1));
}

function readIndefinite(cursor: ByteCursor, major: number, depth: number): unknown {
  if (major === 2 || major === 3) return readChunks(cursor, major);
  enter(depth);
  if (major === 4) {
    const items: unknown[] = [];
    while (!atBreak(cursor)) items.push(readCbor(cursor, depth + 1));
    return items;
  }
  if (major === 5) {
    const map: PlainMap = {};
    while (!atBreak(cursor)) readEntry(cursor, map, depth);
    return map;
  }
  return fail(`major type ${major} cannot have an indefinite length`);
}

/** An indefinite string: definite chunks of the same major type, then a break. */
function readChunks(cursor: ByteCursor, major: number): Uint8Array | string {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (!atBreak(cursor)) {
    const head = cursor.u8('chunk');
    if (head >> 5 !== major || (head & 0x1f) === 31) fail('bad chunk in an indefinite string');
    const chunk = cursor.take(asLength(readArgument(cursor, head & 0x1f)), 'chunk');
    chunks.push(chunk);
    total += chunk.length;
  }
  // Text chunks must each be whole UTF-8, so they are decoded one by one.
  if (major === 3) return chunks.map(utf8Lenient).join('');
  const joined = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

function readTag(cursor: ByteCursor, tag: number | string, depth: number): unknown {
  enter(depth);
  const value = readCbor(cursor, depth + 1);
  if (tag === 0 && typeof value === 'string') return value;
  if (tag === 1 && typeof value === 'number') return isoFromEpoch(value) ?? { tag, value };
  if ((tag === 2 || tag === 3) && value instanceof Uint8Array && value.length <= BIGNUM_MAX_BYTES) {
    const magnitude = value.length ? BigInt(`0x${hex(value)}`) : 0n;
    const big = tag === 2 ? magnitude : -1n - magnitude;
    const asNumber = Number(big);
    return Number.isSafeInteger(asNumber) ? asNumber : big.toString();
  }
  // These add nothing the tree needs: 55799 marks the data as CBOR, 259 a map meant as a Map,
  // 64 a byte string meant as a Uint8Array (some encoders, cbor-x among them, write the last two
  // by default).
  if (
    tag === 55799 ||
    (tag === 259 && isMap(value)) ||
    (tag === 64 && value instanceof Uint8Array)
  ) {
    return value;
  }
  return { tag, value };
}

function isMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

function readSimple(cursor: ByteCursor, info: number): unknown {
  if (info < 20) return { simple: info };
  switch (info) {
    case 20:
      return false;
    case 21:
      return true;
    case 22:
      return null;
    case 23:
      return { simple: 23 };
    case 24: {
      const value = cursor.u8('simple value');
      return value < 32 ? fail(`simple value ${value} must be one byte`) : { simple: value };
    }
    case 25:
      return halfFloat(cursor.u16('half float'));
    case 26:
      return cursor.f32('single float');
    case 27:
      return cursor.f64('double float');
    case 31:
      return fail('break outside an indefinite-length item');
    default:
      return fail(`reserved additional information ${info}`);
  }
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  let magnitude: number;
  if (exponent === 0) magnitude = mantissa * 2 ** -24;
  else if (exponent === 31) magnitude = mantissa ? Number.NaN : Number.POSITIVE_INFINITY;
  else magnitude = (mantissa + 1024) * 2 ** (exponent - 25);
  return bits & 0x8000 ? -magnitude : magnitude;
}

export const cborDecoder: DecoderDefinition = {
  id: 'cbor',
  label: 'CBOR',
  create: () => valueStreamSession('CBOR', readCbor),
};
