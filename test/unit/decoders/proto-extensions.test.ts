import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  type ProtoSchema,
  parseDescriptorSet,
  parseProtoFiles,
} from '../../../src/decoders/proto-schema';
import { loadDescriptorExtension } from './proto-fixtures';
import { decoded, errorOf, parse, schemaOf } from './proto-test-helpers';

const writer = () => protobuf.Writer.create();

const BASE = `syntax = "proto2";
package shop;
message Order {
  optional int32 id = 1;
  extensions 100 to 199;
  extensions 1000 to max;
}`;

const EXTENSIONS = `syntax = "proto2";
package shop.ext;
import "base.proto";

message Money { optional int64 cents = 1; }

extend shop.Order {
  optional string note = 100;
  repeated sint32 marks = 101;
  optional Money total = 102;
  optional group Gift = 103 { optional string to = 1; }
}

message Promo {
  enum Kind { NONE = 0; SALE = 1; }
  extend shop.Order {
    optional Kind kind = 150;
    optional Money refund = 1000;
  }
}`;

const FILES = [
  { name: 'base.proto', text: BASE },
  { name: 'ext.proto', text: EXTENSIONS },
];

describe('extensions from .proto source', () => {
  const schema = schemaOf(parseProtoFiles(FILES));

  it('attaches top-level and nested extend blocks to the extended message', () => {
    const order = schema.messages.get('shop.Order')!;
    expect(order.fields.map((field) => field.name)).toEqual(['id']);
    expect(order.extensions).toEqual([
      {
        name: '[shop.ext.note]',
        number: 100,
        label: 'optional',
        type: { kind: 'scalar', scalar: 'string' },
      },
      {
        name: '[shop.ext.marks]',
        number: 101,
        label: 'repeated',
        type: { kind: 'scalar', scalar: 'sint32' },
      },
      {
        name: '[shop.ext.total]',
        number: 102,
        label: 'optional',
        type: { kind: 'message', name: 'shop.ext.Money' },
      },
      {
        name: '[shop.ext.gift]',
        number: 103,
        label: 'optional',
        type: { kind: 'message', name: 'shop.ext.Gift' },
        group: true,
      },
      // Named and resolved inside Promo: `Kind` is Promo.Kind.
      {
        name: '[shop.ext.Promo.kind]',
        number: 150,
        label: 'optional',
        type: { kind: 'enum', name: 'shop.ext.Promo.Kind' },
      },
      {
        name: '[shop.ext.Promo.refund]',
        number: 1000,
        label: 'optional',
        type: { kind: 'message', name: 'shop.ext.Money' },
      },
    ]);
    expect(schema.messages.has('shop.ext.Gift')).toBe(true);
  });

  it('decodes extensions by their bracketed full names; other numbers stay unknown', () => {
    const bytes = writer()
      .uint32((1 << 3) | 0)
      .int32(7)
      .uint32((100 << 3) | 2)
      .string('leave at door')
      .uint32((101 << 3) | 0)
      .sint32(-2)
      .uint32((101 << 3) | 2)
      .fork()
      .sint32(3)
      .sint32(-4)
      .ldelim()
      .uint32((102 << 3) | 2)
      .fork()
      .uint32(1 << 3)
      .int64(1999)
      .ldelim()
      .uint32((103 << 3) | 3)
      .uint32((1 << 3) | 2)
      .string('Ann')
      .uint32((103 << 3) | 4)
      .uint32((150 << 3) | 0)
      .int32(1)
      .uint32((1000 << 3) | 2)
      .fork()
      .uint32(1 << 3)
      .int64(5)
      .ldelim()
      .uint32((120 << 3) | 0)
      .int32(9)
      .finish();
    expect(decoded(schema, 'shop.Order', bytes)).toEqual({
      id: 7,
      '[shop.ext.note]': 'leave at door',
      '[shop.ext.marks]': [-2, 3, -4],
      '[shop.ext.total]': { cents: 1999 },
      '[shop.ext.gift]': { to: 'Ann' },
      '[shop.ext.Promo.kind]': 'SALE',
      '[shop.ext.Promo.refund]': { cents: 5 },
      _unknown: { '120': 9 },
    });
  });

  it('resolves the extendee with the usual scoping rules', () => {
    const nested = schemaOf(
      parse(`syntax = "proto2"; package a.b;
        message Outer {
          message Target { extensions 10 to 20; }
          extend Target { optional int32 near = 10; }
        }
        message Target { extensions 10 to 20; }
        extend Target { optional int32 far = 10; }
        extend .a.b.Outer.Target { optional bool absolute = 11; }`),
    );
    expect(nested.messages.get('a.b.Outer.Target')?.extensions?.map((f) => f.name)).toEqual([
      '[a.b.Outer.near]',
      '[a.b.absolute]',
    ]);
    expect(nested.messages.get('a.b.Target')?.extensions?.map((f) => f.name)).toEqual([
      '[a.b.far]',
    ]);
  });

  it('leaves custom options out when descriptor.proto is not loaded', () => {
    const options = `syntax = "proto3"; package opts;
      import "google/protobuf/descriptor.proto";
      extend google.protobuf.FieldOptions { string label = 50001; }
      message M { string x = 1 [(opts.label) = "X"]; }`;
    expect([...schemaOf(parse(options)).messages.keys()]).toEqual(['opts.M']);
  });

  it('reports extensions protoc would refuse, with line and column', () => {
    const cases: Array<[string, string]> = [
      [
        `${BASE}\nextend Order { optional int32 x = 5; }`,
        'f0.proto:8:16: extension shop.x: shop.Order declares no extension range holding 5',
      ],
      [
        `${BASE}\nextend Order {\n optional int32 x = 100;\n optional int32 y = 100; }`,
        'f0.proto:10:2: extension shop.y: number 100 is already [shop.x] of shop.Order',
      ],
      [
        `${BASE}\nextend Missing { optional int32 x = 100; }`,
        "f0.proto:8:18: extension shop.x: unknown message 'Missing' to extend",
      ],
      [
        `${BASE}\nextend Order { optional Nope x = 100; }`,
        "f0.proto:8:16: extension shop.x: unknown type 'Nope'",
      ],
      [
        `${BASE}\nextend Order { required int32 x = 100; }`,
        'f0.proto:8:16: extension shop.x: an extension cannot be required',
      ],
      [`${BASE}\nextend Order { map<string, int32> x = 100; }`, 'an extension cannot be a map'],
      [
        `${BASE}\nextend Order { optional int32 Order = 100; }`,
        "f0.proto:8:16: 'shop.Order' is already defined (at f0.proto:3:9)",
      ],
      [`${BASE}\nextend Order { optional int32 x = 100 }`, "f0.proto:8:39: expected ';'"],
    ];
    for (const [text, expected] of cases) {
      expect(errorOf(parse(text)), text).toContain(expected);
    }
  });
});

