import { Encoder } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { detectDecoder } from '../../src/decoders/detect';
import { ALL_DECODERS } from '../../src/decoders/registry';
import { decodedLine } from '../../src/panel/decoded-display';
import { decodeAsFromStorage, decodeAsPattern, withDecodeAs } from '../../src/session/decode-as';
import { ProtocolDecoding } from '../../src/session/protocol-decoding';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, received, sent, sequence, text } from './session-fixtures';

const doc = { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 };
const SOCKET_IO = 'ws://page.test/socket.io/?EIO=4&transport=websocket';

/** Socket.IO packets as the real library encodes them, in Engine.IO message packets. */
function socketIo(packet: object): string {
  const [encoded] = new Encoder().encode(packet as never);
  return `4${encoded as string}`;
}

function session(frames: Array<['sent' | 'received', string]>, url = SOCKET_IO) {
  const store = new SessionStore();
  store.addDocument(doc);
  applyEvents(
    store,
    'd',
    sequence([
      created(1, url),
      created(2, 'ws://page.test/plain'),
      ...frames.flatMap(([direction, payload], i) => [
        direction === 'sent'
          ? sent(1, text(payload), 2000 + i)
          : received(1, text(payload), 2000 + i),
        // Another connection's frame between each: decoding follows one connection's order.
        received(2, text(`noise ${i}`), 2000 + i),
      ]),
    ]),
  );
  return store;
}

function decoding(choices: Record<string, string> = {}) {
  return new ProtocolDecoding({
    definitions: ALL_DECODERS,
    detect: detectDecoder,
    chosenFor: (connection) => choices[decodeAsPattern(connection.url)],
  });
}

