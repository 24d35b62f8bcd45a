import { describe, expect, it } from 'vitest';
import type { DecodedMessage, DecoderDefinition } from '../../../src/decoders/decoder';
import { decodedMessage, summaryPending } from '../../../src/decoders/message';
import { parseProtoFiles } from '../../../src/decoders/proto-schema';
import { protobufTypedDecoder } from '../../../src/decoders/protobuf-typed';
import { ALL_DECODERS } from '../../../src/decoders/registry';
import { FRAMES, TICK_PROTO } from './lazy-fixtures';

describe('decodedMessage', () => {
  it('writes the summary on first read only, once, and keeps it', () => {
    let calls = 0;
    const summarize = (value: { n: number }, type: string) => {
      calls++;
      return `${type} n=${value.n}`;
    };
    const message = decodedMessage('EVENT', summarize, { n: 1 });
    expect(calls).toBe(0);
    expect(summaryPending(message)).toBe(true);
    expect(message.summary).toBe('EVENT n=1');
    expect(message.summary).toBe('EVENT n=1');
    expect(calls).toBe(1);
    expect(summaryPending(message)).toBe(false);
  });

  it('reads, compares, spreads and serializes as the plain message it stands for', () => {
    const message = decodedMessage(
      'request',
      (value: { x: number }) => `x ${value.x}`,
      { x: 2 },
      {
        correlation: { id: '1', role: 'request' },
      },
    );
    const plain = { type: 'request', summary: 'x 2', value: { x: 2 } };
    const withCorrelation = { ...plain, correlation: { id: '1', role: 'request' } };
    expect(Object.keys(message)).toEqual(['type', 'summary', 'value', 'correlation']);
    expect(message).toEqual(withCorrelation);
    expect({ ...message }).toEqual(withCorrelation);
    expect(JSON.parse(JSON.stringify(message))).toEqual(withCorrelation);
    expect(structuredClone(message)).toEqual(withCorrelation);
    // Undefined extras are left off, as decoders left them off.
    const bare = decodedMessage('ping', '', null, { correlation: undefined, heartbeat: undefined });
    expect(Object.keys(bare)).toEqual(['type', 'summary', 'value']);
  });

  it('takes a summary already at hand, or a new one, as is', () => {
    const message = decodedMessage('open', 'ready', null);
    expect(summaryPending(message)).toBe(false);
    expect(message.summary).toBe('ready');
    message.summary = 'changed';
    expect(message.summary).toBe('changed');
  });

  it('shows why when a summary cannot be written, instead of throwing into the panel', () => {
    const message = decodedMessage(
      'x',
      () => {
        throw new Error('broken');
      },
      null,
    );
    expect(message.summary).toBe('(no summary: broken)');
  });
});

const SCHEMA = parseProtoFiles([
  {
    name: 'lazy.proto',
    text: TICK_PROTO,
  },
]);
const protobufSchema =
  'schema' in SCHEMA ? protobufTypedDecoder(SCHEMA.schema, { received: 'Tick' }) : undefined;

/** Every decoder, with the schema-read protobuf one (not in the registry: it needs a schema). */
const DECODERS: DecoderDefinition[] = [...ALL_DECODERS, protobufSchema!];
/** Decodes a decoder's frames in one session; `readAtOnce` reads each summary right away. */
function decodeAll(definition: DecoderDefinition, readAtOnce: boolean) {
  const session = definition.create();
  const messages: DecodedMessage[] = [];
  const summaries: string[] = [];
  for (const [direction, input] of FRAMES[definition.id]!) {
    const outcome = session.decode(direction, input);
    if (outcome.kind !== 'messages') continue;
    for (const message of outcome.messages) {
      messages.push(message);
      if (readAtOnce) summaries.push(`${message.type} ${message.summary}`);
    }
  }
  return { messages, summaries };
}

describe('summaries written when read', () => {
  it('has frames for every decoder', () => {
    expect(protobufSchema).toBeDefined();
    for (const definition of DECODERS) expect(FRAMES[definition.id]).toBeDefined();
  });

  it.each(
    DECODERS.map((definition) => [definition.id, definition] as const),
  )('%s: decoding leaves summaries unwritten where they cost, and a later read gives the same text', (_id, definition) => {
    const now = decodeAll(definition, true);
    const later = decodeAll(definition, false);
    expect(later.messages.length).toBe(now.messages.length);
    expect(later.messages.length).toBeGreaterThan(0);
    // Every decoder defers at least its busiest messages' summaries.
    expect(later.messages.some(summaryPending)).toBe(true);
    // Read after the whole sequence went by (state moved on), the summaries are the same as
    // read at once, and as plain data the messages are the same too.
    expect(later.messages.map((message) => `${message.type} ${message.summary}`)).toEqual(
      now.summaries,
    );
    expect(JSON.parse(JSON.stringify(later.messages))).toEqual(
      JSON.parse(JSON.stringify(now.messages)),
    );
    for (const message of later.messages) {
      expect(summaryPending(message)).toBe(false);
      expect(message.summary.length).toBeLessThanOrEqual(200);
    }
  });

  it('writes the summaries the decoders wrote before, for the common messages', () => {
    const summaries = (id: string) =>
      decodeAll(DECODERS.find((definition) => definition.id === id)!, false).messages.map(
        (message) => `${message.type} ${message.summary}`,
      );
    expect(summaries('socket.io')).toEqual([
      'open sid="abc" pingInterval=25000 pingTimeout=20000',
      'CONNECT ',
      'CONNECT {"sid":"x"}',
      'EVENT chat [{"text":"hi"}]',
      'ACK ["ok"]',
      'EVENT /admin news [1,2]',
      'CONNECT_ERROR not allowed',
      'ping ',
      'message plain text',
    ]);
    expect(summaries('mqtt')).toEqual([
      'CONNECT "c1" v3.1.1 keepalive 30s clean session',
      'CONNACK Connection Accepted',
      'PUBLISH a/b qos1 {"x":1}',
      'PUBACK id 1',
      'PUBLISH t qos0 hello world',
      'PUBLISH b qos0 <3 bytes 00 ff 10>',
      'SUBSCRIBE id 2 a/+ qos1',
      'PINGREQ ',
    ]);
    expect(summaries('stomp')).toEqual([
      'CONNECT host=h accept-version=1.2',
      'CONNECTED version=1.2',
      'SUBSCRIBE /topic/prices id=0',
      'MESSAGE /topic/prices subscription=0 {"p":1}',
      'heartbeat ',
    ]);
  });
});
