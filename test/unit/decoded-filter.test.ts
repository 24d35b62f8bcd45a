import mqtt from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../src/decoders/decoder';
import { ALL_DECODERS } from '../../src/decoders/registry';
import { decodedFields } from '../../src/session/decoded-fields';
import { decodedFieldTest } from '../../src/session/decoded-filter';
import { compileFilter, EMPTY_FILTER } from '../../src/session/frame-filter';
import type { Frame } from '../../src/session/session-model';

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
