/**
 * Frames for each decoder, covering its kinds of messages in an order its protocol allows: the
 * lazy-summary tests decode them, and a scratch comparison ran them through the eager decoders.
 */
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import mqtt from 'mqtt-packet';
import type { DecodeDirection, DecoderInput } from '../../../src/decoders/decoder';

const text = (value: string): DecoderInput => ({ kind: 'text', text: value });
const binary = (value: ArrayLike<number>): DecoderInput => ({
  kind: 'binary',
  bytes: Uint8Array.from(value),
});

const json = (value: unknown) => text(JSON.stringify(value));
const frames = (...items: Array<[DecodeDirection, DecoderInput]>) => items;
const mqttBytes = (packet: object, protocolVersion = 4) =>
  binary(mqtt.generate(packet as never, { protocolVersion } as never));
/** A SignalR MessagePack message: its VarInt length (short here), then the array. */
const hubMessage = (value: unknown) => {
  const body = encodeMsgpack(value);
  return Uint8Array.from([body.length, ...body]);
};

/** Frames for each decoder, covering its kinds of messages, in an order its protocol allows. */
export const FRAMES: Record<string, Array<[DecodeDirection, DecoderInput]>> = {
  'action-cable': frames(
    ['received', json({ type: 'welcome' })],
    ['received', json({ type: 'ping', message: 1700000000 })],
    [
      'sent',
      json({ command: 'subscribe', identifier: JSON.stringify({ channel: 'Chat', room: '1' }) }),
    ],
    [
      'received',
      json({
        type: 'confirm_subscription',
        identifier: JSON.stringify({ channel: 'Chat', room: '1' }),
      }),
    ],
    [
      'sent',
      json({
        command: 'message',
        identifier: JSON.stringify({ channel: 'Chat', room: '1' }),
        data: JSON.stringify({ action: 'speak', text: 'hi' }),
      }),
    ],
    [
      'received',
      json({ identifier: JSON.stringify({ channel: 'Chat', room: '1' }), message: { body: 'x' } }),
    ],
    ['received', json({ type: 'disconnect', reason: 'unauthorized', reconnect: false })],
  ),
  cbor: frames(['received', binary(encodeCbor({ a: 1, b: [true, 'x'] }))]),
  'graphql-transport-ws': frames(
    ['sent', json({ type: 'connection_init' })],
    ['received', json({ type: 'connection_ack' })],
    [
      'sent',
      json({
        id: '1',
        type: 'subscribe',
        payload: { query: 'subscription OnPrice { price }', variables: { s: 'A' } },
      }),
    ],
    ['received', json({ id: '1', type: 'next', payload: { data: { price: 1 } } })],
    ['received', json({ id: '1', type: 'error', payload: [{ message: 'boom' }] })],
    ['received', json({ type: 'ping' })],
    ['sent', json({ id: '1', type: 'complete' })],
  ),
  'subscriptions-transport-ws': frames(
    ['sent', json({ type: 'connection_init', payload: {} })],
    ['received', json({ type: 'connection_ack' })],
    ['sent', json({ id: '1', type: 'start', payload: { query: 'query Q { a }' } })],
    ['received', json({ id: '1', type: 'data', payload: { data: { a: 1 } } })],
    ['received', json({ type: 'ka' })],
    ['sent', json({ id: '1', type: 'stop' })],
  ),
  'json-rpc': frames(
    ['sent', json({ jsonrpc: '2.0', id: 1, method: 'sum', params: [1, 2] })],
    ['received', json({ jsonrpc: '2.0', id: 1, result: 3 })],
    ['sent', json({ jsonrpc: '2.0', method: 'notify', params: { a: 1 } })],
    ['received', json({ jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'no method' } })],
    ['sent', json([{ jsonrpc: '2.0', id: 3, method: 'a' }, 7])],
  ),
  mqtt: frames(
    ['sent', mqttBytes({ cmd: 'connect', clientId: 'c1', keepalive: 30, clean: true })],
    ['received', mqttBytes({ cmd: 'connack', returnCode: 0, sessionPresent: false })],
    ['sent', mqttBytes({ cmd: 'publish', topic: 'a/b', payload: '{"x":1}', qos: 1, messageId: 1 })],
    ['received', mqttBytes({ cmd: 'puback', messageId: 1 })],
    ['sent', mqttBytes({ cmd: 'publish', topic: 't', payload: 'hello  world', qos: 0 })],
    ['sent', mqttBytes({ cmd: 'publish', topic: 'b', payload: Buffer.from([0, 255, 16]), qos: 0 })],
    [
      'sent',
      mqttBytes({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'a/+', qos: 1 }] }),
    ],
    ['sent', mqttBytes({ cmd: 'pingreq' })],
  ),
  msgpack: frames(['received', binary(encodeMsgpack({ a: 1, b: [true, 'x'] }))]),
  phoenix: frames(
    ['sent', json(['1', '1', 'room:lobby', 'phx_join', {}])],
    ['received', json(['1', '1', 'room:lobby', 'phx_reply', { status: 'ok', response: {} }])],
    [
      'received',
      json({ topic: 'room:lobby', event: 'new_msg', payload: { body: 'hi' }, ref: null }),
    ],
    ['sent', json([null, '2', 'phoenix', 'heartbeat', {}])],
  ),
  protobuf: frames(['received', binary([0x08, 0x96, 0x01, 0x12, 0x01, 0x61])]),
  'signalr-json': frames(
    ['sent', text('{"protocol":"json","version":1}\x1e')],
    ['received', text('{}\x1e')],
    ['sent', text('{"type":1,"invocationId":"1","target":"Send","arguments":["a",1]}\x1e')],
    ['received', text('{"type":3,"invocationId":"1","result":{"ok":true}}\x1e{"type":6}\x1e')],
    ['received', text('{"type":7,"error":"bye","allowReconnect":true}\x1e')],
  ),
  'signalr-msgpack': frames(
    ['sent', text('{"protocol":"messagepack","version":1}\x1e')],
    ['received', binary([...new TextEncoder().encode('{}\x1e'), ...hubMessage([6])])],
    ['sent', binary(hubMessage([1, {}, '1', 'Send', ['a', 1]]))],
    ['received', binary(hubMessage([2, {}, '1', { n: 1 }]))],
    ['received', binary(hubMessage([3, {}, '1', 3, 42]))],
    ['received', binary(hubMessage([7, 'Server shut down', true]))],
  ),
  'socket.io': frames(
    ['received', text('0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000}')],
    ['sent', text('40')],
    ['received', text('40{"sid":"x"}')],
    ['sent', text('421["chat",{"text":"hi"}]')],
    ['received', text('431["ok"]')],
    ['received', text('42/admin,["news",1,2]')],
    ['received', text('44{"message":"not allowed"}')],
    ['received', text('2')],
    ['received', text('4plain text')],
  ),
  sockjs: frames(
    ['received', text('o')],
    ['received', text('h')],
    ['received', text('a["hello","{\\"x\\":1}"]')],
    ['sent', text('["hi"]')],
    ['received', text('c[3000,"Go away!"]')],
  ),
  'sockjs-stomp': frames(
    ['received', text('o')],
    [
      'received',
      text(`a${JSON.stringify(['MESSAGE\ndestination:/topic/a\nsubscription:0\n\nbody\0'])}`),
    ],
    ['received', text(`a${JSON.stringify(['NOT STOMP\n\n\0'])}`)],
  ),
  stomp: frames(
    ['sent', text('CONNECT\naccept-version:1.2\nhost:h\n\n\0')],
    ['received', text('CONNECTED\nversion:1.2\n\n\0')],
    ['sent', text('SUBSCRIBE\nid:0\ndestination:/topic/prices\n\n\0')],
    [
      'received',
      text(
        'MESSAGE\ndestination:/topic/prices\nsubscription:0\ncontent-type:application/json\n\n{"p":1}\0',
      ),
    ],
    ['received', text('\n')],
  ),
  'wamp-cbor': frames(['received', binary(encodeCbor([36, 5, 6, {}, ['a']]))]),
  'wamp-json': frames(
    ['sent', json([1, 'realm1', {}])],
    ['received', json([2, 9129137332, { roles: {} }])],
    ['sent', json([48, 1, {}, 'com.add', [1, 2]])],
    ['received', json([50, 1, {}, [3]])],
    ['received', json([36, 5, 6, { topic: 'com.news' }, ['a'], { k: 1 }])],
    ['sent', json([32, 2, {}, 'com.news'])],
  ),
  'wamp-msgpack': frames(['received', binary(encodeMsgpack([16, 1, {}, 'com.news', ['x']]))]),
};

FRAMES['protobuf-schema'] = frames([
  'received',
  binary([0x0a, 0x04, 0x41, 0x43, 0x4d, 0x45, 0x10, 0x2a]),
]);

/** The schema the `protobuf-schema` frames are read with (message type `Tick`). */
export const TICK_PROTO = 'syntax = "proto3"; message Tick { string symbol = 1; int32 price = 2; }';
