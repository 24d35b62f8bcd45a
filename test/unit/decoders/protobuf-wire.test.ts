import { describe, expect, it } from 'vitest';
import type { DecodeOutcome } from '../../../src/decoders/decoder';
import { protobufDecoder, readProtobuf } from '../../../src/decoders/protobuf-wire';

/*
 * No protobuf library is installed, so test messages come from this small encoder written from
 * the wire-format specification (protobuf.dev, "Encoding").
 */
function varint(value: bigint | number): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    out.push(rest ? low | 0x80 : low);
  } while (rest);
  return out;
}
const tag = (field: number, wireType: number) => varint(field * 8 + wireType);
const int = (field: number, value: bigint | number) => [...tag(field, 0), ...varint(value)];
const sint = (field: number, value: number) => int(field, value >= 0 ? value * 2 : -value * 2 - 1);
const bytes = (field: number, data: number[] | Uint8Array) => [
  ...tag(field, 2),
  ...varint(data.length),
  ...data,
];
const text = (field: number, value: string) => bytes(field, [...new TextEncoder().encode(value)]);
const message = (field: number, ...fields: number[][]) => bytes(field, fields.flat());
const fixed32 = (field: number, value: number) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return [...tag(field, 5), ...out];
};
const fixed64 = (field: number, value: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setFloat64(0, value, true);
  return [...tag(field, 1), ...out];
};
const group = (field: number, ...fields: number[][]) => [
  ...tag(field, 3),
  ...fields.flat(),
  ...tag(field, 4),
];
const frame = (...fields: number[][]) => Uint8Array.from(fields.flat());
const decodeFrame = (data: Uint8Array): DecodeOutcome =>
  protobufDecoder.create().decode('received', { kind: 'binary', bytes: data });

