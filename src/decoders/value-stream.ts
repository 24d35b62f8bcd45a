/**
 * The session for self-describing binary formats (MessagePack, CBOR): a frame holds one value,
 * or several written back to back, and every value is a message of its own.
 */

import { ByteCursor, failureReason } from './byte-cursor';
import type { DecodedMessage, DecodeOutcome, DecoderInput, DecoderSession } from './decoder';
import { decodedMessage } from './message';
import { previewValue } from './value-preview';

/** The message type for a plain value: what the tree would show at its root. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/** Summaries are previews of the value (a plain function: see message.ts). */
const summarize = (value: unknown) => previewValue(value);

export function valueStreamSession(
  format: string,
  read: (cursor: ByteCursor) => unknown,
): DecoderSession {
  return { decode: (_direction, input) => decodeValues(format, read, input) };
}

function decodeValues(
  format: string,
  read: (cursor: ByteCursor) => unknown,
  input: DecoderInput,
): DecodeOutcome {
  if (input.kind !== 'binary') return { kind: 'error', error: `${format} comes in binary frames` };
  if (input.bytes.length === 0) return { kind: 'error', error: 'empty frame' };
  const cursor = new ByteCursor(input.bytes);
  const messages: DecodedMessage[] = [];
  let start = 0;
  try {
    while (cursor.remaining > 0) {
      start = cursor.offset;
      const value = read(cursor);
      messages.push(decodedMessage(kindOf(value), summarize, value));
    }
  } catch (error) {
    const where = messages.length ? `value ${messages.length + 1}, ` : '';
    return { kind: 'error', error: `${failureReason(error)} (${where}starting at byte ${start})` };
  }
  return { kind: 'messages', messages };
}
