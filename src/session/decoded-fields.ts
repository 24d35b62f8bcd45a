import type { DecodedMessage, DecodeOutcome } from '../decoders/decoder';

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

type FieldKind = 'name' | 'topic';

const NAME_KEYS = new Set(['event', 'method', 'target', 'operationName', 'procedure']);
const TOPIC_KEYS = new Set(['topic', 'destination', 'channel', 'namespace']);
/** Fields sit near the top of a message; deeper is payload, which the text filter searches. */
const MAX_DEPTH = 3;
const OPERATION = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** A message's names and topics, found anew at each call (see {@link FieldSets} for the kept form). */
export function decodedFields(message: DecodedMessage): DecodedFields {
  const fields: DecodedFields = { type: message.type, names: [], topics: [] };
  collectFields(message.value, 0, fields);
  return fields;
}

/**
 * Whether a message has a name (or a topic) the test accepts: the filter's form of
 * {@link decodedFields}, which stops at the first match and allocates nothing per message.
 */
export function someField(
  message: DecodedMessage,
  kind: FieldKind,
  test: (text: string) => boolean,
): boolean {
  return anyField(message.value, 0, kind, test);
}

/**
 * The fields of one frame's messages, shared by every frame whose messages have the same ones:
 * a million Socket.IO frames carry a handful of distinct (type, event, namespace) sets. A filter
 * tests each set once and then only looks each frame's set up, where walking every frame's
 * messages cost a chain of object reads per frame, most of them cache misses.
 */
export interface FieldSet {
  /** Dense, from 0, within its {@link FieldSets}: filters remember their answers by it. */
  readonly id: number;
  readonly owner: FieldSets;
  /** Per message, in order. */
  readonly messages: readonly DecodedFields[];
  /** Every message is a heartbeat (and there is at least one). */
  readonly heartbeatOnly: boolean;
}

/** An outcome as the panel keeps it on a frame: with its messages' fields, once known. */
export interface OutcomeWithFields {
  kind: 'messages';
  messages: DecodedMessage[];
  fields: FieldSet;
}

/** The interned fields of a kept outcome; undefined for outcomes without (see {@link FieldSets}). */
export function fieldSetOf(outcome: DecodeOutcome | undefined): FieldSet | undefined {
  return (outcome as Partial<OutcomeWithFields> | undefined)?.fields;
}

/** Sets kept at most: past it (a log of ever-new topics), frames are walked as before. */
const MAX_SETS = 1 << 16;
/** A frame whose fields run longer than this (in key characters) is walked, not interned. */
const MAX_KEY_LENGTH = 1024;
/** All keys together, in characters: bounds the table's memory whatever the traffic. */
const MAX_KEY_CHARS = 8 * 1024 * 1024;

/**
 * Interns the fields of decoded frames (one table per panel decoding, dropped with it). The key
 * spells every message's type, heartbeat flag, names and topics with their lengths, so two frames
 * share a set only when their fields are the same.
 */
export class FieldSets {
  private readonly byKey = new Map<string, FieldSet>();
  private keyChars = 0;

  get size(): number {
    return this.byKey.size;
  }

  /** The set for these messages, or undefined when they are not interned (too long, too many). */
  of(messages: readonly DecodedMessage[]): FieldSet | undefined {
    let key = '';
    for (const message of messages) {
      key += `${message.heartbeat === true ? 'h' : 'm'}${message.type.length}:${message.type}`;
      key = appendFields(message.value, 0, key);
      if (key.length > MAX_KEY_LENGTH) return undefined;
    }
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    if (this.byKey.size >= MAX_SETS || this.keyChars + key.length > MAX_KEY_CHARS) return undefined;
    const set: FieldSet = {
      id: this.byKey.size,
      owner: this,
      messages: messages.map(decodedFields),
      heartbeatOnly: messages.length > 0 && messages.every((message) => message.heartbeat === true),
    };
    this.byKey.set(key, set);
    this.keyChars += key.length;
    return set;
  }

  /** The outcome to keep on a frame: with its fields when they are interned. */
  keep(outcome: DecodeOutcome): DecodeOutcome {
    if (outcome.kind !== 'messages') return outcome;
    const fields = this.of(outcome.messages);
    if (fields === undefined) return outcome;
    const kept: OutcomeWithFields = { kind: 'messages', messages: outcome.messages, fields };
    return kept;
  }
}

/** What a key of a decoded value holds for filters: a name, a topic, a GraphQL query, or none. */
function roleOf(key: string): FieldKind | 'query' | undefined {
  if (NAME_KEYS.has(key)) return 'name';
  if (TOPIC_KEYS.has(key)) return 'topic';
  return key === 'query' ? 'query' : undefined;
}

/** A query text's operation name: the name it stands for. */
function operationName(query: string): string | undefined {
  return OPERATION.exec(query.slice(0, 4096))?.[1];
}

/**
 * The records a walk enters: plain objects (not arrays, not bytes) no deeper than
 * {@link MAX_DEPTH}. Walks use for…in, not Object.entries: entries allocates a pair per key.
 * Decoded values are plain data; own keys only all the same.
 */
function walkable(value: unknown, depth: number): value is Record<string, unknown> {
  return (
    depth <= MAX_DEPTH &&
    value !== null &&
    typeof value === 'object' &&
    !(value instanceof Uint8Array) &&
    !Array.isArray(value)
  );
}

/** Whether a name (or topic) the test accepts is found; stops at the first. */
function anyField(
  value: unknown,
  depth: number,
  kind: FieldKind,
  test: (text: string) => boolean,
): boolean {
  if (!walkable(value, depth)) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    if (typeof item === 'string') {
      const role = roleOf(key);
      if (role === kind) {
        if (test(item)) return true;
      } else if (role === 'query' && kind === 'name') {
        const name = operationName(item);
        if (name !== undefined && test(name)) return true;
      }
    } else if (anyField(item, depth + 1, kind, test)) return true;
  }
  return false;
}

function collectFields(value: unknown, depth: number, fields: DecodedFields): void {
  if (!walkable(value, depth)) return;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    if (typeof item === 'string') {
      const role = roleOf(key);
      if (role === 'name') fields.names.push(item);
      else if (role === 'topic') fields.topics.push(item);
      else if (role === 'query') {
        const name = operationName(item);
        if (name !== undefined) fields.names.push(name);
      }
    } else collectFields(item, depth + 1, fields);
  }
}

/** `key` with the value's names (`n`) and topics (`t`) added, each with its length; in order. */
function appendFields(value: unknown, depth: number, key: string): string {
  if (!walkable(value, depth)) return key;
  let out = key;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    const item = value[name];
    if (typeof item === 'string') {
      const role = roleOf(name);
      if (role === 'name' || role === 'topic') {
        out += `${role === 'name' ? 'n' : 't'}${item.length}:${item}`;
      } else if (role === 'query') {
        const operation = operationName(item);
        if (operation !== undefined) out += `n${operation.length}:${operation}`;
      }
    } else out = appendFields(item, depth + 1, out);
    // A huge value's fields stop early: the caller sees the length and does not intern.
    if (out.length > MAX_KEY_LENGTH) return out;
  }
  return out;
}
