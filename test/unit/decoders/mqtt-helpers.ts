/** Shared by the MQTT tests: packets made by mqtt-packet, fed to a decoder session. */
import { generate, type Packet } from 'mqtt-packet';
import { expect } from 'vitest';
import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderSession,
} from '../../../src/decoders/decoder';

/** A packet as mqtt-packet takes it; its types ask for fields that its generator defaults. */
type LoosePacket = { cmd: Packet['cmd'] } & Record<string, unknown>;

export const bytesOf = (packet: LoosePacket, protocolVersion = 4) =>
  new Uint8Array(generate(packet as unknown as Packet, { protocolVersion }));

export const feed = (session: DecoderSession, direction: DecodeDirection, bytes: Uint8Array) =>
  session.decode(direction, { kind: 'binary', bytes });

export const messagesOf = (outcome: DecodeOutcome): DecodedMessage[] => {
  if (outcome.kind !== 'messages')
    throw new Error(`expected messages, got ${JSON.stringify(outcome)}`);
  return outcome.messages;
};

/** The one message a frame holds. */
export const one = (session: DecoderSession, direction: DecodeDirection, bytes: Uint8Array) => {
  const messages = messagesOf(feed(session, direction, bytes));
  expect(messages).toHaveLength(1);
  return messages[0]!;
};

export const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** A CONNECT that makes the session read MQTT 5. */
export const connect5 = bytesOf(
  { cmd: 'connect', protocolVersion: 5, clientId: 'c5', keepalive: 10 },
  5,
);
