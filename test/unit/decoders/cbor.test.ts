import { decode, type EncodeOptions, encode, type TagDecoder, Token, Tokenizer, Type } from 'cborg';
import { bigIntDecoder, bigNegIntDecoder } from 'cborg/taglib';
import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../src/decoders/byte-cursor';
import { cborDecoder, readCbor } from '../../../src/decoders/cbor';
import type { DecodeOutcome } from '../../../src/decoders/decoder';

const decodeFrame = (bytes: Uint8Array): DecodeOutcome =>
  cborDecoder.create().decode('received', { kind: 'binary', bytes });
const read = (bytes: Uint8Array) => readCbor(new ByteCursor(bytes));
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

/** A tagged data item for cborg to write: cborg has no tag class, only tag tokens. */
class Tagged {
  constructor(
    readonly tag: number,
    readonly value: unknown,
  ) {}
}
/** The tokens cborg writes for a value, so a type encoder can put them after a tag token. */
function tokensOf(value: unknown): Token[] {
  const tokenizer = new Tokenizer(encode(value, withTags));
  const tokens: Token[] = [];
  while (!tokenizer.done()) tokens.push(tokenizer.next());
  return tokens;
}
/**
 * Bigints beyond 64 bits as tags 2 and 3. Not cborg/taglib's bigIntEncoder: it takes each byte
 * from Number(bigint), which loses the bits below the top 53 (-(2n ** 70n) comes out wrong).
 */
function bignum(value: bigint): Token[] | null {
  if (value >= -(2n ** 64n) && value < 2n ** 64n) return null;
  const bytes: number[] = [];
  for (let magnitude = value < 0n ? -1n - value : value; magnitude > 0n; magnitude >>= 8n) {
    bytes.unshift(Number(magnitude & 0xffn));
  }
  return [new Token(Type.tag, value < 0n ? 3 : 2), new Token(Type.bytes, Uint8Array.from(bytes))];
}
/** cborg with tags: Tagged items, dates as tag 1 (epoch seconds), bignums as tags 2 and 3. */
const withTags: EncodeOptions = {
  typeEncoders: {
    // cborg types class instances as 'Object'; null hands plain objects back to it.
    Object: (value) =>
      value instanceof Tagged ? [new Token(Type.tag, value.tag), ...tokensOf(value.value)] : null,
    Date: (date: Date) => [new Token(Type.tag, 1), ...tokensOf(date.getTime() / 1000)],
    bigint: bignum,
  },
};
const tagged = (tag: number, value: unknown) => encode(new Tagged(tag, value), withTags);
/** cborg's reading of tags 1, 2 and 3, to set the reader's against. */
const tags: TagDecoder[] = [];
tags[1] = (seconds: number) => new Date(seconds * 1000).toISOString();
tags[2] = bigIntDecoder;
tags[3] = bigNegIntDecoder;

