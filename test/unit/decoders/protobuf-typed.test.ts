import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { type ProtoSchema, parseProtoFiles } from '../../../src/decoders/proto-schema';
import { decodeMessage, protobufTypedDecoder } from '../../../src/decoders/protobuf-typed';
import { protobufDecoder } from '../../../src/decoders/protobuf-wire';
import { binary, expectHostileSafe, only, text } from './decode-helpers';
import {
  CHAT_FILES,
  CHAT_PROTO,
  COMMON_PROTO,
  decodeWith,
  encodeWith,
  LEGACY_PROTO,
  protobufjsRoot,
} from './proto-fixtures';

function schemaOf(...files: Array<{ name: string; text: string }>): ProtoSchema {
  const result = parseProtoFiles(files);
  if ('error' in result) throw new Error(result.error);
  return result.schema;
}

function decoded(schema: ProtoSchema, type: string, bytes: Uint8Array): unknown {
  const result = decodeMessage(schema, type, bytes);
  if ('error' in result) throw new Error(result.error);
  return result.value;
}

function errorOf(schema: ProtoSchema, type: string, bytes: Uint8Array): string {
  const result = decodeMessage(schema, type, bytes);
  if (!('error' in result)) throw new Error('expected an error');
  return result.error;
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));
const writer = () => protobuf.Writer.create();

const CHAT = schemaOf(...CHAT_FILES, { name: 'legacy.proto', text: LEGACY_PROTO });
const chatRoot = protobufjsRoot(COMMON_PROTO, CHAT_PROTO);
const legacyRoot = protobufjsRoot(LEGACY_PROTO);
const EVENT = 'acme.chat.v1.ChatEvent';

const FULL_EVENT = {
  sequence: 5,
  sent_at: { seconds: 1_700_000_000, nanos: 250 },
  message: {
    text: 'hello @bob',
    author: { id: 'u1', display_name: 'Ann', role: 'ADMIN' },
    mentions: ['bob', 'eve'],
    attachment: Uint8Array.of(0, 1, 2, 255),
  },
  read_by: [1, 2, 300, -7],
  deltas: [-1, 5, -300_000_000_000],
  participants: { bob: { id: 'u2', role: 'MEMBER' }, eve: { id: 'u3' } },
  labels: { '3': 'x', '-1': 'minus' },
  priority: 'PRIORITY_HIGH',
  roles: ['MEMBER', 'OWNER', 'ROLE_UNSPECIFIED'],
  score: 1.5,
  ratio: 0.25,
  checksum: 99,
  offset: -4,
  topic: '',
  priorities: { a: 'PRIORITY_LOW', b: 'PRIORITY_UNSPECIFIED' },
  history: [{ text: 'old' }, { text: 'older', mentions: ['x'] }],
};

