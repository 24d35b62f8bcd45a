import type { DecodeOutcome } from '../decoders/decoder';

/** What a table row shows of a decoded frame, on one line. */
export interface DecodedLine {
  /** The protocol's short name, shown ahead of the message. */
  tag: string;
  text: string;
  /** The decoder could not read the frame: the row shows it raw, with this reason. */
  error?: string;
}

/** Short protocol names for the Data column, by decoder id (registry.ts). */
const TAGS: Record<string, string> = {
  'socket.io': 'Socket.IO',
  sockjs: 'SockJS',
  stomp: 'STOMP',
  'sockjs-stomp': 'STOMP',
  'signalr-json': 'SignalR',
  'signalr-msgpack': 'SignalR',
  'graphql-transport-ws': 'GraphQL',
  'subscriptions-transport-ws': 'GraphQL',
  'json-rpc': 'JSON-RPC',
  phoenix: 'Phoenix',
  'action-cable': 'ActionCable',
  'wamp-json': 'WAMP',
  'wamp-msgpack': 'WAMP',
  'wamp-cbor': 'WAMP',
  mqtt: 'MQTT',
  msgpack: 'MsgPack',
  cbor: 'CBOR',
  protobuf: 'Protobuf',
};

export function protocolTag(decoderId: string): string {
  return Object.hasOwn(TAGS, decoderId) ? TAGS[decoderId]! : decoderId;
}

/** One line for the Data column: each message's type and summary, `·` between messages. */
export function decodedLine(outcome: DecodeOutcome, decoderId: string): DecodedLine {
  const tag = protocolTag(decoderId);
  if (outcome.kind === 'error') return { tag, text: '', error: outcome.error };
  if (outcome.kind === 'partial') return { tag, text: `(${outcome.note})` };
  const parts = outcome.messages.map((message) =>
    message.summary ? `${message.type} ${message.summary}` : message.type,
  );
  return { tag, text: parts.join(' · ') };
}

const BYTES_SHOWN = 64;

/**
 * A decoded value as the JSON tree shows it: raw bytes become a short hex line (a tree of one
 * node per byte says nothing), everything else stays as it is.
 */
export function displayValue(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) {
    const hex = Array.from(value.subarray(0, BYTES_SHOWN), (byte) =>
      byte.toString(16).padStart(2, '0'),
    ).join(' ');
    return `<${value.length} bytes: ${hex}${value.length > BYTES_SHOWN ? ' …' : ''}>`;
  }
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => displayValue(item, depth + 1));
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, item] of Object.entries(value)) out[key] = displayValue(item, depth + 1);
  return out;
}