describe('CBOR reader', () => {
  it('reads what cborg writes as cborg reads it', () => {
    const values: unknown[] = [
      0,
      23,
      24,
      255,
      256,
      65535,
      65536,
      2 ** 32,
      Number.MAX_SAFE_INTEGER,
      -1,
      -24,
      -25,
      -256,
      -257,
      -(2 ** 32) - 1,
      Number.MIN_SAFE_INTEGER,
      1.1,
      1.5,
      Math.fround(1.1),
      -0.5e-300,
      null,
      true,
      false,
      '',
      'a'.repeat(23),
      'b'.repeat(24),
      'c'.repeat(300),
      'd'.repeat(70000),
      'ünïcödé ✓ 😀',
      new Uint8Array(0),
      new Uint8Array(300).fill(9),
      [],
      Array.from({ length: 24 }, (_, i) => i),
      Array.from({ length: 70000 }, (_, i) => i % 7),
      { a: 1, b: [1, { c: 'd' }] },
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
    ];
    for (const value of values) {
      const encoded = encode(value);
      expect(read(encoded)).toEqual(decode(encoded));
    }
  });

  it('reads half, single and double floats', () => {
    // cborg writes a float in the narrowest width that holds it exactly, or always 64-bit.
    const widths: [number, number][] = [
      [1.5, 0xf9],
      [-0.5, 0xf9],
      [2 ** -24, 0xf9], // the smallest half subnormal
      [2 ** -14, 0xf9], // the smallest half normal
      [Number.POSITIVE_INFINITY, 0xf9],
      [Number.NEGATIVE_INFINITY, 0xf9],
      [Math.fround(1.1), 0xfa],
      [1.1, 0xfb],
    ];
    for (const [value, head] of widths) {
      const encoded = encode(value);
      expect(encoded[0]).toBe(head);
      expect(read(encoded)).toBe(value);
      expect(read(encoded)).toBe(decode(encoded));
    }
    expect(read(encode(1.5, { float64: true }))).toBe(1.5);
    expect(read(encode(Number.NaN))).toBeNaN();
    // Floats with no fraction, which cborg writes as integers (and -0 as 0): RFC 8949
    // Appendix A examples, checked against cborg's reading of them.
    for (const hex of ['f90000', 'f98000', 'f93c00', 'f9c400', 'f97bff', 'fa47c35000']) {
      expect(read(fromHex(hex))).toBe(decode(fromHex(hex)));
    }
    expect(read(fromHex('f98000'))).toBe(-0);
    expect(read(fromHex('f97bff'))).toBe(65504);
  });

  it('gives integers beyond 2^53 as decimal strings', () => {
    for (const big of [2n ** 60n, 2n ** 64n - 1n, -(2n ** 63n), -(2n ** 64n)]) {
      expect(read(encode(big))).toBe(big.toString());
      expect(read(encode(big))).toBe(String(decode(encode(big))));
    }
  });

  it('reads bignums (tags 2 and 3) as numbers or decimal strings', () => {
    expect(read(encode(2n ** 70n, withTags))).toBe('1180591620717411303424');
    expect(read(encode(-(2n ** 70n), withTags))).toBe('-1180591620717411303424');
    for (const big of [2n ** 70n, -(2n ** 70n), 3n ** 100n, -(3n ** 100n)]) {
      const bytes = encode(big, withTags);
      expect(bytes[0]).toBe(big < 0n ? 0xc3 : 0xc2);
      expect(read(bytes)).toBe(big.toString());
      expect(read(bytes)).toBe(String(decode(bytes, { tags })));
    }
    expect(read(tagged(2, Uint8Array.of(1, 0)))).toBe(256);
    expect(read(tagged(3, new Uint8Array(0)))).toBe(-1);
    const huge = new Uint8Array(200).fill(0xff);
    expect(read(tagged(2, huge))).toEqual({ tag: 2, value: huge });
    expect(Object.getPrototypeOf(read(encode(huge)) as Uint8Array)).toBe(Uint8Array.prototype);
  });

  it('shows dates (tags 0 and 1) as ISO text', () => {
    for (const [date, iso] of [
      [new Date(1700000000123), '2023-11-14T22:13:20.123Z'],
      [new Date(-86400000), '1969-12-31T00:00:00.000Z'],
    ] as const) {
      const bytes = encode(date, withTags);
      expect(read(bytes)).toBe(iso);
      expect(read(bytes)).toBe(decode(bytes, { tags }));
    }
    expect(read(tagged(0, '2013-03-21T20:04:00Z'))).toBe('2013-03-21T20:04:00Z');
    expect(read(tagged(1, 1e300))).toEqual({ tag: 1, value: 1e300 });
  });

  it('shows other tags as tag and value, and unwraps tags that only restate a type', () => {
    expect(read(tagged(32, 'http://x'))).toEqual({ tag: 32, value: 'http://x' });
    expect(read(tagged(1234567, [1, 2]))).toEqual({ tag: 1234567, value: [1, 2] });
    expect(read(tagged(64, Uint8Array.of(1, 2)))).toEqual(Uint8Array.of(1, 2));
    expect(read(tagged(64, 'x'))).toEqual({ tag: 64, value: 'x' });
    expect(read(tagged(259, { a: 1 }))).toEqual({ a: 1 });
    expect(read(tagged(259, [1]))).toEqual({ tag: 259, value: [1] });
    expect(read(tagged(55799, 7))).toBe(7);
  });

  it('shows map keys that are not strings as text', () => {
    const map = new Map<unknown, string>([
      [1, 'one'],
      [[1, 2], 'pair'],
      [null, 'nil'],
    ]);
    const expected = { '1': 'one', '[1,2]': 'pair', null: 'nil' };
    expect(read(encode(map))).toEqual(expected);
    expect(read(tagged(259, map))).toEqual(expected);
    const asMap = decode(encode(map), { useMaps: true }) as Map<unknown, string>;
    expect([...asMap.values()].sort()).toEqual(Object.values(expected).sort());
  });

  it('reads simple values', () => {
    expect(read(encode(undefined))).toEqual({ simple: 23 });
    expect(read(encode([null, true, false]))).toEqual([null, true, false]);
    // Other simple values, which cborg neither writes nor reads: RFC 8949 Appendix A.
    expect(read(fromHex('f0'))).toEqual({ simple: 16 });
    expect(read(fromHex('f8ff'))).toEqual({ simple: 255 });
  });

  it('reads indefinite lengths', () => {
    // cborg writes no indefinite lengths, so these are RFC 8949 Appendix A examples. cborg reads
    // indefinite arrays and maps, so those are checked against it; it reads no indefinite strings.
    for (const hex of [
      '9fff',
      '9f018202039f0405ffff',
      '9f01820203820405ff',
      '83018202039f0405ff',
      '83019f0203ff820405',
      '9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff',
      'bf61610161629f0203ffff',
      '826161bf61626163ff',
      'bf6346756ef563416d7421ff',
    ]) {
      expect(read(fromHex(hex))).toEqual(decode(fromHex(hex)));
    }
    expect(read(fromHex('9f018202039f0405ffff'))).toEqual([1, [2, 3], [4, 5]]);
    expect(read(fromHex('bf6346756ef563416d7421ff'))).toEqual({ Fun: true, Amt: -2 });
    expect(read(fromHex('5f42010243030405ff'))).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect(read(fromHex('7f657374726561646d696e67ff'))).toBe('streaming');
    expect(read(fromHex('5fff'))).toEqual(new Uint8Array(0));
  });
});