describe('typed protobuf decoding, compared with protobufjs', () => {
  it('reads a full proto3 message: nested types, enums, maps, packed repeated, imports', () => {
    const bytes = encodeWith(chatRoot, EVENT, FULL_EVENT);
    const value = decoded(CHAT, EVENT, bytes);
    expect(value).toEqual(decodeWith(chatRoot, EVENT, bytes));
    // Spot checks on what the comparison relies on protobufjs for.
    expect(value).toMatchObject({
      message: { author: { role: 'ADMIN' }, attachment: Uint8Array.of(0, 1, 2, 255) },
      roles: ['MEMBER', 'ADMIN', 'ROLE_UNSPECIFIED'],
      labels: { '3': 'x', '-1': 'minus' },
    });
  });

  it('reads each member of a oneof, and an empty message', () => {
    for (const event of [
      { typing: { author: { id: 'u9' }, active: true } },
      { system_notice: 'maintenance at noon' },
      { priority: 'PRIORITY_UNSPECIFIED', sequence: 0 },
      {},
    ]) {
      const bytes = encodeWith(chatRoot, EVENT, event);
      expect(decoded(CHAT, EVENT, bytes)).toEqual(decodeWith(chatRoot, EVENT, bytes));
    }
  });

  it('reads proto2: required, unpacked and packed repeated, groups, enums', () => {
    const type = 'legacy.Envelope';
    const bytes = encodeWith(legacyRoot, type, {
      version: 3,
      name: 'env',
      ids: [1, 2, 3],
      codes: [7, 8],
      kind: 'KIND_A',
      header: { key: 'k', stamp: 12 },
      delta: -3,
      crc: 0xfffffffe,
      urgent: true,
    });
    expect(decoded(CHAT, type, bytes)).toEqual(decodeWith(legacyRoot, type, bytes));
    expect(decoded(CHAT, type, bytes)).toMatchObject({ header: { key: 'k', stamp: 12 } });
  });

  it('gives 64-bit integers as numbers when exact, else as decimal strings', () => {
    const source = `syntax = "proto3"; package n;
      message Numbers {
        int64 i64 = 1; uint64 u64 = 2; sint64 s64 = 3; fixed64 f64 = 4; sfixed64 sf64 = 5;
        int32 i32 = 6; uint32 u32 = 7; sint32 s32 = 8; sfixed32 sf32 = 9;
        repeated sint64 many = 10; repeated int64 plain = 11 [packed = false];
      }`;
    const root = protobufjsRoot(source);
    const schema = schemaOf({ name: 'n.proto', text: source });
    const bytes = encodeWith(root, 'n.Numbers', {
      i64: '-9223372036854775808',
      u64: '18446744073709551615',
      s64: '-9223372036854775807',
      f64: '9007199254740993',
      sf64: '-9007199254740993',
      i32: -2147483648,
      u32: 4294967295,
      s32: -2147483648,
      sf32: -5,
      many: ['-1', '9007199254740991', '-9007199254740991', '9223372036854775807'],
      plain: ['-2', '4294967296'],
    });
    const value = decoded(schema, 'n.Numbers', bytes);
    expect(value).toEqual({
      i64: '-9223372036854775808',
      u64: '18446744073709551615',
      s64: '-9223372036854775807',
      f64: '9007199254740993',
      sf64: '-9007199254740993',
      i32: -2147483648,
      u32: 4294967295,
      s32: -2147483648,
      sf32: -5,
      many: [-1, 9007199254740991, -9007199254740991, '9223372036854775807'],
      plain: [-2, 4294967296],
    });
    // protobufjs with longs as strings agrees digit for digit.
    const asStrings = JSON.parse(
      JSON.stringify(value, (_key, inner) => inner),
      (_key, inner) => (typeof inner === 'number' ? String(inner) : inner),
    );
    const theirs = decodeWith(root, 'n.Numbers', bytes, String) as Record<string, unknown>;
    for (const key of ['i64', 'u64', 's64', 'f64', 'sf64', 'many', 'plain']) {
      expect(asStrings[key], key).toEqual(theirs[key]);
    }
  });
});

