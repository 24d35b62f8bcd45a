import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decoded, parse, schemaOf } from './proto-test-helpers';

const writer = () => protobuf.Writer.create();

const DEFAULTS = `syntax = "proto2";
package d;
enum Tone { QUIET = 1; LOUD = 2; }
message Defaults {
  optional int32 i32 = 1 [default = -2147483648];
  optional uint32 u32 = 2 [default = 0xFFFFFFFF];
  optional int64 i64 = 3 [default = -9223372036854775808];
  optional uint64 u64 = 4 [default = 18446744073709551615];
  optional sint32 octal = 5 [default = 017];
  optional double d = 6 [default = -1.5e-3];
  optional float f = 7 [default = inf];
  optional float g = 8 [default = -inf];
  optional double h = 9 [default = nan];
  optional double whole = 10 [default = 3];
  optional bool b = 11 [default = true];
  optional string s = 12 [default = "a\\"b\\n\\x41\\101\\u00e9", json_name = "str"];
  optional bytes raw = 13 [default = "\\000\\377\\xff"];
  optional Tone tone = 14 [default = LOUD];
  optional fixed64 f64 = 15 [deprecated = true, default = 0];
  optional float dot = 16 [default = .5];
}`;

describe('proto2: defaults, groups, required, closed enums', () => {
  it('loads every kind of default, and shows only what is on the wire', () => {
    const schema = schemaOf(parse(DEFAULTS));
    expect(schema.messages.get('d.Defaults')?.fields).toHaveLength(16);
    // Absent fields are not shown, defaults included, as for proto3's zero values.
    const bytes = writer()
      .uint32(1 << 3)
      .int32(5)
      .finish();
    expect(decoded(schema, 'd.Defaults', new Uint8Array(0))).toEqual({});
    expect(decoded(schema, 'd.Defaults', bytes)).toEqual({ i32: 5 });
  });

  it('refuses defaults that do not fit their field, with line and column', () => {
    const message = (field: string) =>
      `syntax = "proto2";\nenum E { A = 1; }\nmessage M {\n  ${field}\n}`;
    const cases: Array<[string, string]> = [
      [
        'optional int32 x = 1 [default = 2147483648];',
        "f0.proto:4:35: field x: default '2147483648' is not a valid int32",
      ],
      ['optional uint32 x = 1 [default = -1];', "default '-1' is not a valid uint32"],
      ['optional int32 x = 1 [default = 1.5];', "default '1.5' is not a valid int32"],
      ['optional int32 x = 1 [default = "1"];', "default '1' is not a valid int32"],
      ['optional bool x = 1 [default = yes];', "default 'yes' is not true or false"],
      ['optional string x = 1 [default = abc];', 'a string default is written in quotes'],
      ['optional double x = 1 [default = pi];', "default 'pi' is not a number"],
      ['optional E x = 1 [default = B];', "default 'B' is not a value of E"],
      ['repeated int32 x = 1 [default = 1];', 'a repeated field takes no default'],
      ['optional M x = 1 [default = 1];', 'a message field takes no default'],
      ['optional int32 x = 1 [default = { a: 1 }];', 'a default is a single value'],
    ];
    for (const [field, expected] of cases) {
      const result = parse(message(field));
      expect('error' in result ? result.error : 'no error', field).toContain(expected);
    }
    const proto3 = parse('syntax = "proto3";\nmessage M { int32 x = 1 [default = 1]; }');
    expect('error' in proto3 && proto3.error).toBe('f0.proto:2:36: proto3 fields take no default');
  });

  it('reads groups (nested, repeated, in a oneof) between START_GROUP and END_GROUP', () => {
    const schema = schemaOf(
      parse(`syntax = "proto2"; package g;
        message Search {
          repeated group Result = 1 {
            required string url = 2;
            optional group Meta = 3 { optional int32 rank = 4; }
          }
          oneof pick { group Chosen = 5 { optional string why = 6; } string none = 7; }
        }`),
    );
    const search = schema.messages.get('g.Search')!;
    expect(search.fields.map((f) => [f.name, f.label, f.group, f.oneof])).toEqual([
      ['result', 'repeated', true, undefined],
      ['chosen', 'optional', true, 'pick'],
      ['none', 'optional', undefined, 'pick'],
    ]);
    expect(schema.messages.get('g.Search.Result')?.fields[0]?.label).toBe('required');
    const bytes = writer()
      .uint32((1 << 3) | 3)
      .uint32((2 << 3) | 2)
      .string('a.example')
      .uint32((3 << 3) | 3)
      .uint32(4 << 3)
      .int32(1)
      .uint32((3 << 3) | 4)
      .uint32((1 << 3) | 4)
      .uint32((1 << 3) | 3)
      .uint32((2 << 3) | 2)
      .string('b.example') // a required field missing elsewhere is no error: what came is shown
      .uint32((1 << 3) | 4)
      .uint32((5 << 3) | 3)
      .uint32((6 << 3) | 2)
      .string('best')
      .uint32((5 << 3) | 4)
      .finish();
    expect(decoded(schema, 'g.Search', bytes)).toEqual({
      result: [{ url: 'a.example', meta: { rank: 1 } }, { url: 'b.example' }],
      chosen: { why: 'best' },
    });
  });

  it('keeps numbers a proto2 enum lacks as unknown fields; accepts either packing', () => {
    const schema = schemaOf(
      parse(`syntax = "proto2"; package c;
        enum Kind { A = 1; B = 2; }
        message M {
          optional Kind kind = 1;
          repeated Kind kinds = 2;
          repeated int32 packed = 3 [packed = true];
          repeated int32 plain = 4;
        }`),
    );
    expect(schema.enums.get('c.Kind')?.closed).toBe(true);
    const fields = schema.messages.get('c.M')!.fields;
    expect(fields.map((f) => f.packed)).toEqual([undefined, undefined, true, undefined]);
    const bytes = writer()
      .uint32(1 << 3)
      .int32(3)
      .uint32(2 << 3)
      .int32(2)
      .uint32((2 << 3) | 2)
      .fork()
      .int32(1)
      .int32(0)
      .ldelim()
      .uint32(3 << 3) // unpacked, though declared packed
      .int32(7)
      .uint32((4 << 3) | 2) // packed, though declared unpacked
      .fork()
      .int32(8)
      .int32(-9)
      .ldelim()
      .finish();
    expect(decoded(schema, 'c.M', bytes)).toEqual({
      kinds: ['B', 'A'],
      packed: [7],
      plain: [8, -9],
      _unknown: { '1': 3, '2': 0 },
    });
  });
});
