import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../src/decoders/decoder';
import { detectDecoder } from '../../src/decoders/detect';
import { summaryPending } from '../../src/decoders/message';
import { ALL_DECODERS } from '../../src/decoders/registry';
import { decodedFields, fieldSetOf } from '../../src/session/decoded-fields';
import { decodedFieldTest, decodedOutcomeTest } from '../../src/session/decoded-filter';
import { compileFilter, EMPTY_FILTER } from '../../src/session/frame-filter';
import { ProtocolDecoding } from '../../src/session/protocol-decoding';
import type { Frame } from '../../src/session/session-model';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { binary, created, received, sequence, text } from './session-fixtures';

const decode = (id: string, direction: 'sent' | 'received', text: string) =>
  ALL_DECODERS.find((definition) => definition.id === id)!
    .create()
    .decode(direction, { kind: 'text', text });

function messagesOf(outcome: DecodeOutcome) {
  if (outcome.kind !== 'messages') throw new Error(`not decoded: ${JSON.stringify(outcome)}`);
  return outcome.messages;
}

describe('decoded fields', () => {
  it('finds names and topics in each protocol’s shape', () => {
    const [event] = messagesOf(decode('socket.io', 'sent', '42["chat",{"text":"hi"}]'));
    expect(decodedFields(event!)).toMatchObject({ type: 'EVENT', names: ['chat'], topics: ['/'] });
    const [stomp] = messagesOf(
      decode('stomp', 'received', 'MESSAGE\ndestination:/topic/prices\nsubscription:0\n\n{}\0'),
    );
    expect(decodedFields(stomp!).topics).toEqual(['/topic/prices']);
    const [subscribe] = messagesOf(
      decode(
        'graphql-transport-ws',
        'sent',
        '{"id":"1","type":"subscribe","payload":{"query":"subscription OnPrice { price }"}}',
      ),
    );
    expect(decodedFields(subscribe!).names).toEqual(['OnPrice']);
    const bytes = new Uint8Array(
      mqtt.generate({ cmd: 'publish', topic: 'sensors/1/temp', payload: '1', qos: 0 } as never),
    );
    const [publish] = messagesOf(
      ALL_DECODERS.find((definition) => definition.id === 'mqtt')!
        .create()
        .decode('received', { kind: 'binary', bytes }),
    );
    expect(decodedFieldTest('topic:sensors/+/temp', false)!(publish!)).toBe(true);
    expect(decodedFieldTest('topic:sensors/#', false)!(publish!)).toBe(true);
    expect(decodedFieldTest('topic:other/#', false)!(publish!)).toBe(false);
    expect(decodedFieldTest('type:publish', false)!(publish!)).toBe(true);
    expect(decodedFieldTest('type:publish', true)!(publish!)).toBe(false);
    expect(decodedFieldTest('plain text', false)).toBeUndefined();
  });
});

describe('the frame filter with decoders', () => {
  const frame = (text: string, index: number): Frame => ({
    index,
    connectionKey: 'd#1',
    kind: 'received',
    time: index,
    payload: { kind: 'text', text, size: text.length, originalSize: text.length },
  });
  const frames = [frame('2', 0), frame('42["chat","a"]', 1), frame('42["news","b"]', 2)];
  const decodedOf = (target: Frame) =>
    decode('socket.io', 'received', (target.payload as { text: string }).text);

  it('matches event:NAME on decoded frames, inverted too, and hides heartbeats', () => {
    const shown = (spec: Partial<typeof EMPTY_FILTER>) => {
      const { predicate } = compileFilter({ ...EMPTY_FILTER, ...spec }, decodedOf);
      return frames.filter(predicate!).map((item) => item.index);
    };
    expect(shown({ query: 'event:chat' })).toEqual([1]);
    expect(shown({ query: 'event:chat', invert: true })).toEqual([0, 2]);
    expect(shown({ hideHeartbeats: true })).toEqual([1, 2]);
    // Without decoders the same query is plain text.
    const { predicate } = compileFilter({ ...EMPTY_FILTER, query: 'event:chat' });
    expect(frames.filter(predicate!)).toEqual([]);
  });
});