describe('cbor decoder', () => {
  it('makes one message per data item', () => {
    const bytes = Uint8Array.from(Buffer.concat([encode({ a: [1] }), encode('x')]));
    expect(decodeFrame(bytes)).toEqual({
      kind: 'messages',
      messages: [
        { type: 'map', summary: '{"a":[1]}', value: { a: [1] } },
        { type: 'string', summary: '"x"', value: 'x' },
      ],
    });
  });

  it('refuses malformed items without throwing', () => {
    const bad = [
      '', // empty frame
      '1c', // reserved additional information
      'ff', // break outside an indefinite item
      '3f', // negative integers have no indefinite length
      'f818', // a two-byte simple value below 32
      '5f4101' + '6161' + 'ff', // a text chunk inside a byte string
      '5f5f4101ffff', // a nested indefinite chunk
      '9f01', // an indefinite array without its break
      'bf616101' + '61', // a map ending mid-key
      'bf6161ff', // a break in place of a map value
      '9bffffffffffffffff00', // an array longer than the frame
      '5bffffffffffffffff', // a byte string longer than 2^53
      'a2616101', // a map with a missing entry
      '7a0000ffff61', // a text string longer than the frame
    ];
    for (const hex of bad) {
      const outcome = decodeFrame(fromHex(hex));
      expect(outcome.kind, hex).toBe('error');
    }
    const session = cborDecoder.create();
    expect(session.decode('sent', { kind: 'text', text: '{}' }).kind).toBe('error');
  });

  it('refuses every truncation of an item', () => {
    const whole = encode(
      {
        a: [1, -300, 2 ** 40, 1.5, 1.1, 'text'],
        d: new Date(7),
        b: new Tagged(64, Uint8Array.of(1)),
      },
      withTags,
    );
    for (let end = 1; end < whole.length; end++) {
      expect(decodeFrame(whole.subarray(0, end)).kind).toBe('error');
    }
  });

  it('bounds nesting to 64, tags included', () => {
    const arrays = (depth: number) => new Uint8Array(depth).fill(0x81);
    expect(decodeFrame(Uint8Array.from([...arrays(64), 0x00])).kind).toBe('messages');
    expect(decodeFrame(Uint8Array.from([...arrays(65), 0x00])).kind).toBe('error');
    expect(decodeFrame(new Uint8Array(100000).fill(0x9f)).kind).toBe('error');
    expect(decodeFrame(new Uint8Array(100000).fill(0xd8)).kind).toBe('error');
    expect(decodeFrame(new Uint8Array(100000).fill(0xc6)).kind).toBe('error');
  });
});
