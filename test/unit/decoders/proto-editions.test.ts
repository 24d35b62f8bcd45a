import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  type FieldDef,
  type ProtoSchema,
  parseDescriptorSet,
} from '../../../src/decoders/proto-schema';
import { loadDescriptorExtension } from './proto-fixtures';
import { decoded, parse, schemaOf } from './proto-test-helpers';

const fieldsOf = (schema: ProtoSchema, type: string): Record<string, FieldDef> =>
  Object.fromEntries((schema.messages.get(type)?.fields ?? []).map((f) => [f.name, f]));

const writer = () => protobuf.Writer.create();

// Features are set where protoc allows them: file, field, and enum_type on enums.
const EDITION_2023 = `edition = "2023";
package ed;
option features.enum_type = CLOSED;
option features.repeated_field_encoding = EXPANDED;

enum Level { LEVEL_UNKNOWN = 0; LOW = 1; HIGH = 2; }
enum Mood { option features.enum_type = OPEN; MOOD_UNKNOWN = 0; HAPPY = 1; }
message Inner { int32 v = 1; }
message Reading {
  repeated int32 expanded = 1;
  repeated int32 packed = 2 [features.repeated_field_encoding = PACKED];
  Inner delimited = 3 [features.message_encoding = DELIMITED];
  Inner prefixed = 4;
  int32 must = 5 [features.field_presence = LEGACY_REQUIRED];
  int32 implicit = 6 [features.field_presence = IMPLICIT];
  Level level = 7;
  repeated Level levels = 8 [features.repeated_field_encoding = PACKED];
  map<string, Level> by_name = 9;
  Mood mood = 10;
  message Nested { repeated sint32 deltas = 1; }
  repeated Nested nested = 11 [features.message_encoding = DELIMITED];
}`;

const EDITION_2024 = `edition = "2024";
package ed24;
option features.message_encoding = DELIMITED;
export message Item { int32 id = 1; }
local enum Color { COLOR_UNKNOWN = 0; RED = 1; }
message Box {
  Item item = 1;
  repeated Item items = 2;
  map<int32, Item> by_id = 3;
  repeated Color colors = 4;
  repeated string names = 5;
}`;