describe('typed protobuf decoding, wire rules', () => {
  const SOURCE = `syntax = "proto3"; package t;
    message Node { Node child = 1; int32 v = 2; map<uint64, Node> kids = 3; repeated int32 n = 4;
      string s = 5; Color color = 6; oneof pick { string a = 7; int32 b = 8; }
      map<bool, bytes> blobs = 9; map<string, Color> colors = 10; }
    enum Color { RED = 0; GREEN = 1; }
    message Slim { int32 v = 2; string s = 60; }`;
  const schema = schemaOf({ name: 't.proto', text: SOURCE });
  const root = protobufjsRoot(SOURCE);
  const encodeNode = (value: object) => encodeWith(root, 't.Node', value);

  it('keeps unknown fields and wrong wire types under _unknown by number', () => {
    const bytes = concat(
      encodeNode({ v: 4 }),
      writer()
        .uint32((50 << 3) | 2)
        .string('extra text')
        .finish(),
      writer()
        .uint32((51 << 3) | 2)
        .bytes(Uint8Array.of(1, 2, 3))
        .finish(),
      writer()
        .uint32((52 << 3) | 5)
        .fixed32(7)
        .finish(),
      writer()
        .uint32((53 << 3) | 1)
        .fixed64(2 ** 40)
        .finish(),
      writer()
        .uint32((54 << 3) | 2)
        .bytes(encodeNode({ v: 1, s: 'x' }))
        .finish(),
      writer()
        .uint32((55 << 3) | 0)
        .int64(-2)
        .finish(),
      writer()
        .uint32((56 << 3) | 3)
        .uint32((1 << 3) | 0)
        .uint32(9)
        .uint32((56 << 3) | 4)
        .finish(),
      writer()
        .uint32((60 << 3) | 0)
        .uint32(7)
        .finish(),
      writer()
        .uint32((55 << 3) | 0)
        .uint32(3)
        .finish(),
    );
    expect(decoded(schema, 't.Slim', bytes)).toEqual({
      v: 4,
      _unknown: {
        '50': 'extra text',
        '51': Uint8Array.of(1, 2, 3),
        '52': 7,
        '53': 2 ** 40,
        '54': { '2': 1, '5': 'x' },
        '55': [-2, 3],
        '56': { '1': 9 },
        '60': 7,
      },
    });
  });

  it('merges a repeated singular message, lets the last oneof member win', () => {
    const bytes = concat(
      encodeNode({ child: { v: 1 }, a: 'first' }),
      encodeNode({ child: { s: 'two' }, b: 2 }),
    );
    expect(decoded(schema, 't.Node', bytes)).toEqual({ child: { v: 1, s: 'two' }, b: 2 });
    const back = concat(encodeNode({ b: 2 }), encodeNode({ a: 'again' }));
    expect(decoded(schema, 't.Node', back)).toEqual({ a: 'again' });
  });

  it('accepts packed and unpacked forms of one repeated field together', () => {
    const unpacked = writer()
      .uint32(4 << 3)
      .int32(1)
      .uint32(4 << 3)
      .int32(-2)
      .finish();
    const packed = writer()
      .uint32((4 << 3) | 2)
      .fork()
      .int32(3)
      .int32(4)
      .ldelim()
      .finish();
    expect(decoded(schema, 't.Node', concat(unpacked, packed, unpacked))).toEqual({
      n: [1, -2, 3, 4, 1, -2],
    });
  });

  it('reads maps: keys as strings, defaults for missing parts, the last duplicate wins', () => {
    const entry = (...fields: Uint8Array[]) =>
      writer()
        .uint32((3 << 3) | 2)
        .bytes(concat(...fields))
        .finish();
    const key = (value: number | string) =>
      writer()
        .uint32(1 << 3)
        .uint64(value)
        .finish();
    const node = (value: object) =>
      writer()
        .uint32((2 << 3) | 2)
        .bytes(encodeNode(value))
        .finish();
    const bytes = concat(
      entry(key('18446744073709551615'), node({ v: 1 })),
      entry(key(7)),
      entry(node({ v: 2 })),
      entry(key(7), node({ v: 3 })),
      writer()
        .uint32((9 << 3) | 2)
        .fork()
        .uint32(1 << 3)
        .bool(true)
        .ldelim()
        .finish(),
      writer()
        .uint32((10 << 3) | 2)
        .fork()
        .uint32(10)
        .string('k')
        .ldelim()
        .finish(),
      writer()
        .uint32((10 << 3) | 2)
        .fork()
        .uint32(10)
        .string('__proto__')
        .uint32(16)
        .uint32(1)
        .ldelim()
        .finish(),
    );
    const value = decoded(schema, 't.Node', bytes) as { colors: object };
    expect(Object.hasOwn(value.colors, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value.colors)).toBe(Object.prototype);
    expect(value).toEqual({
      kids: { '18446744073709551615': { v: 1 }, '7': { v: 3 }, '0': { v: 2 } },
      blobs: { true: new Uint8Array(0) },
      colors: { k: 'RED', ['__proto__']: 'GREEN' },
    });
  });

  it('shows unknown enum numbers as numbers and bad UTF-8 as replacement characters', () => {
    const bytes = concat(
      writer()
        .uint32(6 << 3)
        .int32(9)
        .finish(),
      writer()
        .uint32((5 << 3) | 2)
        .bytes(Uint8Array.of(0x61, 0xff, 0x62))
        .finish(),
    );
    expect(decoded(schema, 't.Node', bytes)).toEqual({ color: 9, s: 'a\ufffdb' });
  });

  it('keeps field names that are Object.prototype names as own data', () => {
    const proto = `syntax = "proto3"; message P { string __proto__ = 1; P constructor = 2; }`;
    const protoSchema = schemaOf({ name: 'p.proto', text: proto });
    const bytes = concat(
      writer().uint32(10).string('x').finish(),
      writer().uint32(18).bytes(writer().uint32(10).string('y').finish()).finish(),
    );
    const value = decoded(protoSchema, 'P', bytes) as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.constructor).toEqual({ ['__proto__']: 'y' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('bounds nesting at 64 messages', () => {
    const nested = (depth: number) => {
      let bytes = encodeNode({ v: 1 });
      for (let i = 0; i < depth; i++) bytes = writer().uint32(10).bytes(bytes).finish();
      return bytes;
    };
    expect(decoded(schema, 't.Node', nested(63))).toBeTruthy();
    expect(errorOf(schema, 't.Node', nested(64))).toBe('messages nested deeper than 64');
    expect(errorOf(schema, 't.Node', nested(5000))).toBe('messages nested deeper than 64');
    const groups = Uint8Array.from([...Array(5000).fill(0x0b), ...Array(5000).fill(0x0c)]);
    expect(errorOf(schema, 't.Slim', groups)).toContain('nested deeper than 64');
  });

  it('returns errors for malformed bytes, never throws', () => {
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x12))).toContain('varint');
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x0a, 0x05, 0x10))).toContain('exceeds');
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x10, ...Array(11).fill(0xff)))).toBe(
      'varint is longer than ten bytes',
    );
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x00))).toBe('field number 0');
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x0f))).toBe('wire type 7 does not exist');
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x0c))).toBe(
      'END_GROUP 1 without its START_GROUP',
    );
    expect(errorOf(schema, 't.Slim', Uint8Array.of(0x0b, 0x10, 0x01))).toBe(
      'group 1 has no END_GROUP',
    );
    expect(errorOf(schema, 't.Node', Uint8Array.of(0x0b, 0x14))).toContain('END_GROUP 2');
    expect(errorOf(schema, 'NoSuch', new Uint8Array(0))).toBe(
      "the schema has no message type 'NoSuch'",
    );
    const valid = encodeWith(chatRoot, EVENT, FULL_EVENT);
    let seed = 3;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(
        valid.subarray(0, random(2) ? valid.length : random(valid.length)),
      );
      for (let flips = random(3); flips >= 0; flips--) bytes[random(bytes.length)] = random(256);
      const result = decodeMessage(CHAT, EVENT, bytes);
      expect('value' in result || result.error.length < 300).toBe(true);
    }
  });
});

