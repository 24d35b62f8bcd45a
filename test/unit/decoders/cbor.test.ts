import { decode, Encoder, encode, encodeAsIterable, FLOAT32_OPTIONS, Tag } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../src/decoders/byte-cursor';
import { cborDecoder, readCbor } from '../../../src/decoders/cbor';
import type { DecodeOutcome } from '../../../src/decoders/decoder';

const decodeFrame = (bytes: Uint8Array): DecodeOutcome =>
  cborDecoder.create().decode('received', { kind: 'binary', bytes });
const read = (bytes: Uint8Array) => readCbor(new ByteCursor(bytes));
const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
/** cbor-x gives Node Buffers for byte strings; the reader gives plain Uint8Arrays. */
const plainBytes = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plainBytes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainBytes(item)]));
  }
  return value;
};
/** Plain maps, as RFC 8949 means them: no record extension, no tag 259. */
const plain = new Encoder({ useRecords: false, tagUint8Array: false });

describe('CBOR reader', () => {
  it('reads what cbor-x writes as cbor-x reads it', () => {
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
      const encoded = plain.encode(value);
      expect(read(encoded)).toEqual(plainBytes(decode(encoded)));
    }
  });

  it('reads single floats, and half floats as RFC 8949 lists them', () => {
    const single = new Encoder({ useFloat32: FLOAT32_OPTIONS.ALWAYS });
    expect(read(single.encode(1.5))).toBe(1.5);
    // cbor-x writes no half floats: these are the RFC's Appendix A examples, checked against cbor-x.
    for (const hex of [
      'f90000',
      'f98000',
      'f93c00',
      'f93e00',
      'f97bff',
      'f90001',
      'f90400',
      'f9c400',
    ]) {
      expect(read(fromHex(hex))).toBe(decode(fromHex(hex)));
    }
    expect(read(fromHex('f97c00'))).toBe(Number.POSITIVE_INFINITY);
    expect(read(fromHex('f9fc00'))).toBe(Number.NEGATIVE_INFINITY);
    expect(read(fromHex('f97e00'))).toBeNaN();
    expect(read(fromHex('f97bff'))).toBe(65504);
  });

  it('gives integers beyond 2^53 as decimal strings', () => {
    expect(read(encode(2n ** 60n))).toBe('1152921504606846976');
    expect(read(encode(2n ** 64n - 1n))).toBe('18446744073709551615');
    expect(read(encode(-(2n ** 63n)))).toBe('-9223372036854775808');
    expect(read(encode(-(2n ** 64n)))).toBe('-18446744073709551616');
  });

  it('reads bignums (tags 2 and 3) as numbers or decimal strings', () => {
    expect(read(encode(2n ** 70n))).toBe('1180591620717411303424');
    expect(read(encode(-(2n ** 70n)))).toBe('-1180591620717411303424');
    expect(read(encode(new Tag(Uint8Array.of(1, 0), 2)))).toBe(256);
    expect(read(encode(new Tag(new Uint8Array(0), 3)))).toBe(-1);
    const huge = new Uint8Array(200).fill(0xff);
    expect(read(plain.encode(new Tag(huge, 2)))).toEqual({ tag: 2, value: huge });
    expect(Object.getPrototypeOf(read(plain.encode(huge)) as Uint8Array)).toBe(
      Uint8Array.prototype,
    );
  });

  it('shows dates (tags 0 and 1) as ISO text', () => {
    expect(read(encode(new Date(1700000000123)))).toBe('2023-11-14T22:13:20.123Z');
    expect(read(encode(new Date(-86400000)))).toBe('1969-12-31T00:00:00.000Z');
    expect(read(encode(new Tag('2013-03-21T20:04:00Z', 0)))).toBe('2013-03-21T20:04:00Z');
    expect(read(encode(new Tag(1e300, 1)))).toEqual({ tag: 1, value: 1e300 });
  });

  it('shows other tags as tag and value, and unwraps tags that only restate a type', () => {
    expect(read(encode(new Tag('http://x', 32)))).toEqual({ tag: 32, value: 'http://x' });
    expect(read(encode(new Tag([1, 2], 1234567)))).toEqual({ tag: 1234567, value: [1, 2] });
    expect(read(encode(Uint8Array.of(1, 2)))).toEqual(Uint8Array.of(1, 2));
    expect(read(encode(new Tag(7, 55799)))).toBe(7);
  });

  it('shows map keys that are not strings as text', () => {
    const map = new Map<unknown, string>([
      [1, 'one'],
      [[1, 2], 'pair'],
      [null, 'nil'],
    ]);
    expect(read(encode(map))).toEqual({ '1': 'one', '[1,2]': 'pair', null: 'nil' });
    expect(read(plain.encode(map))).toEqual({ '1': 'one', '[1,2]': 'pair', null: 'nil' });
  });

  it('reads simple values', () => {
    expect(read(encode(undefined))).toEqual({ simple: 23 });
    expect(read(encode([null, true, false]))).toEqual([null, true, false]);
    expect(read(fromHex('f0'))).toEqual({ simple: 16 });
    expect(read(fromHex('f8ff'))).toEqual({ simple: 255 });
  });

  it('reads indefinite lengths', () => {
    function* items() {
      yield 1;
      yield 'two';
      yield [3];
    }
    const chunks = [...encodeAsIterable({ list: items() })] as Uint8Array[];
    const bytes = Uint8Array.from(Buffer.concat(chunks));
    expect(bytes.includes(0x9f)).toBe(true);
    expect(read(bytes)).toEqual({ list: [1, 'two', [3]] });
    // Indefinite strings and maps, which cbor-x never writes: RFC 8949 Appendix A, checked
    // against cbor-x's reading of them where it has one (it reads no indefinite strings).
    expect(read(fromHex('5f42010243030405ff'))).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect(read(fromHex('7f657374726561646d696e67ff'))).toBe('streaming');
    for (const hex of [
      'bf61610161629f0203ffff',
      'bf6346756ef563416d7421ff',
      '9f018202039f0405ffff',
      '826161bf61626163ff',
    ]) {
      expect(read(fromHex(hex))).toEqual(decode(fromHex(hex)));
    }
    expect(read(fromHex('5fff'))).toEqual(new Uint8Array(0));
  });
});

describe('cbor decoder', () => {
  it('makes one message per data item', () => {
    const bytes = Uint8Array.from(Buffer.concat([plain.encode({ a: [1] }), plain.encode('x')]));
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
    const whole = encode({
      a: [1, -300, 2 ** 40, 1.5, 'text'],
      d: new Date(7),
      b: Uint8Array.of(1),
    });
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
