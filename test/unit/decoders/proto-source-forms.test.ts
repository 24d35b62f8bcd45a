import { describe, expect, it } from 'vitest';
import { parseProtoFiles } from '../../../src/decoders/proto-schema';
import { parse } from './proto-test-helpers';

const loads = (...texts: string[]) => {
  const result = parse(...texts);
  return 'error' in result ? result.error : 'loaded';
};

const COMMON = `syntax = "proto2";
package lib;
message Shared { optional int32 id = 1; extensions 100 to max; }
enum Flag { FLAG_OFF = 0; FLAG_ON = 1; }`;

// Forms protoc accepts that a decoder could trip on; each line is valid.
const PROTO2_FORMS = `\ufeff// A byte order mark, then a comment.
syntax = "proto2";
package forms.v1;
import public "lib.proto";
import weak "other.proto";
option (my.file_opt) = { list: [1, 2, { a: "}" }] nested < deep { x: ";" } > };
option (my.file_opt).sub.(more.ext) = -inf;

message Outer {
  option (my.msg_opt) = { a: { b: { c: [] } } };
  message Inner { optional string v = 1; }
  map<string, Inner> by_name = 1;
  map<int64, .lib.Flag> flags = 2 [(my.field_opt) = { k: 1 }];
  map<bool, lib.Shared> shared = 3;
  oneof choice {
    option (my.oneof_opt) = true;
    Inner inner = 4 [deprecated = true];
    group Picked = 5 { optional int32 n = 1; map<uint32, bytes> blobs = 2; }
  }
  reserved 6, 8 to 10, 20 to max;
  reserved "old", 'older';
  extensions 11 to 15 [(my.range_opt) = 1, verification = UNVERIFIED];
  optional int32 message = 16;
  optional int32 option = 17;
  optional int32 map = 18;
  optional int32 group = 19;
  extend lib.Shared { optional Inner shared_inner = 100; }
  enum Num { option allow_alias = true; NONE = 0 [deprecated = true]; ZERO = 0; NEG = -0x10; reserved 5 to max, "GONE"; }
}

service Feed {
  option (my.svc_opt) = { a: 1 };
  rpc Watch (stream Outer) returns (stream Outer.Inner) { option idempotency_level = NO_SIDE_EFFECTS; }
  rpc Get (Outer) returns (Outer);
}`;

const PROTO3_FORMS = `syntax = "proto3";
package forms.three;
import "f1.proto";
message M {
  optional string maybe = 1;
  repeated forms.v1.Outer.Inner inners = 2 [packed = false];
  map<sfixed64, M> children = 3;
  oneof o { string a = 4; M b = 5; }
  reserved 6 to 7;
  reserved "x";
}`;

const EDITION_2024_FORMS = `edition = "2024";
package forms.ed;
import option "f1.proto";
option features.(pb.cpp).legacy_closed_enum = true;
option features.utf8_validation = NONE;
export message A {
  local message B { int32 x = 1; }
  B b = 1 [features.message_encoding = DELIMITED];
  reserved one, two;
  export enum E { E_UNKNOWN = 0; reserved GONE; }
}`;

describe('valid .proto forms load', () => {
  it('proto2 with aggregate options, maps everywhere, oneof groups, streams, keywords as names', () => {
    const result = parseProtoFiles([
      { name: 'lib.proto', text: COMMON },
      { name: 'f1.proto', text: PROTO2_FORMS },
      { name: 'f2.proto', text: PROTO3_FORMS },
      { name: 'f3.proto', text: EDITION_2024_FORMS },
    ]);
    if ('error' in result) throw new Error(result.error);
    const outer = result.schema.messages.get('forms.v1.Outer')!;
    expect(outer.fields.map((f) => f.name)).toEqual([
      'by_name',
      'flags',
      'shared',
      'inner',
      'picked',
      'message',
      'option',
      'map',
      'group',
    ]);
    expect(outer.fields[1]).toMatchObject({ mapKey: 'int64', type: { name: 'lib.Flag' } });
    expect(result.schema.messages.get('forms.v1.Outer.Picked')?.fields[1]).toMatchObject({
      mapKey: 'uint32',
    });
    expect(result.schema.messages.get('lib.Shared')?.extensions?.[0]?.name).toBe(
      '[forms.v1.Outer.shared_inner]',
    );
    expect(result.schema.enums.get('forms.v1.Outer.Num')?.values.map((v) => v.number)).toEqual([
      0, 0, -16,
    ]);
    expect(result.schema.messages.get('forms.three.M')?.fields[1]?.packed).toBeUndefined();
    expect(result.schema.messages.get('forms.ed.A')?.fields[0]?.group).toBe(true);
    expect(result.schema.files.map((file) => file.imports)).toEqual([
      [],
      ['lib.proto', 'other.proto'],
      ['f1.proto'],
      ['f1.proto'],
    ]);
  });
});

describe('invalid .proto forms give line and column', () => {
  it('names where the problem is', () => {
    const cases: Array<[string, string]> = [
      [
        'message A {\n  int32 x = 1 [packed = maybe];\n}',
        'f0.proto:2:25: packed takes true or false',
      ],
      ['message A {\n  int32 x = 1 [default];\n}', "f0.proto:2:23: expected '=', found ']'"],
      ['option (a.b = 1;', "f0.proto:1:13: expected ')', found '='"],
      ['option x = ;', 'f0.proto:1:12: expected an option value'],
      ['message A { extensions 5 to 3; }', 'f0.proto:1:24: range 5 to 3 is empty'],
      [
        'syntax = "proto3";\nmessage A { required int32 x = 1; }',
        'f0.proto:2:13: proto3 has no required fields',
      ],
      ['syntax = "proto3";\nmessage A { optional group G = 1 {} }', 'groups are proto2 only'],
      ['message A { oneof o { int32 x = 1; ', 'oneof o is not closed'],
      ['enum E { A = 1;', 'enum E is not closed'],
      ['extend A { optional int32 x = 1;', 'extend A is not closed'],
    ];
    for (const [text, expected] of cases) {
      expect(loads(text), text).toContain(expected);
    }
  });
});
