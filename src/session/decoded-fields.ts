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
  visitFields(message.value, 0, (kind, text) => {
    fields[kind === 'name' ? 'names' : 'topics'].push(text);
    return false;
  });
  return fields;
}

/**
 * Whether a message has a name (or a topic) the test accepts: the filter's form of
 * {@link decodedFields}, which stops at the first match and allocates nothing per message.
 */
export function someField(
  message: DecodedMessage,
  kind: 'name' | 'topic',
  test: (text: string) => boolean,
): boolean {
  return visitFields(message.value, 0, (found, text) => found === kind && test(text));
}

/** Calls `visit` with each name and topic found; stops and returns true when it returns true. */
function visitFields(
  value: unknown,
  depth: number,
  visit: (kind: 'name' | 'topic', text: string) => boolean,
): boolean {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (value instanceof Uint8Array || Array.isArray(value)) return false;
  // for…in, not Object.entries: a filter walks a million of these, and entries allocates a pair
  // per key. Decoded values are plain data; own keys only all the same.
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    if (typeof item === 'string') {
      if (NAME_KEYS.has(key)) {
        if (visit('name', item)) return true;
      } else if (TOPIC_KEYS.has(key)) {
        if (visit('topic', item)) return true;
      } else if (key === 'query') {
        const operation = OPERATION.exec(item.slice(0, 4096));
        if (operation && visit('name', operation[1]!)) return true;
      }
    } else if (visitFields(item, depth + 1, visit)) return true;
  }
  return false;
}
