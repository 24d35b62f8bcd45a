import { decode, Encoder, ExtData, encode, encodeTimeSpecToTimestamp } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../src/decoders/byte-cursor';
import type { DecodeOutcome } from '../../../src/decoders/decoder';
import { msgpackDecoder, readMsgpack } from '../../../src/decoders/msgpack';

const binary = (bytes: Uint8Array) => ({ kind: 'binary' as const, bytes });
const decodeFrame = (bytes: Uint8Array): DecodeOutcome =>
  msgpackDecoder.create().decode('received', binary(bytes));
const read = (bytes: Uint8Array) => readMsgpack(new ByteCursor(bytes));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

describe('MessagePack reader', () => {
  it('reads every format the reference encoder writes as the reference decoder does', () => {
    const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
    const values: unknown[] = [
      0,
      127,
      -1,
      -32,
      -33,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      0.5,
      -1.25e300,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      true,
      false,
      '',
      'x'.repeat(31),
      'y'.repeat(32),
      'z'.repeat(256),
      'w'.repeat(70000),
      'héllo wörld ✓ 😀',
      bytes(0),
      bytes(255),
      bytes(256),
      bytes(70000),
      [],
      Array.from({ length: 15 }, (_, i) => i),
      Array.from({ length: 16 }, (_, i) => i),
      Array.from({ length: 70000 }, (_, i) => i % 100),
      {},
      Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i])),
      Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, [i, { n: i }]])),
      { nested: { deeper: [1, 'two', { three: [null, true, 3.5] }] } },
    ];
    for (const value of values) {
      const encoded = encode(value);
      expect(read(encoded)).toEqual(decode(encoded));
    }
  });

  it('reads map 32', () => {
    // Compared by spot checks: a deep comparison of 65 536 keys is slow for no gain.
    const value = read(
      encode(Object.fromEntries(Array.from({ length: 65536 }, (_, i) => [`k${i}`, i]))),
    );
    expect(Object.keys(value as object)).toHaveLength(65536);
    expect(value).toMatchObject({ k0: 0, k65535: 65535 });
  });

  it('reads float 32', () => {
    expect(read(new Encoder({ forceFloat32: true }).encode(1.5))).toBe(1.5);
  });

  it('gives 64-bit integers as numbers when exact, as decimal strings otherwise', () => {
    const big = (value: bigint) => read(encode(value, { useBigInt64: true }));
    expect(big(2n ** 53n - 1n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(big(2n ** 63n)).toBe('9223372036854775808');
    expect(big(2n ** 64n - 1n)).toBe('18446744073709551615');
    expect(big(-(2n ** 62n))).toBe('-4611686018427387904');
    expect(big(-(2n ** 63n))).toBe('-9223372036854775808');
    expect(big(-5n)).toBe(-5);
    expect(read(encode(2 ** 40))).toBe(2 ** 40);
    expect(read(encode(-(2 ** 40)))).toBe(-(2 ** 40));
  });

  it('shows timestamps (ext -1) in all three layouts as ISO text', () => {
    expect(read(encode(new Date(1700000000000)))).toBe('2023-11-14T22:13:20.000Z');
    expect(read(encode(new Date(1700000000123)))).toBe('2023-11-14T22:13:20.123Z');
    expect(read(encode(new Date(-1000123)))).toBe('1969-12-31T23:43:19.877Z');
    const nanos = encodeTimeSpecToTimestamp({ sec: 1700000000, nsec: 123456789 });
    expect(read(encode(new ExtData(-1, nanos)))).toBe('2023-11-14T22:13:20.123456789Z');
    const far = encodeTimeSpecToTimestamp({ sec: 2 ** 45, nsec: 0 });
    expect(read(encode(new ExtData(-1, far)))).toMatchObject({ ext: -1 });
  });

  it('gives other ext types as type and bytes', () => {
    const data = Uint8Array.of(1, 2, 3);
    expect(read(encode(new ExtData(5, data)))).toEqual({ ext: 5, data });
    for (const size of [1, 2, 4, 8, 16, 17, 300, 70000]) {
      const payload = new Uint8Array(size).fill(7);
      expect(read(encode(new ExtData(-100, payload)))).toEqual({ ext: -100, data: payload });
    }
  });

  it('shows keys that are not strings as text', () => {
    // The reference encoder writes only string keys; the header is written by hand.
    const map = concat(
      Uint8Array.of(0x84),
      encode(1),
      encode('one'),
      encode(null),
      encode('nil'),
      encode([1, 2]),
      encode('pair'),
      encode(Uint8Array.of(0xab)),
      encode('bin'),
    );
    expect(read(map)).toEqual({ '1': 'one', null: 'nil', '[1,2]': 'pair', '<1 bytes ab>': 'bin' });
  });

  it('keeps a __proto__ key as data, not as a prototype', () => {
    const value = read(encode(JSON.parse('{"__proto__": {"polluted": true}}'))) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shows invalid UTF-8 in a str with replacement characters', () => {
    expect(read(Uint8Array.of(0xa2, 0xff, 0x41))).toBe('\ufffdA');
  });
});