describe('protocol decoding in the panel', () => {
  const frames: Array<['sent' | 'received', string]> = [
    ['received', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'],
    ['sent', socketIo({ type: 0, nsp: '/' })],
    ['sent', socketIo({ type: 2, nsp: '/', id: 7, data: ['chat', { text: 'hi' }] })],
    ['received', '2'],
    ['received', socketIo({ type: 3, nsp: '/', id: 7, data: ['ok'] })],
  ];

  it('detects the protocol and reads a frame with its connection’s earlier ones, lazily', () => {
    const store = session(frames);
    const reader = decoding();
    const connection = store.connections.get('d#1')!;
    expect(reader.choiceFor(connection, store.frames)).toEqual({
      id: 'socket.io',
      source: 'detected',
    });
    const event = store.frames.find(
      (frame) => frame.payload?.kind === 'text' && frame.payload.text.includes('chat'),
    )!;
    const outcome = reader.outcomeOf(event, connection, store.frames)!;
    expect(outcome.kind).toBe('messages');
    expect(decodedLine(outcome, 'socket.io').text).toContain('chat');
    // The plain connection has no decoder: its frames stay raw.
    const plain = store.connections.get('d#2')!;
    const noise = store.frames.find((frame) => frame.connectionKey === 'd#2')!;
    expect(reader.outcomeOf(noise, plain, store.frames)).toBeUndefined();
  });

  it('decodes ahead in log order while time is left, and goes on from there', () => {
    const many: Array<['sent' | 'received', string]> = [];
    for (let i = 0; i < 600; i++) {
      many.push(['received', socketIo({ type: 2, nsp: '/', data: ['tick', { i }] })]);
    }
    const store = session(many);
    const reader = decoding();
    const lookup = (key: string) => store.connections.get(key);
    const decoded = () => store.frames.filter((frame) => frame.decoded).length;
    // No time: nothing decoded, more to do.
    expect(reader.decodeAhead(store.frames, lookup, () => 0)).toBe(true);
    expect(decoded()).toBe(0);
    // Time for one look at the clock: one slice of the log, then it stops.
    let looks = 0;
    expect(reader.decodeAhead(store.frames, lookup, () => (looks++ === 0 ? 1 : 0))).toBe(true);
    const first = decoded();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(600);
    expect(reader.decodeAhead(store.frames, lookup, () => 1)).toBe(false);
    // Every Socket.IO frame, none of the plain connection's.
    expect(decoded()).toBe(600);
    const last = store.frames.filter((frame) => frame.connectionKey === 'd#1').at(-1)!;
    expect(last.decoded).toBe(reader.outcomeOf(last, store.connections.get('d#1')!, store.frames));
    expect(decodedLine(last.decoded!, 'socket.io').text).toContain('tick');
  });

  it('detects again only when a quiet connection has carried more frames', () => {
    const store = new SessionStore();
    store.addDocument(doc);
    applyEvents(
      store,
      'd',
      sequence([created(1, 'ws://page.test/quiet'), received(1, text('hello'), 2000)]),
    );
    let detections = 0;
    const reader = new ProtocolDecoding({
      definitions: ALL_DECODERS,
      detect: (connection) => {
        detections++;
        return detectDecoder(connection);
      },
      chosenFor: () => undefined,
    });
    const connection = store.connections.get('d#1')!;
    for (let i = 0; i < 5; i++) expect(reader.choiceFor(connection, store.frames).id).toBeNull();
    expect(detections).toBe(1);
    const connect = 'CONNECT\naccept-version:1.2\nhost:page.test\n\n\u0000';
    applyEvents(store, 'd', sequence([sent(1, text(connect), 2001)], store.cursorOf('d')));
    expect(reader.choiceFor(connection, store.frames).id).toBe('stomp');
    expect(detections).toBe(2);
  });

  it('pairs a request with its reply once the connection is decoded to its end', () => {
    const store = session(frames);
    const reader = decoding();
    const connection = store.connections.get('d#1')!;
    const request = store.frames.find(
      (frame) => frame.payload?.kind === 'text' && frame.payload.text.includes('chat'),
    )!;
    const outcome = reader.outcomeOf(request, connection, store.frames)!;
    reader.decodeAll(connection, store.frames);
    if (outcome.kind !== 'messages') throw new Error('not decoded');
    const exchange = reader.exchangeFor(outcome.messages[0]!)!;
    expect(exchange.request).toBe(request);
    expect(exchange.answers).toHaveLength(1);
    expect(exchange.answers[0]!.time).toBeGreaterThan(request.time);
  });

  it('says how long a reply took, names partners, and marks a request left unanswered', () => {
    const store = session([
      ...frames,
      ['sent', socketIo({ type: 2, nsp: '/', id: 8, data: ['lost'] })],
    ]);
    // Much later traffic on the connection: the request with id 8 never got its ack.
    applyEvents(store, 'd', sequence([received(1, text('2'), 60_000)], store.cursorOf('d')));
    const reader = decoding();
    const connection = store.connections.get('d#1')!;
    reader.decodeAll(connection, store.frames);
    const request = store.frames.find(
      (frame) => frame.payload?.kind === 'text' && frame.payload.text.includes('chat'),
    )!;
    const reply = reader.partnersOf(request)[0]!;
    expect(reader.pairingOf(reply, connection)).toEqual({
      role: 'reply',
      request,
      ms: reply.time - request.time,
    });
    expect(reader.pairingOf(request, connection)).toMatchObject({
      role: 'request',
      unanswered: false,
    });
    const lost = store.frames.find(
      (frame) => frame.payload?.kind === 'text' && frame.payload.text.includes('lost'),
    )!;
    expect(reader.pairingOf(lost, connection)).toEqual({ role: 'request', unanswered: true });
  });

  it('decodes again after a reset, with the choice made since', () => {
    const store = session(frames);
    const choices: Record<string, string> = {};
    const reader = decoding(choices);
    const connection = store.connections.get('d#1')!;
    const first = store.frames.find((frame) => frame.connectionKey === 'd#1')!;
    expect(reader.outcomeOf(first, connection, store.frames)?.kind).toBe('messages');
    choices[decodeAsPattern(SOCKET_IO)] = 'none';
    reader.reset();
    expect(reader.outcomeOf(first, connection, store.frames)).toBeUndefined();
  });

  it('reads frames raw, or with another decoder, as the user chooses, and says why a frame fails', () => {
    const store = session(frames);
    const connection = store.connections.get('d#1')!;
    expect(
      decoding({ [decodeAsPattern(SOCKET_IO)]: 'none' }).choiceFor(connection, store.frames),
    ).toEqual({
      id: null,
      source: 'chosen',
    });
    const asJsonRpc = decoding({ [decodeAsPattern(SOCKET_IO)]: 'json-rpc' });
    const first = store.frames.find((frame) => frame.connectionKey === 'd#1')!;
    const outcome = asJsonRpc.outcomeOf(first, connection, store.frames)!;
    expect(outcome.kind).toBe('error');
    expect(decodedLine(outcome, 'socket.io').error).toBeTruthy();
  });
});

describe('"Decode as" choices', () => {
  it('are kept per URL without its query, and refuse what storage should not hold', () => {
    let choices = decodeAsFromStorage({ 'ws://a/x': 'stomp', bad: 3, long: 'x'.repeat(100) });
    expect({ ...choices }).toEqual({ 'ws://a/x': 'stomp' });
    choices = withDecodeAs(choices, 'ws://b/y?token=1#f', 'mqtt');
    expect(choices['ws://b/y']).toBe('mqtt');
    choices = withDecodeAs(choices, 'ws://b/y?token=2', 'auto');
    expect(choices['ws://b/y']).toBeUndefined();
    expect(decodeAsFromStorage(['a'])).toEqual({});
  });
});
