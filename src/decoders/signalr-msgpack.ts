/**
 * SignalR's MessagePack hub protocol. A binary frame holds one or more messages, each a VarInt
 * length then a MessagePack array. Before them, each side sends a handshake: JSON ended by the
 * record separator 0x1E. The client sends its request as a text frame; the server answers in
 * binary, possibly followed by messages in the same frame.
 */

import { ByteCursor, fail, failureReason } from './byte-cursor';
import { utf8OrUndefined } from './bytes-text';
import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderInput,
  DecoderSession,
} from './decoder';
import { decodedMessage } from './message';
import { readMsgpack } from './msgpack';
import { describeHubMessage, type OpenStreams } from './signalr-msgpack-messages';
import { previewValue } from './value-preview';

const RECORD_SEPARATOR = 0x1e;
const OPEN_BRACE = 0x7b;

/** The length prefix: 7 bits a byte, low bits first, at most five bytes (2 GiB). */
function readLength(cursor: ByteCursor): number {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    const byte = cursor.u8('message length');
    length += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return length;
  }
  return fail('message length is longer than five bytes');
}

const handshakeSummary = (value: object) => previewValue(value);

function handshake(text: string): DecodedMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('handshake is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail('handshake is not an object');
  const isRequest = 'protocol' in value;
  const type = isRequest ? 'Handshake' : 'HandshakeResponse';
  return decodedMessage(type, handshakeSummary, value);
}

class SignalRMsgpackSession implements DecoderSession {
  /** Whether each side's handshake has gone by: until then a frame may start with JSON. */
  private readonly shaken = { sent: false, received: false };
  private readonly streams: OpenStreams = new Set();

  decode(direction: DecodeDirection, input: DecoderInput): DecodeOutcome {
    try {
      const messages =
        input.kind === 'text'
          ? this.handshakes(direction, input.text)
          : this.binary(direction, input.bytes);
      if (!messages.length) return { kind: 'error', error: 'empty frame' };
      return { kind: 'messages', messages };
    } catch (error) {
      return { kind: 'error', error: failureReason(error) };
    }
  }

  private handshakes(direction: DecodeDirection, text: string): DecodedMessage[] {
    const records = text.split('\u001e');
    if (records.pop() !== '') fail('text frame without the 0x1E record separator');
    this.shaken[direction] = true;
    return records.map(handshake);
  }

  private binary(direction: DecodeDirection, bytes: Uint8Array): DecodedMessage[] {
    const messages: DecodedMessage[] = [];
    let start = 0;
    if (!this.shaken[direction] && bytes[0] === OPEN_BRACE) {
      const end = bytes.indexOf(RECORD_SEPARATOR);
      // Without a separator, the brace is a message length of 123 after all.
      if (end >= 0) {
        const text = utf8OrUndefined(bytes.subarray(0, end));
        if (text === undefined) fail('handshake is not UTF-8');
        messages.push(handshake(text));
        start = end + 1;
      }
    }
    // A frame that starts otherwise means the handshake went by before decoding began.
    this.shaken[direction] = true;
    const cursor = new ByteCursor(bytes, start);
    while (cursor.remaining > 0) {
      const length = readLength(cursor);
      messages.push(this.message(cursor.split(length, `message ${messages.length + 1}`)));
    }
    if (messages.length && messages.every((message) => message.type === 'invalid')) {
      fail(messages[0]!.summary);
    }
    return messages;
  }

  /** One length-delimited message; a bad one spoils only itself, since its length was sound. */
  private message(body: ByteCursor): DecodedMessage {
    try {
      const item = readMsgpack(body);
      if (body.remaining > 0) fail(`${body.remaining} bytes after the message`);
      return describeHubMessage(item, this.streams);
    } catch (error) {
      const reason = failureReason(error);
      return decodedMessage('invalid', reason.slice(0, 200), { error: reason });
    }
  }
}

export const signalRMsgpackDecoder: DecoderDefinition = {
  id: 'signalr-msgpack',
  label: 'SignalR (MessagePack)',
  create: () => new SignalRMsgpackSession(),
};