describe('msgpack decoder', () => {
  it('makes one message per value, several values allowed', () => {
    const outcome = decodeFrame(concat(encode({ a: 1 }), encode([1, 'x']), encode('s')));
    expect(outcome).toEqual({
      kind: 'messages',
      messages: [
        { type: 'map', summary: '{"a":1}', value: { a: 1 } },
        { type: 'array', summary: '[1,"x"]', value: [1, 'x'] },
        { type: 'string', summary: '"s"', value: 's' },
      ],
    });
  });

  it('bounds the summary of a large value', () => {
    const outcome = decodeFrame(encode({ list: Array.from({ length: 5000 }, (_, i) => i) }));
    expect(outcome.kind).toBe('messages');
    if (outcome.kind !== 'messages') return;
    expect(outcome.messages[0]!.summary.length).toBeLessThanOrEqual(200);
    expect(outcome.messages[0]!.summary.endsWith('…')).toBe(true);
  });

  it('refuses text frames, empty frames, and the never-used byte 0xc1', () => {
    const session = msgpackDecoder.create();
    expect(session.decode('sent', { kind: 'text', text: 'hi' }).kind).toBe('error');
    expect(decodeFrame(new Uint8Array(0)).kind).toBe('error');
    expect(decodeFrame(Uint8Array.of(0xc1))).toEqual({
      kind: 'error',
      error: '0xc1 is not a MessagePack type byte (starting at byte 0)',
    });
  });

  it('refuses every truncation of a value without throwing', () => {
    const whole = encode({
      s: 'text',
      n: [1, -200, 70000, 2 ** 40, 1.5],
      b: Uint8Array.of(1, 2, 3),
      t: new Date(5),
      e: new ExtData(3, Uint8Array.of(9)),
    });
    for (let end = 1; end < whole.length; end++) {
      expect(decodeFrame(whole.subarray(0, end)).kind).toBe('error');
    }
  });

  it('refuses declared lengths beyond the frame before allocating', () => {
    for (const head of [0xc6, 0xc9, 0xdb, 0xdd, 0xdf]) {
      const outcome = decodeFrame(Uint8Array.of(head, 0xff, 0xff, 0xff, 0xff, 0x00));
      expect(outcome.kind).toBe('error');
      if (outcome.kind === 'error') expect(outcome.error).toMatch(/needs/);
    }
  });

  it('refuses nesting deeper than 64 and accepts 64', () => {
    const nested = (depth: number) => {
      let value: unknown = 0;
      for (let i = 0; i < depth; i++) value = [value];
      return encode(value, { maxDepth: 1000 });
    };
    expect(decodeFrame(nested(64)).kind).toBe('messages');
    expect(decodeFrame(nested(65)).kind).toBe('error');
    expect(decodeFrame(new Uint8Array(100000).fill(0x91)).kind).toBe('error');
  });
});
