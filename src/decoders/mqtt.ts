/**
 * MQTT 3.1.1 and 5.0 over WebSocket. Each direction's frames are one byte stream of packets, so
 * a frame may hold several packets or a piece of one. The protocol level comes from the CONNECT
 * the session has seen (3.1.1 until then), since 5.0 packets carry properties that earlier
 * levels lack. Replies join their request by packet id, scoped to the side that chose the id and
 * numbered again each time the id is reused, so a recycled id never joins an old exchange.
 */

import { failureReason } from './byte-cursor';
import type {
  Correlation,
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderInput,
  DecoderSession,
} from './decoder';
import { decodedMessage } from './message';
import type { MqttPacket } from './mqtt-connect';
import { PacketBuffer, type RawPacket } from './mqtt-framing';
import { PACKET_NAMES, parseMqttPacket } from './mqtt-packets';

const other = (direction: DecodeDirection): DecodeDirection =>
  direction === 'sent' ? 'received' : 'sent';

/** Who chose a packet's id, and the packet's place in the exchange. */
const EXCHANGE: Record<string, { chooser: 'self' | 'peer'; role: Correlation['role'] }> = {
  PUBLISH: { chooser: 'self', role: 'request' },
  PUBACK: { chooser: 'peer', role: 'reply' },
  PUBREC: { chooser: 'peer', role: 'reply' },
  PUBREL: { chooser: 'self', role: 'request' },
  PUBCOMP: { chooser: 'peer', role: 'end' },
  SUBSCRIBE: { chooser: 'self', role: 'request' },
  SUBACK: { chooser: 'peer', role: 'reply' },
  UNSUBSCRIBE: { chooser: 'self', role: 'request' },
  UNSUBACK: { chooser: 'peer', role: 'reply' },
};

class MqttSession implements DecoderSession {
  private level = 4;
  private readonly buffers = { sent: new PacketBuffer(), received: new PacketBuffer() };
  /** How many exchanges each (chooser, id) has started; ids are reused once an exchange ends. */
  private readonly rounds = new Map<string, number>();

  decode(direction: DecodeDirection, input: DecoderInput): DecodeOutcome {
    if (input.kind !== 'binary') return { kind: 'error', error: 'MQTT comes in binary frames' };
    const buffer = this.buffers[direction];
    if (input.bytes.length === 0 && buffer.buffered === 0) {
      return { kind: 'error', error: 'empty frame' };
    }
    buffer.push(input.bytes);
    const messages: DecodedMessage[] = [];
    let failures = 0;
    let firstFailure = '';
    for (;;) {
      let raw: RawPacket | undefined;
      try {
        raw = buffer.next();
      } catch (error) {
        // The stream cannot be cut into packets any more: start again with the next frame.
        buffer.clear();
        firstFailure ||= failureReason(error);
        failures++;
        messages.push(invalid(failureReason(error)));
        break;
      }
      if (!raw) break;
      const message = this.describe(direction, raw);
      if (message.type === 'invalid') {
        firstFailure ||= message.summary;
        failures++;
      }
      messages.push(message);
    }
    if (failures > 0 && failures === messages.length) return { kind: 'error', error: firstFailure };
    if (messages.length) return { kind: 'messages', messages };
    const awaited = buffer.awaitedSize;
    return {
      kind: 'partial',
      note: awaited
        ? `${buffer.buffered} of ${awaited} bytes of an MQTT packet`
        : 'the start of an MQTT packet header',
    };
  }

  private describe(direction: DecodeDirection, raw: RawPacket): DecodedMessage {
    const type = PACKET_NAMES[raw.type]!;
    let packet: MqttPacket;
    try {
      packet = parseMqttPacket(raw.type, raw.flags, raw.body, this.level);
    } catch (error) {
      // The packet's length was sound, so the packets after it can still be read.
      return invalid(`${type}: ${failureReason(error)}`);
    }
    if (packet.level !== undefined) this.level = packet.level;
    return decodedMessage(type, packet.summary, packet.value, {
      heartbeat: raw.type === 12 || raw.type === 13 ? true : undefined,
      correlation: this.correlate(direction, type, packet),
    });
  }

  private correlate(
    direction: DecodeDirection,
    type: string,
    packet: MqttPacket,
  ): Correlation | undefined {
    const exchange = EXCHANGE[type];
    if (!exchange || packet.packetId === undefined) return undefined;
    const chooser = exchange.chooser === 'self' ? direction : other(direction);
    const key = `${chooser}:${packet.packetId}`;
    let round = this.rounds.get(key) ?? 0;
    // A new PUBLISH, SUBSCRIBE or UNSUBSCRIBE starts an exchange; a DUP resend continues one.
    const starts = type !== 'PUBREL' && exchange.role === 'request' && packet.value.dup !== true;
    if (starts || round === 0) this.rounds.set(key, ++round);
    return { id: `mqtt ${key}#${round}`, role: exchange.role };
  }
}

function invalid(reason: string): DecodedMessage {
  return decodedMessage('invalid', reason.slice(0, 200), { error: reason });
}

export const mqttDecoder: DecoderDefinition = {
  id: 'mqtt',
  label: 'MQTT',
  create: () => new MqttSession(),
};
