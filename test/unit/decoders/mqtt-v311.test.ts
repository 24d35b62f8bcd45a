import { describe, expect, it } from 'vitest';
import { mqttDecoder } from '../../../src/decoders/mqtt';
import { bytesOf, one } from './mqtt-helpers';

describe('MQTT 3.1.1', () => {
  it('reads CONNECT with a will, a user name and a password, and CONNACK', () => {
    const session = mqttDecoder.create();
    const connect = one(
      session,
      'sent',
      bytesOf({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: 'client-1',
        keepalive: 60,
        will: { topic: 'status', payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
        username: 'ann',
        password: Buffer.from('secret'),
      }),
    );
    expect(connect).toEqual({
      type: 'CONNECT',
      summary: '"client-1" v3.1.1 keepalive 60s clean session will status',
      value: {
        protocolName: 'MQTT',
        protocolVersion: 4,
        cleanSession: true,
        keepAlive: 60,
        clientId: 'client-1',
        will: { qos: 1, retain: true, topic: 'status', payload: { online: false } },
        username: 'ann',
        password: 'secret',
      },
    });
    const connack = one(session, 'received', bytesOf({ cmd: 'connack', returnCode: 5 }));
    expect(connack.value).toEqual({
      sessionPresent: false,
      returnCode: 5,
      reason: 'not authorized',
    });
    expect(connack.summary).toBe('not authorized');
  });

  it('reads PUBLISH at every QoS, with the payload as JSON, text or bytes', () => {
    const session = mqttDecoder.create();
    const json = one(
      session,
      'sent',
      bytesOf({ cmd: 'publish', topic: '/topic/a', payload: '{"x":1}', qos: 1, messageId: 7 }),
    );
    expect(json.summary).toBe('/topic/a qos1 {"x":1}');
    expect(json.value).toEqual({
      topic: '/topic/a',
      qos: 1,
      retain: false,
      dup: false,
      packetId: 7,
      payload: { x: 1 },
    });
    const text = one(
      session,
      'received',
      bytesOf({ cmd: 'publish', topic: 't', payload: 'hello\nworld', retain: true, qos: 0 }),
    );
    expect(text.summary).toBe('t qos0 retain hello world');
    expect((text.value as { payload: unknown }).payload).toBe('hello\nworld');
    const raw = Buffer.from([0x00, 0xff, 0x10]);
    const binary = one(
      session,
      'received',
      bytesOf({ cmd: 'publish', topic: 'b', payload: raw, qos: 2, messageId: 9, dup: true }),
    );
    expect(binary.summary).toBe('b qos2 dup <3 bytes 00 ff 10>');
    expect((binary.value as { payload: unknown }).payload).toEqual(new Uint8Array(raw));
  });

  it('reads SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, pings and DISCONNECT', () => {
    const session = mqttDecoder.create();
    const subscriptions = [
      { topic: 'a/+', qos: 1 as const },
      { topic: 'b/#', qos: 0 as const },
    ];
    const subscribe = one(
      session,
      'sent',
      bytesOf({ cmd: 'subscribe', messageId: 3, subscriptions }),
    );
    expect(subscribe.summary).toBe('id 3 a/+ qos1, b/# qos0');
    expect(subscribe.value).toEqual({ packetId: 3, subscriptions });
    const suback = one(
      session,
      'received',
      bytesOf({ cmd: 'suback', messageId: 3, granted: [1, 128] }),
    );
    expect(suback.summary).toBe('id 3 Granted QoS 1, Failure');
    expect(subscribe.correlation?.role).toBe('request');
    expect(suback.correlation).toEqual({ id: subscribe.correlation?.id, role: 'reply' });
    const unsubscribe = one(
      session,
      'sent',
      bytesOf({ cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['a/+'] }),
    );
    expect(unsubscribe.value).toEqual({ packetId: 4, topics: ['a/+'] });
    const unsuback = one(session, 'received', bytesOf({ cmd: 'unsuback', messageId: 4 }));
    expect(unsuback).toMatchObject({ type: 'UNSUBACK', summary: 'id 4', value: { packetId: 4 } });
    expect(unsuback.correlation?.id).toBe(unsubscribe.correlation?.id);
    expect(one(session, 'sent', bytesOf({ cmd: 'pingreq' }))).toEqual({
      type: 'PINGREQ',
      summary: '',
      value: {},
      heartbeat: true,
    });
    expect(one(session, 'received', bytesOf({ cmd: 'pingresp' })).heartbeat).toBe(true);
    expect(one(session, 'sent', bytesOf({ cmd: 'disconnect' })).type).toBe('DISCONNECT');
  });

  it('joins QoS 1 and 2 exchanges by packet id and by the side that chose it', () => {
    const session = mqttDecoder.create();
    const sent = one(
      session,
      'sent',
      bytesOf({ cmd: 'publish', topic: 't', payload: 'a', qos: 2, messageId: 1 }),
    );
    const pubrec = one(session, 'received', bytesOf({ cmd: 'pubrec', messageId: 1 }));
    const pubrel = one(session, 'sent', bytesOf({ cmd: 'pubrel', messageId: 1 }));
    const pubcomp = one(session, 'received', bytesOf({ cmd: 'pubcomp', messageId: 1 }));
    expect(sent.correlation?.role).toBe('request');
    for (const reply of [pubrec, pubrel, pubcomp])
      expect(reply.correlation?.id).toBe(sent.correlation?.id);
    expect(pubcomp.correlation?.role).toBe('end');
    // The server numbers its own PUBLISHes: the same id is another exchange.
    const fromServer = one(
      session,
      'received',
      bytesOf({ cmd: 'publish', topic: 't', payload: 'b', qos: 1, messageId: 1 }),
    );
    const puback = one(session, 'sent', bytesOf({ cmd: 'puback', messageId: 1 }));
    expect(fromServer.correlation?.id).not.toBe(sent.correlation?.id);
    expect(puback.correlation).toEqual({ id: fromServer.correlation?.id, role: 'reply' });
    // An id used again after its exchange ended starts a new exchange.
    const again = one(
      session,
      'sent',
      bytesOf({ cmd: 'publish', topic: 't', payload: 'c', qos: 1, messageId: 1 }),
    );
    expect(again.correlation?.id).not.toBe(sent.correlation?.id);
    const resent = one(
      session,
      'sent',
      bytesOf({ cmd: 'publish', topic: 't', payload: 'c', qos: 1, messageId: 1, dup: true }),
    );
    expect(resent.correlation?.id).toBe(again.correlation?.id);
  });
});
