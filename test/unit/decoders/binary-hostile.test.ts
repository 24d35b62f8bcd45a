import { MessageType } from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { cborDecoder } from '../../../src/decoders/cbor';
import type { DecodeOutcome, DecoderDefinition } from '../../../src/decoders/decoder';
import { mqttDecoder } from '../../../src/decoders/mqtt';
import { msgpackDecoder } from '../../../src/decoders/msgpack';
import { protobufDecoder } from '../../../src/decoders/protobuf-wire';
import { signalRMsgpackDecoder } from '../../../src/decoders/signalr-msgpack';
import { wampCborDecoder, wampMsgpackDecoder } from '../../../src/decoders/wamp-binary';

const hubProtocol = new MessagePackHubProtocol();

/** A record of the kind apps send: ids, names, numbers, flags, a nested list. */
const record = (i: number) => ({
  id: i,
  name: `user ${i}`,
  score: i * 1.5,
  active: i % 2 === 0,
  tags: ['a', 'b'],
});
const records = (count: number) => Array.from({ length: count }, (_, i) => record(i));

/** A 64 KiB protobuf message: repeated nested messages with a string, a varint and a double. */
function protobufFrame(): Uint8Array {
  const out: number[] = [];
  const inner = (i: number) => {
    const name = [...new TextEncoder().encode(`user ${i}`)];
    const double = [...new Uint8Array(new Float64Array([i * 1.5]).buffer)];
    return [0x0a, name.length, ...name, 0x10, i & 0x7f, 0x19, ...double];
  };
  for (let i = 0; out.length < 65536 - 32; i++) {
    const body = inner(i);
    out.push(0x0a, body.length, ...body);
  }
  return Uint8Array.from(out);
}

/** Each decoder with a realistic frame of about 64 KiB. */
const cases: [DecoderDefinition, Uint8Array][] = [
  [msgpackDecoder, encodeMsgpack(records(1300))],
  [cborDecoder, encodeCbor(records(1300))],
  [protobufDecoder, protobufFrame()],
  [
    mqttDecoder,
    new Uint8Array(
      generate({
        cmd: 'publish',
        topic: 'data/records',
        payload: JSON.stringify(records(900)),
        qos: 0,
        dup: false,
        retain: false,
      }),
    ),
  ],
  [
    signalRMsgpackDecoder,
    new Uint8Array(
      hubProtocol.writeMessage({
        type: MessageType.Invocation,
        target: 'Update',
        arguments: records(1300),
        headers: {},
      }),
    ),
  ],
  [wampMsgpackDecoder, encodeMsgpack([36, 1, 2, {}, records(1300)])],
  [wampCborDecoder, encodeCbor([36, 1, 2, {}, records(1300)])],
];

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function checkOutcome(outcome: DecodeOutcome): void {
  expect(['messages', 'partial', 'error']).toContain(outcome.kind);
  if (outcome.kind === 'messages') {
    for (const message of outcome.messages) expect(message.summary.length).toBeLessThanOrEqual(200);
  }
}

describe.each(cases)('$id against hostile input', (decoder, sample) => {
  it('never throws on random bytes or on a sample with bytes changed', () => {
    const next = random(decoder.id.length);
    const session = decoder.create();
    for (let i = 0; i < 1500; i++) {
      const bytes = Uint8Array.from({ length: Math.floor(next() * 64) }, () =>
        Math.floor(next() * 256),
      );
      checkOutcome(session.decode(i % 2 ? 'sent' : 'received', { kind: 'binary', bytes }));
    }
    const head = sample.subarray(0, 600);
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(head);
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      }
      checkOutcome(decoder.create().decode('received', { kind: 'binary', bytes }));
    }
  });

  // Its speed is a benchmark figure (npm run bench), not a test: this checks it decodes whole.
  it('decodes a 64 KiB frame whole', () => {
    expect(sample.length).toBeGreaterThan(60_000);
    expect(sample.length).toBeLessThan(70_000);
    const outcome = decoder.create().decode('received', { kind: 'binary', bytes: sample });
    expect(outcome.kind).toBe('messages');
  });
});