describe('protobuf wire format', () => {
  it('reads the specification example: field 1, varint 150', () => {
    expect(frame(int(1, 150))).toEqual(Uint8Array.of(0x08, 0x96, 0x01));
    expect(readProtobuf(frame(int(1, 150)))).toEqual({ '1': 150 });
  });

  it('reads varints, negative int64s, and 64-bit values beyond 2^53', () => {
    expect(
      readProtobuf(
        frame(
          int(1, 0),
          int(2, 2 ** 49),
          int(3, -1),
          int(4, -(2 ** 40)),
          int(5, 2n ** 60n),
          sint(6, -3),
        ),
      ),
    ).toEqual({
      '1': 0,
      '2': 2 ** 49,
      '3': -1,
      '4': -(2 ** 40),
      '5': '1152921504606846976',
      '6': 5,
    });
    expect(readProtobuf(frame(int(536870911, 1)))).toEqual({ '536870911': 1 });
  });

  it('reads fixed-width fields both ways', () => {
    expect(readProtobuf(frame(fixed32(1, 1.5), fixed64(2, -2.25), fixed32(3, -0)))).toEqual({
      '1': { i32: 0x3fc00000, float: 1.5 },
      '2': { i64: '0xc002000000000000', double: -2.25 },
      '3': { i32: 0x80000000, signed: -(2 ** 31), float: -0 },
    });
    const sfixed = new Uint8Array(8);
    new DataView(sfixed.buffer).setBigInt64(0, -5n, true);
    expect(readProtobuf(frame([...tag(1, 1), ...sfixed]))).toEqual({
      '1': { i64: '0xfffffffffffffffb', signed: -5, double: Number.NaN },
    });
    expect(readProtobuf(frame(fixed64(1, 5e-324)))).toEqual({ '1': { i64: 1, double: 5e-324 } });
  });

  it('reads strings, nested messages, bytes and repeated fields', () => {
    const value = readProtobuf(
      frame(
        text(1, 'hello wörld'),
        message(2, int(1, 7), text(2, 'inner'), message(3, int(1, 1))),
        bytes(3, [0xff, 0x00, 0xfe]),
        int(4, 1),
        int(4, 2),
        int(4, 3),
        text(5, ''),
        text(6, 'line one\nline two'),
      ),
    );
    expect(value).toEqual({
      '1': 'hello wörld',
      '2': { '1': 7, '2': 'inner', '3': { '1': 1 } },
      '3': Uint8Array.of(0xff, 0x00, 0xfe),
      '4': [1, 2, 3],
      '5': '',
      '6': 'line one\nline two',
    });
  });

  it('prefers printable text over a message the same bytes would also make', () => {
    // "hi" is also field 13 = varint 105; as a field of a message, text is the likelier intent.
    expect(readProtobuf(frame(text(1, 'hi')))).toEqual({ '1': 'hi' });
  });

  it('reads deprecated groups', () => {
    expect(readProtobuf(frame(group(1, int(2, 5), group(3, text(4, 'x'))), int(5, 1)))).toEqual({
      '1': { '2': 5, '3': { '4': 'x' } },
      '5': 1,
    });
  });

  it('leaves messages nested deeper than the bound as bytes', () => {
    let inner = int(1, 1);
    for (let i = 0; i < 100; i++) inner = message(1, inner);
    const outcome = decodeFrame(frame(inner));
    expect(outcome.kind).toBe('messages');
    let node: unknown = outcome.kind === 'messages' ? outcome.messages[0]!.value : undefined;
    let depth = 0;
    while (node && typeof node === 'object' && !(node instanceof Uint8Array)) {
      node = (node as Record<string, unknown>)['1'];
      depth++;
    }
    expect(depth).toBe(64);
    expect(node).toBeInstanceOf(Uint8Array);
  });

  it('makes one message with a bounded summary', () => {
    const outcome = decodeFrame(frame(text(1, 'x'.repeat(1000)), int(2, 1)));
    expect(outcome.kind).toBe('messages');
    if (outcome.kind !== 'messages') return;
    expect(outcome.messages[0]!.type).toBe('message');
    expect(outcome.messages[0]!.summary.length).toBeLessThanOrEqual(200);
    expect(decodeFrame(frame(int(1, 1), text(2, 'a')))).toEqual({
      kind: 'messages',
      messages: [{ type: 'message', summary: '{"1":1,"2":"a"}', value: { '1': 1, '2': 'a' } }],
    });
  });

  it('refuses what is not a message, without throwing', () => {
    const bad: [string, Uint8Array][] = [
      ['field number 0', frame(int(0, 1))],
      ['wire type 6 does not exist', frame(tag(1, 6))],
      ['wire type 7 does not exist', frame(tag(1, 7))],
      ['varint is longer than ten bytes', Uint8Array.of(0x08, ...new Array(11).fill(0xff), 0x01)],
      ['length-delimited field: needs 5 bytes, only 2 left', Uint8Array.of(0x0a, 0x05, 0x61, 0x62)],
      ['length is too large', Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)],
      ['END_GROUP 1 without its START_GROUP', frame(tag(1, 4))],
      ['group 1 has no END_GROUP', frame(tag(1, 3), int(2, 1))],
      ['i32 field: needs 4 bytes, only 2 left', Uint8Array.of(0x0d, 0x00, 0x00)],
      ['field tag is too large', frame(varint(2n ** 40n))],
    ];
    for (const [error, data] of bad) expect(decodeFrame(data)).toEqual({ kind: 'error', error });
    const session = protobufDecoder.create();
    expect(session.decode('sent', { kind: 'text', text: 'x' }).kind).toBe('error');
    // A message cut between fields is still a message; cut inside a field, it is not one.
    const fields = [
      text(1, 'abc'),
      bytes(2, Uint8Array.of(0xff, 0xfe)),
      fixed64(3, 1),
      fixed32(4, 2),
      int(5, 300),
    ];
    const whole = frame(...fields);
    const boundaries = new Set(fields.map((_, i) => frame(...fields.slice(0, i + 1)).length));
    for (let end = 1; end < whole.length; end++) {
      const kind = decodeFrame(whole.subarray(0, end)).kind;
      expect(kind, `cut at ${end}`).toBe(boundaries.has(end) ? 'messages' : 'error');
    }
    expect(decodeFrame(new Uint8Array(100000).fill(0x0b)).kind).toBe('error');
  });
});