describe('editions: features resolved file → message → field', () => {
  const schema = schemaOf(parse(EDITION_2023, EDITION_2024));

  it('applies repeated_field_encoding, message_encoding and field_presence to fields', () => {
    const fields = fieldsOf(schema, 'ed.Reading');
    expect(fields.expanded).toEqual({
      name: 'expanded',
      number: 1,
      label: 'repeated',
      type: { kind: 'scalar', scalar: 'int32' },
    });
    expect(fields.packed?.packed).toBe(true);
    expect(fields.delimited).toMatchObject({ group: true, type: { name: 'ed.Inner' } });
    expect(fields.prefixed?.group).toBeUndefined();
    expect(fields.must?.label).toBe('required');
    expect(fields.implicit?.label).toBe('optional');
    expect(fields.levels?.packed).toBe(true);
    expect(fields.by_name?.packed).toBeUndefined();
    expect(fields.nested).toMatchObject({ label: 'repeated', group: true });
    // The file's EXPANDED reaches fields of nested messages too.
    expect(fieldsOf(schema, 'ed.Reading.Nested').deltas?.packed).toBeUndefined();
  });

  it('closes enums by enum_type, on the file or the enum itself', () => {
    expect(schema.enums.get('ed.Level')?.closed).toBe(true);
    expect(schema.enums.get('ed.Mood')?.closed).toBeUndefined();
    expect(schema.enums.get('ed24.Color')?.closed).toBeUndefined();
  });

  it('uses 2024 defaults; a file-wide DELIMITED leaves map fields length-prefixed', () => {
    const fields = fieldsOf(schema, 'ed24.Box');
    expect(fields.item?.group).toBe(true);
    expect(fields.items?.group).toBe(true);
    expect(fields.by_id?.group).toBeUndefined();
    expect(fields.colors?.packed).toBe(true);
    expect(fields.names?.packed).toBeUndefined();
  });

  it('decodes delimited messages, both packings, and closed enums as protobuf does', () => {
    const entry = (key: string, value: number) =>
      writer()
        .uint32((1 << 3) | 2)
        .string(key)
        .uint32(2 << 3)
        .int32(value)
        .finish();
    const bytes = writer()
      .uint32(1 << 3)
      .int32(1)
      .uint32(1 << 3)
      .int32(2)
      .uint32((1 << 3) | 2) // packed, though declared EXPANDED
      .fork()
      .int32(3)
      .ldelim()
      .uint32((2 << 3) | 2)
      .fork()
      .int32(4)
      .int32(5)
      .ldelim()
      .uint32(2 << 3) // unpacked, though declared PACKED
      .int32(6)
      .uint32((3 << 3) | 3)
      .uint32(1 << 3)
      .int32(7)
      .uint32((3 << 3) | 4)
      .uint32((4 << 3) | 2)
      .fork()
      .uint32(1 << 3)
      .int32(8)
      .ldelim()
      .uint32(5 << 3)
      .int32(1)
      .uint32(7 << 3)
      .int32(2)
      .uint32(7 << 3)
      .int32(9) // not in the closed enum Level: kept as unknown, HIGH stays
      .uint32(7 << 3)
      .int32(-3)
      .uint32((8 << 3) | 2)
      .fork()
      .int32(1)
      .int32(5)
      .int32(2)
      .ldelim()
      .uint32((9 << 3) | 2)
      .bytes(entry('a', 1))
      .uint32((9 << 3) | 2)
      .bytes(entry('b', 7))
      .uint32(10 << 3)
      .int32(5) // Mood is open: the number is the value
      .uint32((11 << 3) | 3)
      .uint32(1 << 3)
      .sint32(-1)
      .uint32((11 << 3) | 4)
      .finish();
    expect(decoded(schema, 'ed.Reading', bytes)).toEqual({
      expanded: [1, 2, 3],
      packed: [4, 5, 6],
      delimited: { v: 7 },
      prefixed: { v: 8 },
      must: 1,
      level: 'HIGH',
      levels: ['LOW', 'HIGH'],
      by_name: { a: 'LOW' },
      mood: 5,
      nested: [{ deltas: [-1] }],
      _unknown: { '7': [9, -3], '8': 5, '9': { '1': 'b', '2': 7 } },
    });
  });

  it('applies a features = { … } aggregate as the single settings would', () => {
    const aggregate = schemaOf(
      parse(`edition = "2023";
package agg;
option features = { enum_type: CLOSED, repeated_field_encoding: EXPANDED; [pb.cpp] { legacy_closed_enum: true } };
enum Level { LEVEL_UNKNOWN = 0; HIGH = 1; }
message Inner { int32 v = 1; }
message M {
  repeated int32 plain = 1;
  repeated int32 packed = 2 [features = { repeated_field_encoding: PACKED }];
  Inner delimited = 3 [features = { message_encoding: DELIMITED field_presence: EXPLICIT }];
}`),
    );
    const fields = fieldsOf(aggregate, 'agg.M');
    expect(fields.plain?.packed).toBeUndefined();
    expect(fields.packed?.packed).toBe(true);
    expect(fields.delimited).toMatchObject({ group: true, type: { name: 'agg.Inner' } });
    expect(aggregate.enums.get('agg.Level')?.closed).toBe(true);
    const wrong = parse('edition = "2023";\noption features = { enum_type: SHUT };');
    expect('error' in wrong ? wrong.error : 'no error').toContain(
      "f0.proto:2:32: 'SHUT' is not a value of features.enum_type",
    );
  });

  it('reports features and labels that editions or older syntaxes refuse', () => {
    const cases: Array<[string, string]> = [
      [
        'syntax = "proto3";\noption features.enum_type = CLOSED;',
        "f0.proto:2:29: 'features.enum_type' needs editions, not proto3",
      ],
      [
        'edition = "2023";\noption features.enum_type = SHUT;',
        "f0.proto:2:29: 'SHUT' is not a value of features.enum_type",
      ],
      ['edition = "2023";\noption features.colour = RED;', "unknown feature 'colour'"],
      // Each feature only where descriptor.proto's targets allow it, as protoc checks.
      [
        'edition = "2023";\nmessage M { option features.field_presence = IMPLICIT; }',
        'features.field_presence cannot be set on a message',
      ],
      [
        'edition = "2023";\nmessage M { int32 x = 1 [features.enum_type = OPEN]; }',
        'features.enum_type cannot be set on a field',
      ],
      [
        'edition = "2023";\nenum E { option features = { repeated_field_encoding: PACKED }; A = 0; }',
        'features.repeated_field_encoding cannot be set on an enum',
      ],
      [
        'edition = "2023";\nmessage M {\n  optional int32 x = 1;\n}',
        "f0.proto:3:3: 'optional' is not allowed in editions: use features.field_presence",
      ],
      [
        'edition = "2023";\nmessage M { repeated int32 x = 1 [packed = true]; }',
        'f0.proto:2:44: use features.repeated_field_encoding, not packed',
      ],
      ['edition = "2023";\nmessage M { group G = 1 {} }', 'groups are proto2 only'],
      ['edition = "2025";', 'f0.proto:1:11: unknown edition "2025" (2023 and 2024 are known)'],
      ['package p;\nedition = "2023";', "f0.proto:2:1: 'edition' must come first in the file"],
    ];
    for (const [text, expected] of cases) {
      const result = parse(text);
      expect('error' in result ? result.error : 'no error', text).toContain(expected);
    }
  });
});

