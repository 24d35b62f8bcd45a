import { describe, expect, it } from 'vitest';
import { mqttDecoder } from '../../../src/decoders/mqtt';
import { bytesOf, concat, connect5, feed, messagesOf, one } from './mqtt-helpers';

describe('MQTT framing', () => {
  const stream = concat(
    bytesOf({ cmd: 'publish', topic: 'a', payload: 'x'.repeat(300), qos: 0 }),
    bytesOf({ cmd: 'pingreq' }),
    bytesOf({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 's', qos: 0 }] }),
    bytesOf({
      cmd: 'publish',
      topic: 'b',
      payload: Buffer.alloc(200_000, 1),
      qos: 1,
      messageId: 2,
    }),
  );

  it('reads several packets in one frame', () => {
    const messages = messagesOf(feed(mqttDecoder.create(), 'sent', stream));
    expect(messages.map((message) => message.type)).toEqual([
      'PUBLISH',
      'PINGREQ',
      'SUBSCRIBE',
      'PUBLISH',
    ]);
  });

  it('reads packets cut anywhere across frames, one byte a frame included', () => {
    for (const size of [1, 2, 7, 100, 4096]) {
      const session = mqttDecoder.create();
      const types: string[] = [];
      const others = new Set<string>();
      for (let at = 0; at < stream.length; at += size) {
        const outcome = feed(session, 'sent', stream.subarray(at, at + size));
        if (outcome.kind === 'messages')
          types.push(...outcome.messages.map((message) => message.type));
        else others.add(outcome.kind);
      }
      expect(types).toEqual(['PUBLISH', 'PINGREQ', 'SUBSCRIBE', 'PUBLISH']);
      expect([...others]).toEqual(['partial']);
    }
  });

  it('says how much of a split packet has come, and keeps directions apart', () => {
    const session = mqttDecoder.create();
    const big = bytesOf({ cmd: 'publish', topic: 't', payload: Buffer.alloc(1000), qos: 0 });
    expect(feed(session, 'sent', big.subarray(0, 1))).toEqual({
      kind: 'partial',
      note: 'the start of an MQTT packet header',
    });
    expect(feed(session, 'sent', big.subarray(1, 500))).toEqual({
      kind: 'partial',
      note: `500 of ${big.length} bytes of an MQTT packet`,
    });
    expect(one(session, 'received', bytesOf({ cmd: 'pingresp' })).type).toBe('PINGRESP');
    expect(one(session, 'sent', big.subarray(500)).type).toBe('PUBLISH');
  });

  it('waits for a packet as large as the specification allows without allocating it', () => {
    const session = mqttDecoder.create();
    const outcome = feed(session, 'sent', Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0x7f, 0x00));
    expect(outcome).toEqual({ kind: 'partial', note: '6 of 268435460 bytes of an MQTT packet' });
  });

  it('refuses what is not MQTT, and recovers at the next frame', () => {
    const session = mqttDecoder.create();
    expect(session.decode('sent', { kind: 'text', text: 'CONNECT' }).kind).toBe('error');
    expect(feed(session, 'sent', new Uint8Array(0))).toEqual({
      kind: 'error',
      error: 'empty frame',
    });
    const bad: [string, number[]][] = [
      ['remaining length is longer than four bytes', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01]],
      ['packet type 0 is reserved', [0x00, 0x00]],
      ['SUBSCRIBE: reserved flags 0', [0x80, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00]],
      ['PUBLISH: message QoS 3 does not exist', [0x36, 0x03, 0x00, 0x01, 0x61]],
      ['PUBLISH: topic: needs 16 bytes, only 1 left', [0x30, 0x03, 0x00, 0x10, 0x61]],
      ['PINGREQ: 1 unexpected bytes at the end', [0xc0, 0x01, 0x00]],
      [
        'CONNECT: unsupported protocol level 9',
        [0x10, 0x07, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x09],
      ],
    ];
    for (const [error, bytes] of bad) {
      expect(feed(session, 'sent', Uint8Array.from(bytes))).toEqual({ kind: 'error', error });
    }
    expect(one(session, 'sent', bytesOf({ cmd: 'pingreq' })).type).toBe('PINGREQ');
  });

  it('refuses unknown v5 properties, and keeps the good packets of a frame', () => {
    const session = mqttDecoder.create();
    feed(session, 'sent', connect5);
    const unknownProperty = Uint8Array.of(0x40, 0x06, 0x00, 0x01, 0x00, 0x02, 0x7f, 0x00);
    const outcome = feed(
      session,
      'received',
      concat(bytesOf({ cmd: 'pingresp' }), unknownProperty),
    );
    const messages = messagesOf(outcome);
    expect(messages.map((message) => message.type)).toEqual(['PINGRESP', 'invalid']);
    expect(messages[1]!.summary).toBe('PUBACK: unknown property 0x7f');
  });

  it('never throws on random bytes, and bounds summaries', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const session = mqttDecoder.create();
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        Math.floor(random() * 256),
      );
      const outcome = feed(session, i % 2 ? 'sent' : 'received', bytes);
      if (outcome.kind === 'messages') {
        for (const message of outcome.messages)
          expect(message.summary.length).toBeLessThanOrEqual(200);
      }
    }
  });
});
