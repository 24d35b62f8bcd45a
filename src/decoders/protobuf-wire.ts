/**
 * Protocol Buffers without a schema: the wire format alone (field numbers and wire types), as
 * `protoc --decode_raw` shows it. A message becomes an object keyed by field number, a repeated
 * field an array. Without the schema a length-delimited field is a guess: printable UTF-8 is
 * taken as a string (short text often also parses as a message, and text is the likelier
 * intent), bytes that parse wholly as a message as a nested message, anything else as bytes.
 * Varints show as unsigned unless they need all 64 bits, which is how negative int32 and int64
 * values are sent, so those show as negative. Fixed-width fields show every reading.
 */

import { ByteCursor, copyBytes, DecodeFailure, fail, failureReason } from './byte-cursor';
import { printableUtf8 } from './bytes-text';
import type { DecodeOutcome, DecoderDefinition, DecoderInput } from './decoder';
import { decodedMessage } from './message';
import { type PlainMap, setEntry } from './plain-map';
import { previewValue } from './value-preview';

export const PROTOBUF_MAX_DEPTH = 64;

/** Below this high word, a 64-bit integer is exact as a number. */
const SAFE_HIGH = 2 ** 21;
const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

/** A varint of up to ten bytes: a number while it fits in 49 bits, else a bigint. */
function readVarint(cursor: ByteCursor): number | bigint {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 7; i++) {
    const byte = cursor.u8('varint');
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return value;
    multiplier *= 128;
  }
  let big = BigInt(value);
  for (let shift = 49n; shift < 70n; shift += 7n) {
    const byte = cursor.u8('varint');
    big |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return big % TWO_64;
  }
  return fail('varint is longer than ten bytes');
}

function varintValue(raw: number | bigint): number | string {
  if (typeof raw === 'number') return raw;
  const signed = raw >= TWO_63 ? raw - TWO_64 : raw;
  const asNumber = Number(signed);
  return Number.isSafeInteger(asNumber) ? asNumber : signed.toString();
}

const TWO_32 = 2 ** 32;
const hex32 = (value: number) => value.toString(16).padStart(8, '0');

/**
 * An i32 or i64 field, read every way the schema might mean it: unsigned, signed when that
 * differs, and floating point. 64-bit integers beyond 2^53 show in hex, which is both cheaper
 * than decimal (no BigInt) and plainer for what is most often a double's bits.
 */
function readFixed(cursor: ByteCursor, wide: boolean): PlainMap {
  const size = wide ? 8 : 4;
  cursor.need(size, wide ? 'i64 field' : 'i32 field');
  const view = cursor.view();
  const at = cursor.offset;
  cursor.offset += size;
  const low = view.getUint32(at, true);
  if (!wide) {
    const value: PlainMap = { i32: low };
    if (low >= 2 ** 31) value.signed = low - TWO_32;
    value.float = view.getFloat32(at, true);
    return value;
  }
  const high = view.getUint32(at + 4, true);
  const value: PlainMap = {};
  if (high < SAFE_HIGH) value.i64 = high * TWO_32 + low;
  else {
    value.i64 = `0x${hex32(high)}${hex32(low)}`;
    // A small negative sfixed64: its high word is all ones but for the last 21 bits.
    if (high >= TWO_32 - SAFE_HIGH) value.signed = (high - TWO_32) * TWO_32 + low;
  }
  value.double = view.getFloat64(at, true);
  return value;
}

function readLengthDelimited(cursor: ByteCursor, depth: number): unknown {
  const length = readVarint(cursor);
  if (typeof length !== 'number') return fail('length is too large');
  const part = cursor.split(length, 'length-delimited field');
  if (length === 0) return '';
  const bytes = cursor.bytes.subarray(part.offset, part.end);
  const text = printableUtf8(bytes);
  if (text !== undefined) return text;
  if (depth + 1 < PROTOBUF_MAX_DEPTH) {
    try {
      return readFields(part, depth + 1, undefined);
    } catch (error) {
      if (!(error instanceof DecodeFailure)) throw error;
    }
  }
  return copyBytes(bytes);
}

function addField(fields: PlainMap, key: string, value: unknown): void {
  const seen = fields[key];
  if (seen === undefined) setEntry(fields, key, value);
  else if (Array.isArray(seen)) seen.push(value);
  else fields[key] = [seen, value];
}

/** Reads fields up to the cursor's end, or up to the END_GROUP of `group` (a deprecated group). */
function readFields(cursor: ByteCursor, depth: number, group: number | undefined): PlainMap {
  if (depth >= PROTOBUF_MAX_DEPTH) fail(`messages nested deeper than ${PROTOBUF_MAX_DEPTH}`);
  const fields: PlainMap = {};
  while (cursor.remaining > 0) {
    const tag = readVarint(cursor);
    if (typeof tag !== 'number' || tag > 0xffffffff) fail('field tag is too large');
    const wireType = tag % 8;
    const field = Math.floor(tag / 8);
    if (field === 0) fail('field number 0');
    let value: unknown;
    switch (wireType) {
      case 0:
        value = varintValue(readVarint(cursor));
        break;
      case 1:
        value = readFixed(cursor, true);
        break;
      case 2:
        value = readLengthDelimited(cursor, depth);
        break;
      case 3:
        value = readFields(cursor, depth + 1, field);
        break;
      case 4:
        if (group === field) return fields;
        return fail(`END_GROUP ${field} without its START_GROUP`);
      case 5:
        value = readFixed(cursor, false);
        break;
      default:
        return fail(`wire type ${wireType} does not exist`);
    }
    addField(fields, String(field), value);
  }
  if (group !== undefined) fail(`group ${group} has no END_GROUP`);
  return fields;
}

/** Reads a whole buffer as one message; throws DecodeFailure when it is not one. */
export function readProtobuf(bytes: Uint8Array): PlainMap {
  return readFields(new ByteCursor(bytes), 0, undefined);
}

const summarize = (value: PlainMap) => previewValue(value);

function decodeFrame(input: DecoderInput): DecodeOutcome {
  if (input.kind !== 'binary') return { kind: 'error', error: 'Protobuf comes in binary frames' };
  try {
    const value = readProtobuf(input.bytes);
    return {
      kind: 'messages',
      messages: [decodedMessage('message', summarize, value)],
    };
  } catch (error) {
    return { kind: 'error', error: failureReason(error) };
  }
}

export const protobufDecoder: DecoderDefinition = {
  id: 'protobuf',
  label: 'Protobuf (no schema)',
  create: () => ({ decode: (_direction, input) => decodeFrame(input) }),
};
