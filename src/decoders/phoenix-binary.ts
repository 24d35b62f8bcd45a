/**
 * Phoenix's binary frames (Phoenix 1.6+ sends ArrayBuffer payloads this way). A kind byte, one
 * length byte per text field, the fields, then the raw payload. The client's pushes name a ref;
 * the server's pushes do not, so a push's layout depends on who sent it.
 */
import type { DecodeDirection } from './decoder';

export interface PhoenixMessage {
  joinRef: unknown;
  ref: unknown;
  topic: unknown;
  event: unknown;
  payload: unknown;
}

const PUSH = 0;
const REPLY = 1;
const BROADCAST = 2;

const utf8 = new TextDecoder();

export function decodePhoenixBinary(
  direction: DecodeDirection,
  bytes: Uint8Array,
): PhoenixMessage | string {
  const kind = bytes[0];
  const fieldCount =
    kind === PUSH
      ? direction === 'sent'
        ? 4
        : 3
      : kind === REPLY
        ? 4
        : kind === BROADCAST
          ? 2
          : 0;
  if (fieldCount === 0) return `unknown Phoenix binary kind ${kind ?? 'none'}`;
  if (bytes.length < 1 + fieldCount) return 'Phoenix binary header is cut short';
  const fields: string[] = [];
  let offset = 1 + fieldCount;
  for (let i = 0; i < fieldCount; i++) {
    const size = bytes[1 + i]!;
    if (offset + size > bytes.length) return 'Phoenix binary field runs past the frame';
    fields.push(utf8.decode(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  const payload = bytes.slice(offset);
  if (kind === BROADCAST) {
    return { joinRef: null, ref: null, topic: fields[0], event: fields[1], payload };
  }
  if (kind === REPLY) {
    const [joinRef, ref, topic, status] = fields;
    return { joinRef, ref, topic, event: 'phx_reply', payload: { status, response: payload } };
  }
  if (direction === 'sent') {
    const [joinRef, ref, topic, event] = fields;
    return { joinRef, ref, topic, event, payload };
  }
  return { joinRef: fields[0], ref: null, topic: fields[1], event: fields[2], payload };
}
