import { describe, expect, it } from 'vitest';
import { mqttDecoder } from '../../../src/decoders/mqtt';
import { bytesOf, connect5, feed, one } from './mqtt-helpers';

describe('MQTT 5', () => {
  it('takes the protocol level from CONNECT and reads properties', () => {
    const session = mqttDecoder.create();
    const connect = one(
      session,
      'sent',
      bytesOf(
        {
          cmd: 'connect',
          protocolVersion: 5,
          clean: true,
          clientId: 'c1',
          keepalive: 30,
          properties: {
            sessionExpiryInterval: 60,
            receiveMaximum: 20,
            userProperties: { a: ['1', '2'] },
          },
          will: {
            topic: 'w',
            payload: Buffer.from('bye'),
            qos: 0,
            retain: false,
            properties: { willDelayInterval: 5 },
          },
        },
        5,
      ),
    );
    expect(connect.summary).toBe('"c1" v5.0 keepalive 30s clean start will w');
    expect(connect.value).toMatchObject({
      protocolVersion: 5,
      cleanStart: true,
      properties: {
        sessionExpiryInterval: 60,
        receiveMaximum: 20,
        userProperties: { a: ['1', '2'] },
      },
      will: { topic: 'w', payload: 'bye', properties: { willDelayInterval: 5 } },
    });
    const connack = one(
      session,
      'received',
      bytesOf(
        {
          cmd: 'connack',
          sessionPresent: true,
          reasonCode: 0,
          properties: { topicAliasMaximum: 10, assignedClientIdentifier: 'x' },
        },
        5,
      ),
    );
    expect(connack.summary).toBe('Success session present');
    expect(connack.value).toEqual({
      sessionPresent: true,
      reasonCode: 0,
      reason: 'Success',
      properties: { topicAliasMaximum: 10, assignedClientIdentifier: 'x' },
    });
  });

  it('reads PUBLISH properties, acks with reason codes, and subscription options', () => {
    const session = mqttDecoder.create();
    feed(session, 'sent', connect5);
    const publish = one(
      session,
      'sent',
      bytesOf(
        {
          cmd: 'publish',
          topic: '',
          payload: '42',
          qos: 1,
          messageId: 2,
          properties: {
            topicAlias: 3,
            contentType: 'application/json',
            correlationData: Buffer.from([1, 2]),
            userProperties: { k: 'v' },
            subscriptionIdentifier: [4, 500],
          },
        },
        5,
      ),
    );
    expect(publish.summary).toBe('alias 3 qos1 42');
    expect(publish.value).toEqual({
      topic: '',
      qos: 1,
      retain: false,
      dup: false,
      packetId: 2,
      properties: {
        topicAlias: 3,
        contentType: 'application/json',
        correlationData: Uint8Array.of(1, 2),
        userProperties: { k: 'v' },
        subscriptionIdentifier: [4, 500],
      },
      payload: 42,
    });
    const puback = one(
      session,
      'received',
      bytesOf({ cmd: 'puback', messageId: 2, reasonCode: 16 }, 5),
    );
    expect(puback.value).toEqual({
      packetId: 2,
      reasonCode: 16,
      reason: 'No matching subscribers',
    });
    expect(puback.correlation?.id).toBe(publish.correlation?.id);
    const failed = one(
      session,
      'received',
      bytesOf({ cmd: 'pubrec', messageId: 2, reasonCode: 0x97 }, 5),
    );
    expect(failed.summary).toBe('id 2 Quota exceeded');

    const subscribe = one(
      session,
      'sent',
      bytesOf(
        {
          cmd: 'subscribe',
          messageId: 5,
          subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 2 }],
          properties: { subscriptionIdentifier: 9 },
        },
        5,
      ),
    );
    expect(subscribe.value).toEqual({
      packetId: 5,
      properties: { subscriptionIdentifier: 9 },
      subscriptions: [
        { topic: 'a/#', qos: 1, noLocal: true, retainAsPublished: true, retainHandling: 2 },
      ],
    });
    const suback = one(
      session,
      'received',
      bytesOf(
        { cmd: 'suback', messageId: 5, granted: [0, 1, 0x87], properties: { reasonString: 'ok' } },
        5,
      ),
    );
    expect(suback.summary).toBe('id 5 Granted QoS 0, Granted QoS 1, Not authorized');
    const unsuback = one(
      session,
      'received',
      bytesOf({ cmd: 'unsuback', messageId: 6, granted: [0, 17] }, 5),
    );
    expect(unsuback.value).toEqual({
      packetId: 6,
      reasonCodes: [0, 17],
      reasons: ['Success', 'No subscription existed'],
    });
  });

  it('reads DISCONNECT and AUTH with reasons', () => {
    const session = mqttDecoder.create();
    feed(session, 'sent', connect5);
    const disconnect = one(
      session,
      'received',
      bytesOf({ cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'taken' } }, 5),
    );
    expect(disconnect.summary).toBe('Session taken over "taken"');
    const auth = one(
      session,
      'sent',
      bytesOf({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM' } }, 5),
    );
    expect(auth).toEqual({
      type: 'AUTH',
      summary: 'Continue authentication',
      value: {
        reasonCode: 0x18,
        reason: 'Continue authentication',
        properties: { authenticationMethod: 'SCRAM' },
      },
    });
    expect(one(session, 'sent', bytesOf({ cmd: 'disconnect' }, 5)).value).toEqual({
      reasonCode: 0,
      reason: 'Normal disconnection',
    });
    // A DISCONNECT may also be empty, meaning the same.
    expect(one(session, 'sent', Uint8Array.of(0xe0, 0x00)).value).toEqual({});
  });
});
