import { encode as encodeMsgpack } from '@msgpack/msgpack';
import { encode as encodeCbor } from 'cborg';
import { describe, expect, it } from 'vitest';
import type {
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
} from '../../../src/decoders/decoder';
import { wampCborDecoder, wampMsgpackDecoder } from '../../../src/decoders/wamp-binary';

const formats: [string, DecoderDefinition, (value: unknown) => Uint8Array][] = [
  ['MessagePack', wampMsgpackDecoder, (value) => encodeMsgpack(value)],
  ['CBOR', wampCborDecoder, (value) => encodeCbor(value)],
];
const messagesOf = (outcome: DecodeOutcome): DecodedMessage[] => {
  if (outcome.kind !== 'messages')
    throw new Error(`expected messages, got ${JSON.stringify(outcome)}`);
  return outcome.messages;
};
/** The `.batched` framing: each message after its length as four big-endian bytes. */
const batched = (...messages: Uint8Array[]) => {
  const parts = messages.flatMap((message) => {
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, message.length);
    return [length, message];
  });
  return new Uint8Array(Buffer.concat(parts));
};

describe.each(formats)('WAMP over %s', (_name, decoder, encode) => {
  it('names messages and joins a CALL with its RESULT', () => {
    const session = decoder.create();
    const hello = messagesOf(
      session.decode('sent', {
        kind: 'binary',
        bytes: encode([1, 'realm1', { roles: { caller: {} } }]),
      }),
    )[0]!;
    expect(hello).toMatchObject({ type: 'HELLO', summary: 'realm1' });
    const call = messagesOf(
      session.decode('sent', {
        kind: 'binary',
        bytes: encode([48, 2 ** 40, {}, 'com.add', [1, 2], { x: Uint8Array.of(1) }]),
      }),
    )[0]!;
    expect(call.type).toBe('CALL');
    expect(call.value).toMatchObject({ request: 2 ** 40, procedure: 'com.add', args: [1, 2] });
    expect((call.value as { kwargs: { x: unknown } }).kwargs.x).toEqual(Uint8Array.of(1));
    const result = messagesOf(
      session.decode('received', { kind: 'binary', bytes: encode([50, 2 ** 40, {}, [3]]) }),
    )[0]!;
    expect(result.type).toBe('RESULT');
    expect(result.correlation?.id).toBe(call.correlation?.id);
    expect(call.correlation?.role).toBe('request');
  });

  it('reads batched frames', () => {
    const bytes = batched(encode([36, 5, 6, {}, ['a']]), encode([36, 5, 7, {}, ['b']]));
    const messages = messagesOf(decoder.create().decode('received', { kind: 'binary', bytes }));
    expect(messages.map((message) => message.type)).toEqual(['EVENT', 'EVENT']);
  });

  it('refuses what is not a WAMP message, without throwing', () => {
    const session = decoder.create();
    const refuse = (bytes: Uint8Array) => session.decode('received', { kind: 'binary', bytes });
    expect(refuse(encode({ not: 'an array' }))).toEqual({
      kind: 'error',
      error: 'WAMP message is not an array',
    });
    expect(refuse(encode([9999]))).toMatchObject({ kind: 'error' });
    expect(refuse(new Uint8Array(0))).toEqual({ kind: 'error', error: 'empty frame' });
    expect(refuse(Uint8Array.of(0x00, 0x00, 0x00, 0x09, 0x01))).toMatchObject({ kind: 'error' });
    const whole = encode([48, 1, {}, 'com.add', [1, 2]]);
    for (let end = 1; end < whole.length; end++) {
      expect(refuse(whole.subarray(0, end)).kind).toBe('error');
    }
    expect(refuse(new Uint8Array([...whole, 0x01])).kind).toBe('error');
    expect(session.decode('sent', { kind: 'text', text: '[1,"realm"]' }).kind).toBe('error');
  });
});