describe('protobufTypedDecoder', () => {
  const definition = protobufTypedDecoder(CHAT, { sent: `.${EVENT}` });

  it('names the type and the first fields; the untyped direction reads schema-less', () => {
    const bytes = encodeWith(chatRoot, EVENT, FULL_EVENT);
    const session = definition.create();
    const message = only(session, 'sent', binary(bytes));
    expect(message.type).toBe(EVENT);
    expect(message.value).toEqual(decoded(CHAT, EVENT, bytes));
    expect(message.summary).toMatch(
      /^sequence=5 sent_at=\{"seconds":1700000000,"nanos":250\} message=\{"text":.*… read_by=\[1,2,300,-7\] …$/,
    );
    expect(message.summary.length).toBeLessThanOrEqual(200);
    const received = session.decode('received', binary(bytes));
    expect(received).toEqual(protobufDecoder.create().decode('received', binary(bytes)));
  });

  it('refuses text frames, reports bad frames and unknown types as errors', () => {
    const session = definition.create();
    expect(session.decode('sent', text('{}'))).toEqual({
      kind: 'error',
      error: 'Protobuf comes in binary frames',
    });
    expect(session.decode('sent', binary([0x0a, 0x09]))).toMatchObject({ kind: 'error' });
    const missing = protobufTypedDecoder(CHAT, { received: 'x.Missing' }).create();
    expect(missing.decode('received', binary([]))).toEqual({
      kind: 'error',
      error: "the schema has no message type 'x.Missing'",
    });
  });

  it('survives hostile frames in both directions', () => {
    expectHostileSafe(definition);
    expectHostileSafe(protobufTypedDecoder(CHAT, { sent: EVENT, received: 'legacy.Envelope' }));
  });
});
