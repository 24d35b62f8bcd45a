import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderInput,
} from './decoder';
import { guardedSession, keyFrom, opposite } from './guarded-session';
import { isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';
import { fillPlaceholders, parseSocketIoPacket, type SocketIoPacket } from './socket-io-packet';

/**
 * Engine.IO v3/v4 packets over WebSocket, and the Socket.IO packets inside their messages. A
 * binary event arrives as its text packet, then one binary frame per attachment, in the same
 * direction: the text waits, per direction, until its attachments are in.
 *
 * Engine.IO v3 prefixes binary frames with the message type byte 4; v4 sends them raw. The
 * version shows in the traffic (v4's handshake has maxPayload, its server pings, its Socket.IO
 * server answers CONNECT with a sid); until then a leading 4 is taken for v3's prefix.
 */
const ENGINE_IO_TYPES = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

interface Pending {
  packet: SocketIoPacket;
  attachments: Uint8Array[];
}

class EngineIoState {
  private version: 3 | 4 | undefined;
  private readonly pending: Record<DecodeDirection, Pending | undefined> = {
    sent: undefined,
    received: undefined,
  };

  decode(direction: DecodeDirection, input: DecoderInput): DecodeOutcome {
    if (input.kind === 'binary') {
      const v3 = this.version === 3 || (this.version === undefined && input.bytes[0] === 4);
      if (v3 && input.bytes[0] !== 4)
        return { kind: 'error', error: 'Engine.IO v3 binary frame without its 4 prefix' };
      return this.binary(direction, v3 ? input.bytes.subarray(1) : input.bytes);
    }
    const text = input.text;
    if (text.startsWith('b')) return this.binary(direction, base64Bytes(text.slice(1)));
    // A text packet in the middle of attachments means they will not come.
    this.pending[direction] = undefined;
    const type = ENGINE_IO_TYPES[Number(text[0])];
    if (type === undefined || !/^\d/.test(text))
      return { kind: 'error', error: 'not an Engine.IO packet type' };
    const data = text.slice(1);
    if (type === 'message') return this.message(direction, data);
    if (type === 'open') return this.open(data);
    if (type === 'ping' || type === 'pong') {
      if (data !== 'probe') this.noteHeartbeat(direction, type);
      return one(decodedMessage(type, textSummary, data, { heartbeat: true }));
    }
    return one(decodedMessage(type, textSummary, data));
  }

  private open(data: string): DecodeOutcome {
    const parsed = parseJson(data);
    if (!parsed.ok || !isRecord(parsed.value))
      return { kind: 'error', error: 'open packet without a JSON handshake' };
    const handshake = parsed.value;
    if ('maxPayload' in handshake) this.version = 4;
    return one(decodedMessage('open', openSummary, handshake));
  }

  /** v3 clients ping and servers answer; v4 servers ping and clients answer. */
  private noteHeartbeat(direction: DecodeDirection, type: string) {
    const serverPings = (direction === 'received') === (type === 'ping');
    this.version ??= serverPings ? 4 : 3;
  }

  private message(direction: DecodeDirection, data: string): DecodeOutcome {
    const packet = parseSocketIoPacket(data);
    // Engine.IO carries any text: what is not Socket.IO is a plain message.
    if (typeof packet === 'string') return one(decodedMessage('message', textSummary, data));
    if (packet.type === 'CONNECT' && direction === 'received' && packet.namespace === '/') {
      this.version ??= isRecord(packet.data) && 'sid' in packet.data ? 4 : 3;
    }
    const count = packet.attachments ?? 0;
    if (count > 0) {
      this.pending[direction] = { packet, attachments: [] };
      return {
        kind: 'partial',
        note: `${packet.type} waiting for ${count} attachment${count === 1 ? '' : 's'}`,
      };
    }
    return one(describe(direction, packet));
  }

  private binary(direction: DecodeDirection, bytes: Uint8Array): DecodeOutcome {
    const pending = this.pending[direction];
    if (pending === undefined)
      return one(decodedMessage('message', `<${bytes.length} bytes>`, bytes.slice()));
    pending.attachments.push(bytes.slice());
    const expected = pending.packet.attachments ?? 0;
    if (pending.attachments.length < expected) {
      return { kind: 'partial', note: `attachment ${pending.attachments.length} of ${expected}` };
    }
    this.pending[direction] = undefined;
    const packet = {
      ...pending.packet,
      data: fillPlaceholders(pending.packet.data, pending.attachments),
    };
    return one(describe(direction, packet));
  }
}

/** What a Socket.IO packet's value holds (and its summary reads). */
interface PacketValue {
  namespace: string;
  query?: string;
  id?: number;
  attachments?: number;
  event?: unknown;
  args?: unknown;
  data?: unknown;
}

function describe(direction: DecodeDirection, packet: SocketIoPacket): DecodedMessage {
  const value: PacketValue = { namespace: packet.namespace };
  if (packet.query !== undefined) value.query = packet.query;
  if (packet.id !== undefined) value.id = packet.id;
  if (packet.attachments !== undefined) value.attachments = packet.attachments;
  const ackKey = (origin: DecodeDirection) => keyFrom(origin, `${packet.namespace}#${packet.id}`);
  const data = packet.data;
  if ((packet.type === 'EVENT' || packet.type === 'BINARY_EVENT') && Array.isArray(data)) {
    const [event, ...args] = data;
    value.event = event;
    value.args = args;
    const correlation =
      packet.id === undefined ? undefined : { id: ackKey(direction), role: 'request' as const };
    return decodedMessage(packet.type, eventSummary, value, { correlation });
  }
  if (packet.type === 'ACK' || packet.type === 'BINARY_ACK') {
    value.args = data;
    return decodedMessage(packet.type, ackSummary, value, {
      correlation: { id: ackKey(opposite(direction)), role: 'reply' },
    });
  }
  if (data !== undefined) value.data = data;
  return decodedMessage(packet.type, packetSummary, value);
}

/** The namespace as a summary names it: not at all when it is the main one. */
function namespaceOf({ namespace }: PacketValue): string | undefined {
  return namespace === '/' ? undefined : clip(namespace, 60);
}

function eventSummary(value: PacketValue): string {
  return summaryOf(namespaceOf(value), clip(String(value.event), 80), preview(value.args));
}

function ackSummary(value: PacketValue): string {
  return summaryOf(namespaceOf(value), preview(value.args));
}

/** CONNECT, DISCONNECT, CONNECT_ERROR: the error's message, else the data. */
function packetSummary(value: PacketValue): string {
  const { data } = value;
  const reason =
    isRecord(data) && typeof data.message === 'string' ? clip(data.message) : undefined;
  return summaryOf(namespaceOf(value), reason ?? (data === undefined ? undefined : preview(data)));
}

/** Engine.IO packets other than Socket.IO's carry text: its start. */
const textSummary = (text: string) => clip(text);

function openSummary(handshake: Record<string, unknown>): string {
  return summaryOf(
    ...['sid', 'pingInterval', 'pingTimeout', 'maxPayload']
      .filter((name) => handshake[name] !== undefined)
      .map((name) => `${name}=${preview(handshake[name], 60)}`),
  );
}

function one(message: DecodedMessage): DecodeOutcome {
  return { kind: 'messages', messages: [message] };
}

/** Engine.IO v4 sends binary as `b` + base64 to peers that cannot take binary frames. */
function base64Bytes(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export const socketIoDecoder: DecoderDefinition = {
  id: 'socket.io',
  label: 'Socket.IO / Engine.IO',
  create: () => {
    const state = new EngineIoState();
    return guardedSession((direction, input) => state.decode(direction, input));
  },
};
