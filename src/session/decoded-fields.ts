import type { DecodedMessage } from '../decoders/decoder';

/**
 * The fields a user filters decoded messages by, found in whatever shape each protocol's decoder
 * gives its value: a name (Socket.IO or Phoenix event, JSON-RPC method, SignalR target, GraphQL
 * operation, WAMP procedure) and a topic (MQTT topic, STOMP destination, Phoenix topic, Action
 * Cable channel, Socket.IO namespace).
 */
export interface DecodedFields {
  type: string;
  names: string[];
  topics: string[];
}

const NAME_KEYS = new Set(['event', 'method', 'target', 'operationName', 'procedure']);
const TOPIC_KEYS = new Set(['topic', 'destination', 'channel', 'namespace']);
/** Fields sit near the top of a message; deeper is payload, which the text filter searches. */
const MAX_DEPTH = 3;
const OPERATION = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * Found anew at each call: a WeakMap of a million messages would cost every garbage collection
 * more than walking a message's top levels costs a filter.
 */
export function decodedFields(message: DecodedMessage): DecodedFields {
  const fields: DecodedFields = { type: message.type, names: [], topics: [] };
  collect(message.value, 0, fields);
  return fields;
}

function collect(value: unknown, depth: number, fields: DecodedFields): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (value instanceof Uint8Array || Array.isArray(value)) return;
  // for…in, not Object.entries: a filter walks a million of these, and entries allocates a pair
  // per key. Decoded values are plain data; own keys only all the same.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    if (typeof item === 'string') {
      if (NAME_KEYS.has(key)) fields.names.push(item);
      else if (TOPIC_KEYS.has(key)) fields.topics.push(item);
      else if (key === 'query') {
        const operation = OPERATION.exec(item.slice(0, 4096));
        if (operation) fields.names.push(operation[1]!);
      }
    } else collect(item, depth + 1, fields);
  }
}
