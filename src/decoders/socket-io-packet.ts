import { isRecord, parseJson } from './json-frame';

/**
 * Socket.IO packets (protocol v4 of Socket.IO 2, v5 of Socket.IO 3+), as carried in Engine.IO
 * message packets: `<type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]`.
 */
export const SOCKET_IO_TYPES = [
  'CONNECT',
  'DISCONNECT',
  'EVENT',
  'ACK',
  'CONNECT_ERROR',
  'BINARY_EVENT',
  'BINARY_ACK',
] as const;

export interface SocketIoPacket {
  type: (typeof SOCKET_IO_TYPES)[number];
  namespace: string;
  /** Socket.IO 2 clients put the handshake query in the CONNECT packet's namespace. */
  query?: string;
  id?: number;
  /** How many binary frames follow (BINARY_EVENT and BINARY_ACK only). */
  attachments?: number;
  data?: unknown;
}

/** Real packets carry a handful of attachments; a huge count is a broken or hostile frame. */
const MAX_ATTACHMENTS = 1000;
/** Placeholders nested deeper than this stay as they are. */
const MAX_DEPTH = 64;

export function parseSocketIoPacket(text: string): SocketIoPacket | string {
  const type = SOCKET_IO_TYPES[Number(text[0])];
  if (type === undefined || !/^\d/.test(text)) return 'not a Socket.IO packet type';
  const packet: SocketIoPacket = { type, namespace: '/' };
  let i = 1;
  if (type === 'BINARY_EVENT' || type === 'BINARY_ACK') {
    const match = /^(\d{1,6})-/.exec(text.slice(1, 9));
    if (match === null) return 'binary packet without an attachment count';
    packet.attachments = Number(match[1]);
    if (packet.attachments > MAX_ATTACHMENTS) return `too many attachments (${packet.attachments})`;
    i += match[0].length;
  }
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? text.length : comma;
    const namespace = text.slice(i, end);
    const question = namespace.indexOf('?');
    packet.namespace = question < 0 ? namespace : namespace.slice(0, question);
    if (question >= 0) packet.query = namespace.slice(question + 1);
    i = comma < 0 ? end : end + 1;
  }
  const id = /^\d{1,15}/.exec(text.slice(i, i + 16));
  if (id !== null) {
    packet.id = Number(id[0]);
    i += id[0].length;
  }
  if (i < text.length) {
    const parsed = parseJson(text.slice(i));
    if (!parsed.ok) return parsed.error;
    packet.data = parsed.value;
  }
  return validate(packet) ?? packet;
}

/** The shapes Socket.IO's own decoder accepts; anything else is not Socket.IO. */
function validate(packet: SocketIoPacket): string | undefined {
  const { type, data } = packet;
  if (type === 'CONNECT' && data !== undefined && !isRecord(data))
    return 'CONNECT data is not an object';
  if (type === 'DISCONNECT' && data !== undefined) return 'DISCONNECT with data';
  if (type === 'EVENT' || type === 'BINARY_EVENT') {
    if (!Array.isArray(data) || (typeof data[0] !== 'string' && typeof data[0] !== 'number')) {
      return `${type} data is not [name, ...args]`;
    }
  }
  if ((type === 'ACK' || type === 'BINARY_ACK') && !Array.isArray(data))
    return `${type} data is not an array`;
  if ((type === 'ACK' || type === 'BINARY_ACK') && packet.id === undefined)
    return `${type} without an id`;
  return undefined;
}

/** Puts each attachment where its `{_placeholder: true, num}` stands, in place. */
export function fillPlaceholders(data: unknown, attachments: Uint8Array[]): unknown {
  const attachmentOf = (value: unknown): Uint8Array | undefined =>
    isRecord(value) && value._placeholder === true && typeof value.num === 'number'
      ? attachments[value.num]
      : undefined;
  const walk = (value: unknown, depth: number) => {
    if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return;
    const container = value as Record<string, unknown>;
    for (const key of Object.keys(container)) {
      const child = container[key];
      const attachment = attachmentOf(child);
      if (attachment !== undefined) container[key] = attachment;
      else walk(child, depth + 1);
    }
  };
  const top = attachmentOf(data);
  if (top !== undefined) return top;
  walk(data, 0);
  return data;
}