const descriptor = loadDescriptorExtension();

describe.skipIf(!descriptor)('editions in a FileDescriptorSet', () => {
  it('reads FeatureSets from file, message, field and enum options like the source', () => {
    const set = descriptor!.FileDescriptorSet;
    const bytes = set
      .encode(
        set.fromObject({
          file: [
            {
              name: 'ed.proto',
              package: 'ed',
              syntax: 'editions',
              edition: 'EDITION_2023',
              options: { features: { enumType: 'CLOSED', repeatedFieldEncoding: 'EXPANDED' } },
              enumType: [
                { name: 'Level', value: [{ name: 'LEVEL_UNKNOWN', number: 0 }] },
                {
                  name: 'Mood',
                  value: [{ name: 'MOOD_UNKNOWN', number: 0 }],
                  options: { features: { enumType: 'OPEN' } },
                },
              ],
              messageType: [
                { name: 'Inner', field: [{ name: 'v', number: 1, label: 1, type: 5 }] },
                {
                  name: 'Reading',
                  field: [
                    { name: 'expanded', number: 1, label: 3, type: 5 },
                    {
                      name: 'packed',
                      number: 2,
                      label: 3,
                      type: 5,
                      options: { features: { repeatedFieldEncoding: 'PACKED' } },
                    },
                    {
                      name: 'delimited',
                      number: 3,
                      label: 1,
                      type: 11,
                      typeName: '.ed.Inner',
                      options: { features: { messageEncoding: 'DELIMITED' } },
                    },
                    {
                      name: 'must',
                      number: 5,
                      label: 1,
                      type: 5,
                      options: { features: { fieldPresence: 'LEGACY_REQUIRED' } },
                    },
                    { name: 'level', number: 7, label: 1, type: 14, typeName: '.ed.Level' },
                    { name: 'mood', number: 10, label: 1, type: 14, typeName: '.ed.Mood' },
                  ],
                },
              ],
            },
          ],
        }),
      )
      .finish();
    const fromSet = schemaOf(parseDescriptorSet(bytes));
    const fromText = schemaOf(
      parse(`edition = "2023"; package ed;
        option features.enum_type = CLOSED;
        option features.repeated_field_encoding = EXPANDED;
        enum Level { LEVEL_UNKNOWN = 0; }
        enum Mood { option features.enum_type = OPEN; MOOD_UNKNOWN = 0; }
        message Inner { int32 v = 1; }
        message Reading {
          repeated int32 expanded = 1;
          repeated int32 packed = 2 [features.repeated_field_encoding = PACKED];
          Inner delimited = 3 [features.message_encoding = DELIMITED];
          int32 must = 5 [features.field_presence = LEGACY_REQUIRED];
          Level level = 7;
          Mood mood = 10;
        }`),
    );
    expect(fromSet.files[0]?.syntax).toBe('edition 2023');
    expect(fromSet.messages).toEqual(fromText.messages);
    expect(fromSet.enums).toEqual(fromText.enums);
    expect(fieldsOf(fromSet, 'ed.Reading').delimited?.group).toBe(true);
    expect(fromSet.enums.get('ed.Level')?.closed).toBe(true);
  });
});