describe('decoded fields interned by the panel’s decoding', () => {
  const SOCKET_IO = 'ws://page.test/socket.io/?EIO=4&transport=websocket';
  const MQTT = 'ws://page.test/mqtt';

  /** A store with one connection's frames and the panel's decoding of them, decoded ahead. */
  function decodedLog(url: string, payloads: Array<string | number[]>) {
    const store = new SessionStore();
    store.addDocument({ documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 });
    applyEvents(
      store,
      'd',
      sequence([
        created(1, url),
        ...payloads.map((payload, i) =>
          received(1, typeof payload === 'string' ? text(payload) : binary(payload), 2000 + i),
        ),
      ]),
    );
    const decoding = new ProtocolDecoding({
      definitions: ALL_DECODERS,
      detect: detectDecoder,
      chosenFor: (connection) => (connection.url === MQTT ? 'mqtt' : undefined),
    });
    const connectionOf = (key: string) => store.connections.get(key);
    while (decoding.decodeAhead(store.frames, connectionOf, () => 1)) {
      // Decodes every frame ahead, as the panel does in idle time.
    }
    const decodedOf = (frame: Frame) =>
      decoding.outcomeOf(frame, store.connections.get(frame.connectionKey)!, store.frames);
    return { store, decoding, decodedOf };
  }

  const payloads = Array.from({ length: 60 }, (_, i) =>
    i % 10 === 0
      ? '2'
      : `42${i % 3 === 0 ? '/admin,' : ''}${JSON.stringify([i % 7 === 0 ? 'chat' : 'price', { i }])}`,
  );

  it('gives frames with the same fields one shared set, and others their own', () => {
    const { store } = decodedLog(SOCKET_IO, payloads);
    const sets = store.frames.map((frame) => fieldSetOf(frame.decoded));
    expect(sets.every((set) => set !== undefined)).toBe(true);
    // ping; chat and price events in two namespaces: five sets for sixty frames.
    expect(new Set(sets).size).toBe(5);
    const chat = sets[7]!;
    expect(chat.messages).toEqual([{ type: 'EVENT', names: ['chat'], topics: ['/'] }]);
    expect(sets[14]).toBe(chat);
    expect(sets[0]!.heartbeatOnly).toBe(true);
    expect(chat.heartbeatOnly).toBe(false);
    // The kept outcome is the decoder's: same kind, same messages.
    expect(store.frames[7]!.decoded).toMatchObject({ kind: 'messages' });
    expect(fieldSetOf({ kind: 'messages', messages: [] })).toBeUndefined();
  });

  it('filters interned frames exactly as walking every message does', () => {
    const { store, decodedOf } = decodedLog(SOCKET_IO, payloads);
    const queries = [
      'event:chat',
      'event:pr*',
      'topic:/admin',
      'type:event',
      'type:ping',
      'name:x',
    ];
    for (const query of queries) {
      for (const invert of [false, true]) {
        const { predicate } = compileFilter({ ...EMPTY_FILTER, query, invert }, decodedOf);
        const test = decodedFieldTest(query, false)!;
        const walked = store.frames.filter((frame) => {
          const outcome = decodedOf(frame);
          const found = outcome?.kind === 'messages' && outcome.messages.some(test);
          return found !== invert;
        });
        expect(store.frames.filter(predicate!), `${query}${invert ? ' inverted' : ''}`).toEqual(
          walked,
        );
      }
    }
    const { predicate } = compileFilter({ ...EMPTY_FILTER, hideHeartbeats: true }, decodedOf);
    expect(store.frames.filter(predicate!).length).toBe(54);
  });

  it('answers from one decoding’s sets never carry over to another’s', () => {
    const socketIo = decodedLog(SOCKET_IO, ['42["chat",1]', '42["price",1]']);
    const broker = decodedLog(MQTT, [
      [...mqtt.generate({ cmd: 'publish', topic: 'a/b', payload: 'x' } as never)],
    ]);
    const test = decodedOutcomeTest('event:chat', false)!;
    const chat = socketIo.store.frames[0]!.decoded;
    const publish = broker.store.frames[0]!.decoded;
    // Both are the first set of their own table: the same id, different owners.
    expect(fieldSetOf(chat)!.id).toBe(fieldSetOf(publish)!.id);
    expect(test(chat)).toBe(true);
    expect(test(publish)).toBe(false);
    expect(test(chat)).toBe(true);
    expect(decodedOutcomeTest('topic:a/+', false)!(publish)).toBe(true);
  });

  it('walks frames whose fields are too long to intern, with the same answers', () => {
    const long = 'x'.repeat(2000);
    const { store, decodedOf } = decodedLog(SOCKET_IO, [`42["${long}"]`, '42["chat"]']);
    expect(fieldSetOf(store.frames[0]!.decoded)).toBeUndefined();
    expect(fieldSetOf(store.frames[1]!.decoded)).toBeDefined();
    const shown = (query: string) =>
      store.frames.filter(compileFilter({ ...EMPTY_FILTER, query }, decodedOf).predicate!);
    expect(shown(`event:${long}`)).toEqual([store.frames[0]]);
    expect(shown('event:chat')).toEqual([store.frames[1]]);
  });

  it('neither decoding ahead nor filtering writes a summary: rows write the ones they show', () => {
    const { store, decodedOf } = decodedLog(SOCKET_IO, payloads);
    const messages = store.frames.flatMap((frame) => messagesOf(frame.decoded!));
    const { predicate } = compileFilter({ ...EMPTY_FILTER, query: 'event:chat' }, decodedOf);
    store.frames.filter(predicate!);
    const events = messages.filter((message) => message.type === 'EVENT');
    expect(events.every(summaryPending)).toBe(true);
    expect(events[0]!.summary).toBe('price [{"i":1}]');
    expect(summaryPending(events[0]!)).toBe(false);
    expect(summaryPending(events[1]!)).toBe(true);
  });
});

describe('the frame filter on frames the panel decoded', () => {
  const frame = (text: string, index: number): Frame => ({
    index,
    connectionKey: 'd#1',
    kind: 'received',
    time: index,
    payload: { kind: 'text', text, size: text.length, originalSize: text.length },
  });

  it('reads a decoded frame’s kept outcome, and asks the decoding for the others', () => {
    const [kept, fresh, evicted] = [frame('42["chat"]', 0), frame('42["chat"]', 1), frame('', 2)];
    kept.decoded = decode('socket.io', 'received', '42["chat"]');
    // An evicted frame's outcome is forgotten by the decoding when it next looks: not read here.
    evicted.decoded = decode('socket.io', 'received', '42["chat"]');
    evicted.payloadEvicted = true;
    const asked: number[] = [];
    const decodedOf = (target: Frame) => {
      asked.push(target.index);
      return target === fresh ? decode('socket.io', 'received', '42["chat"]') : undefined;
    };
    const { predicate } = compileFilter({ ...EMPTY_FILTER, query: 'event:chat' }, decodedOf);
    expect([kept, fresh, evicted].filter(predicate!)).toEqual([kept, fresh]);
    expect(asked).toEqual([1, 2]);
  });
});