const descriptor = loadDescriptorExtension();

describe.skipIf(!descriptor)('extensions from a FileDescriptorSet', () => {
  it('reads FieldDescriptorProtos with an extendee, at file level and in messages', () => {
    const set = descriptor!.FileDescriptorSet;
    const bytes = set
      .encode(
        set.fromObject({
          file: [
            {
              name: 'shop.proto',
              package: 'shop',
              messageType: [
                {
                  name: 'Order',
                  field: [{ name: 'id', number: 1, label: 1, type: 5 }],
                  extensionRange: [{ start: 100, end: 200 }],
                },
                {
                  name: 'Promo',
                  extension: [
                    { name: 'code', number: 150, label: 1, type: 9, extendee: '.shop.Order' },
                  ],
                },
              ],
              extension: [
                { name: 'note', number: 100, label: 1, type: 9, extendee: '.shop.Order' },
                {
                  name: 'promo',
                  number: 101,
                  label: 3,
                  type: 11,
                  typeName: '.shop.Promo',
                  extendee: '.shop.Order',
                },
              ],
            },
          ],
        }),
      )
      .finish();
    const schema = schemaOf(parseDescriptorSet(bytes));
    const text = schemaOf(
      parse(`syntax = "proto2"; package shop;
        message Order { optional int32 id = 1; extensions 100 to 199; }
        message Promo { extend Order { optional string code = 150; } }
        extend Order { optional string note = 100; repeated Promo promo = 101; }`),
    );
    expect(schema.messages.get('shop.Order')?.extensions?.map((f) => f.name)).toEqual([
      '[shop.Promo.code]',
      '[shop.note]',
      '[shop.promo]',
    ]);
    const sorted = (s: ProtoSchema) =>
      [...(s.messages.get('shop.Order')?.extensions ?? [])].sort((a, b) => a.number - b.number);
    expect(sorted(schema)).toEqual(sorted(text));
    const frame = writer()
      .uint32((100 << 3) | 2)
      .string('hi')
      .uint32((150 << 3) | 2)
      .string('SAVE')
      .finish();
    expect(decoded(schema, 'shop.Order', frame)).toEqual({
      '[shop.note]': 'hi',
      '[shop.Promo.code]': 'SAVE',
    });
  });
});
