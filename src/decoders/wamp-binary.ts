/**
 * WAMP v2 over MessagePack (`wamp.2.msgpack`) and CBOR (`wamp.2.cbor`): a binary frame holds one
 * message array, which the shared WAMP message decoder then names and correlates. The
 * `.batched` variants put several messages in a frame, each after a 4-byte big-endian length;
 * such a frame starts with 0x00, which no array in either format does.
 */

import { ByteCursor, fail, failureReason } from './byte-cursor';
import { readCbor } from './cbor';
import type { DecodedMessage, DecodeOutcome, DecoderDefinition, DecoderSession } from './decoder';
import { readMsgpack } from './msgpack';
import { decodeWampMessage } from './wamp-json';

type Reader = (cursor: ByteCursor) => unknown;

/** Reads a value that must fill the cursor exactly and be an array. */
function readArray(cursor: ByteCursor, read: Reader): unknown[] {
  const value = read(cursor);
  if (cursor.remaining > 0) fail(`${cursor.remaining} bytes after the WAMP message`);
  return Array.isArray(value) ? value : fail('WAMP message is not an array');
}

function frameArrays(bytes: Uint8Array, read: Reader): unknown[][] {
  if (bytes[0] !== 0x00) return [readArray(new ByteCursor(bytes), read)];
  const arrays: unknown[][] = [];
  const cursor = new ByteCursor(bytes);
  while (cursor.remaining > 0) {
    const length = cursor.u32('batched message length');
    arrays.push(readArray(cursor.split(length, 'batched message'), read));
  }
  return arrays;
}

function wampSession(format: string, read: Reader): DecoderSession {
  return {
    decode(direction, input): DecodeOutcome {
      if (input.kind !== 'binary')
        return { kind: 'error', error: `${format} comes in binary frames` };
      if (input.bytes.length === 0) return { kind: 'error', error: 'empty frame' };
      let arrays: unknown[][];
      try {
        arrays = frameArrays(input.bytes, read);
      } catch (error) {
        return { kind: 'error', error: failureReason(error) };
      }
      const messages: DecodedMessage[] = [];
      for (const array of arrays) {
        const outcome = decodeWampMessage(array, direction);
        if (outcome.kind !== 'messages') return outcome;
        messages.push(...outcome.messages);
      }
      return { kind: 'messages', messages };
    },
  };
}

export const wampMsgpackDecoder: DecoderDefinition = {
  id: 'wamp-msgpack',
  label: 'WAMP (MessagePack)',
  create: () => wampSession('WAMP over MessagePack', readMsgpack),
};

export const wampCborDecoder: DecoderDefinition = {
  id: 'wamp-cbor',
  label: 'WAMP (CBOR)',
  create: () => wampSession('WAMP over CBOR', readCbor),
};
