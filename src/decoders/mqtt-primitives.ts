/** The field encodings MQTT packets are made of (MQTT 5, section 1.5; 3.1.1 uses a subset). */

import { type ByteCursor, fail } from './byte-cursor';
import { utf8Lenient } from './bytes-text';

/** Variable Byte Integer: at most four bytes, so at most 268 435 455 (256 MiB). */
export function readVarInt(cursor: ByteCursor, what: string): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 4; i++) {
    const byte = cursor.u8(what);
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return value;
    multiplier *= 128;
  }
  return fail(`${what} is longer than four bytes`);
}

/** A UTF-8 string with a two-byte length. */
export function readString(cursor: ByteCursor, what: string): string {
  return utf8Lenient(cursor.take(cursor.u16(`${what} length`), what));
}

/** Binary data with a two-byte length, copied out of the frame. */
export function readBinary(cursor: ByteCursor, what: string): Uint8Array {
  return cursor.copy(cursor.u16(`${what} length`), what);
}

/** Fails when a packet has bytes its layout does not account for. */
export function expectEnd(cursor: ByteCursor): void {
  if (cursor.remaining > 0) fail(`${cursor.remaining} unexpected bytes at the end`);
}

export function qosOf(value: number, what: string): number {
  return value === 3 ? fail(`${what} QoS 3 does not exist`) : value;
}
