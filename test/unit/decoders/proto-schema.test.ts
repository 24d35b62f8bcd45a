import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  type FieldDef,
  type ProtoSchema,
  parseDescriptorSet,
  parseProtoFiles,
} from '../../../src/decoders/proto-schema';
import {
  CHAT_FILES,
  CHAT_PROTO,
  COMMON_PROTO,
  descriptorSetOf,
  LEGACY_PROTO,
  loadDescriptorExtension,
  protobufjsRoot,
} from './proto-fixtures';
import { errorOf, parse, schemaOf } from './proto-test-helpers';

function field(schema: ProtoSchema, type: string, name: string): FieldDef {
  const found = schema.messages.get(type)?.fields.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no field ${type}.${name}`);
  return found;
}

describe('.proto parsing', () => {
  it('reads packages, imports, nested types, enums, maps, oneofs and options', () => {
    const schema = schemaOf(parseProtoFiles(CHAT_FILES));
    expect([...schema.messages.keys()]).toEqual([
      'acme.common.Timestamp',
      'acme.chat.v1.ChatEvent',
      'acme.chat.v1.ChatEvent.Author',
      'acme.chat.v1.ChatEvent.Message',
      'acme.chat.v1.ChatEvent.Typing',
    ]);
    expect([...schema.enums.keys()]).toEqual([
      'acme.common.Priority',
      'acme.chat.v1.ChatEvent.Author.Role',
    ]);
    expect(schema.files).toEqual([
      { name: 'common/types.proto', package: 'acme.common', syntax: 'proto3', imports: [] },
      {
        name: 'chat/v1/chat.proto',
        package: 'acme.chat.v1',
        syntax: 'proto3',
        imports: ['common/types.proto'],
      },
    ]);
    const event = 'acme.chat.v1.ChatEvent';
    expect(field(schema, event, 'sent_at')).toEqual({
      name: 'sent_at',
      number: 2,
      label: 'optional',
      type: { kind: 'message', name: 'acme.common.Timestamp' },
    });
    expect(field(schema, event, 'participants')).toMatchObject({
      label: 'repeated',
      mapKey: 'string',
      type: { kind: 'message', name: 'acme.chat.v1.ChatEvent.Author' },
    });
    expect(field(schema, event, 'labels')).toMatchObject({
      mapKey: 'int32',
      type: { kind: 'scalar', scalar: 'string' },
    });
    expect(field(schema, event, 'priorities').type).toEqual({
      kind: 'enum',
      name: 'acme.common.Priority',
    });
    expect(field(schema, event, 'roles')).toMatchObject({
      label: 'repeated',
      type: { kind: 'enum', name: 'acme.chat.v1.ChatEvent.Author.Role' },
    });
    expect(
      schema.messages
        .get(event)
        ?.fields.filter((candidate) => candidate.oneof === 'payload')
        .map((candidate) => candidate.name),
    ).toEqual(['message', 'typing', 'system_notice']);
    expect(field(schema, event, 'topic').oneof).toBeUndefined();
    expect(schema.enums.get('acme.chat.v1.ChatEvent.Author.Role')?.values).toEqual([
      { name: 'ROLE_UNSPECIFIED', number: 0 },
      { name: 'MEMBER', number: 1 },
      { name: 'ADMIN', number: 2 },
      { name: 'OWNER', number: 2 },
    ]);
  });

  it('reads proto2: required, groups, defaults; skips extensions and extend blocks', () => {
    const schema = schemaOf(parse(LEGACY_PROTO));
    expect(schema.files[0]?.syntax).toBe('proto2');
    expect(field(schema, 'legacy.Envelope', 'version').label).toBe('required');
    expect(field(schema, 'legacy.Envelope', 'header')).toEqual({
      name: 'header',
      number: 6,
      label: 'optional',
      type: { kind: 'message', name: 'legacy.Envelope.Header' },
      group: true,
    });
    expect(schema.messages.get('legacy.Envelope')?.fields.map((f) => f.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]);
  });

  it('resolves names innermost scope first, across files and packages', () => {
    const schema = schemaOf(
      parse(
        `syntax = "proto3"; package a.b;
         message Inner { int32 outer = 1; }
         message Outer {
           message Inner { string inner = 1; }
           Inner near = 1;
           .a.b.Inner far = 2;
           c.T other_package = 3;
           b.Inner via_package = 4;
         }`,
        `syntax = "proto3"; package a.c; message T {}`,
      ),
    );
    expect(field(schema, 'a.b.Outer', 'near').type).toEqual({
      kind: 'message',
      name: 'a.b.Outer.Inner',
    });
    expect(field(schema, 'a.b.Outer', 'far').type).toMatchObject({ name: 'a.b.Inner' });
    expect(field(schema, 'a.b.Outer', 'other_package').type).toMatchObject({ name: 'a.c.T' });
    expect(field(schema, 'a.b.Outer', 'via_package').type).toMatchObject({ name: 'a.b.Inner' });
  });

  it('follows protoc when a dotted name starts with a nearer name', () => {
    // The first part found as a message fixes the scope, even if an outer scope would match…
    expect(
      errorOf(
        parse(`package p;
          message Foo { message Bar {} }
          message Baz {
            message Foo {}
            optional Foo.Bar x = 1;
          }`),
      ),
    ).toBe("f0.proto:5:13: field p.Baz.x: unknown type 'Foo.Bar'");
    // …but an enum cannot hold types, so the search goes on outwards.
    const schema = schemaOf(
      parse(`package p;
        message Foo { message Bar {} }
        message Baz {
          enum Foo { X = 0; }
          optional Foo.Bar x = 1;
        }`),
    );
    expect(field(schema, 'p.Baz', 'x').type).toMatchObject({ name: 'p.Foo.Bar' });
  });

  it('takes comments, option values, joined strings, editions and number forms', () => {
    const schema = schemaOf(
      parse(`// leading comment
        edition = "20" '23';
        package /* inline */ x;
        import public "a.proto"; import weak "b.proto";
        option (my.opt) = { name: "}" list: [1, 2] nested < a: "]" > f: -1.5e+3 };
        message M {
          option (m) = { a: { b: ";" } };
          int32 hex = 0x10 [(f).x = "[", default = 0];
          int32 octal = 017;
          reserved 1 to 3, 100 to max;
          reserved "gone", 'old';
          ;
          extensions 1000 to 2000 [verification = UNVERIFIED];
          enum E { option allow_alias = true; NEG = -1; ZERO = 0; reserved 5 to 9, "X"; }
          repeated E e = 20 [features.repeated_field_encoding = EXPANDED];
        }
        service S { rpc A (M) returns (stream M); }`),
    );
    expect(schema.files[0]).toEqual({
      name: 'f0.proto',
      package: 'x',
      syntax: 'edition 2023',
      imports: ['a.proto', 'b.proto'],
    });
    expect(schema.messages.get('x.M')?.fields.map((f) => [f.name, f.number])).toEqual([
      ['hex', 16],
      ['octal', 15],
      ['e', 20],
    ]);
    expect(schema.enums.get('x.M.E')?.values).toEqual([
      { name: 'NEG', number: -1 },
      { name: 'ZERO', number: 0 },
    ]);
  });

  it('reports malformed sources with file, line and column, and never throws', () => {
    const cases: Array<[string[], string]> = [
      [['message A { int32 x = 1 }'], "f0.proto:1:25: expected ';', found '}'"],
      [
        ['syntax = "proto3";\nmessage A {\n  Missing x = 1;\n}'],
        "f0.proto:3:3: field A.x: unknown type 'Missing'",
      ],
      [
        ['message A {\n int32 x = 1;\n int32 y = 1;\n}'],
        'f0.proto:3:2: field A.y: number 1 is used twice',
      ],
      [
        ['message A {\n int32 x = 1;\n string x = 2;\n}'],
        'f0.proto:3:2: field A.x: the name is used twice',
      ],
      [
        ['message A {\n reserved 4 to 6;\n int32 x = 5;\n}'],
        'f0.proto:3:2: field A.x: number 5 is reserved',
      ],
      [
        ['message A {\n reserved "x";\n int32 x = 5;\n}'],
        'f0.proto:3:2: field A.x: the name is reserved',
      ],
      [
        ['message A {\n int32 x = 0;\n}'],
        'f0.proto:2:12: field number 0 is outside 1 to 536870911',
      ],
      [['message A { int32 x = 536870912; }'], 'outside 1 to 536870911'],
      [['message A { int32 x = 1.5; }'], "f0.proto:1:23: expected a field number, found '1.5'"],
      [['message A { map<float, string> m = 1; }'], "f0.proto:1:17: 'float' cannot be a map key"],
      [['message A { repeated map<string, string> m = 1; }'], 'a map field takes no label'],
      [['message A { oneof o { repeated int32 x = 1; } }'], 'fields in a oneof take no label'],
      [['message A {\n /* never closed'], 'f0.proto:2:2: comment is not closed'],
      [['package p;\nimport "x\n";'], 'f0.proto:2:8: string is not closed on its line'],
      [['message A {\n'], 'f0.proto:2:1: message A is not closed'],
      [['message A { option (x) = { a: 1 '], 'f0.proto:1:33: unclosed bracket'],
      [['syntax = "proto4";'], 'f0.proto:1:10: unknown syntax "proto4"'],
      [['package a;\npackage b;'], 'f0.proto:2:1: a second package statement'],
      [['enum E {}'], 'f0.proto:1:6: enum E has no values'],
      [['enum E { A = 2147483648; }'], 'is not an int32'],
      [
        ['message A { int32 x = 1; }', '\n\nmessage A {}'],
        "f1.proto:3:9: 'A' is already defined (at f0.proto:1:9)",
      ],
      [
        ['message A { optional group g = 1 {} }'],
        'f0.proto:1:22: a group name starts with a capital',
      ],
      [['import "\\q";'], 'f0.proto:1:8: unknown escape \\q'],
      [['message 5 {}'], "f0.proto:1:9: expected a message name, found '5'"],
      [['}'], "f0.proto:1:1: expected a declaration, found '}'"],
      [['message A {\n option x = 1\n}\nmessage B {}'], "f0.proto:3:1: expected ';', found '}'"],
    ];
    for (const [texts, expected] of cases) {
      const result = parse(...texts);
      expect('error' in result ? result.error : 'no error', texts.join('|')).toContain(expected);
    }
  });

  it('bounds nesting, type count and text size', () => {
    const deep = `${'message M { '.repeat(200)}${'} '.repeat(200)}`;
    expect(errorOf(parse(deep))).toContain('messages nested deeper than 64');
    const many = Array.from({ length: 10_001 }, (_, i) => `message M${i} {}`).join('\n');
    expect(errorOf(parse(many))).toBe('f0.proto:10001:16: more than 10000 types');
    const huge = `// ${'x'.repeat(5 * 1024 * 1024)}`;
    expect(errorOf(parse(huge))).toContain('more than 5242880 characters');
    const bracketed = `option x = ${'['.repeat(100_000)};`;
    expect(errorOf(parse(bracketed))).toBe('f0.proto:1:12: expected an option value');
  });

  it('bounds name lengths, and checks many fields against many reserved ranges quickly', () => {
    expect(errorOf(parse(`message ${'N'.repeat(2000)} {}`))).toBe(
      'f0.proto:1:9: a name longer than 1024 characters',
    );
    const long = 'L'.repeat(1000);
    const nested = `${`message ${long} {\n`.repeat(6)}${'}'.repeat(6)}`;
    expect(errorOf(parse(nested))).toBe('f0.proto:5:9: a full name longer than 4096');
    expect(errorOf(parse(`package ${'p.'.repeat(150)}q;`))).toContain('package name is too long');
    const count = 30_000;
    const ranges = Array.from({ length: count }, (_, i) => `${2 * i + 2}`).join(', ');
    const fields = Array.from({ length: count }, (_, i) => `int32 f${i} = ${2 * i + 1};`);
    const started = Date.now();
    const schema = schemaOf(parse(`message Big { reserved ${ranges}; ${fields.join(' ')} }`));
    expect(schema.messages.get('Big')?.fields).toHaveLength(count);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('survives mangled sources: an error naming file and line, never an exception', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const noise = ['{', '}', ';', '=', '<', '>', '"', '/*', '//', '.', '0x', 'message', '-', '\n'];
    for (let round = 0; round < 400; round++) {
      let text = CHAT_PROTO;
      for (let edit = 0; edit < 1 + random(4); edit++) {
        const at = random(text.length);
        const cut = random(3) === 0 ? random(20) : 0;
        text = text.slice(0, at) + noise[random(noise.length)]! + text.slice(at + cut);
      }
      const result = parseProtoFiles([{ name: 'c.proto', text }, CHAT_FILES[0]!]);
      if ('error' in result) {
        expect(result.error).toMatch(/^c\.proto:\d+:\d+: |types\.proto:\d+:\d+: /);
      }
    }
  });
});

const descriptor = loadDescriptorExtension();

describe.skipIf(!descriptor)('FileDescriptorSet', () => {
  it('gives the same schema as the .proto text (proto3, two packages)', () => {
    const root = protobufjsRoot(COMMON_PROTO, CHAT_PROTO);
    const fromSet = schemaOf(parseDescriptorSet(descriptorSetOf(descriptor!, root, 'proto3')));
    const fromText = schemaOf(parseProtoFiles(CHAT_FILES));
    expect(fromSet.messages).toEqual(fromText.messages);
    expect(fromSet.enums).toEqual(fromText.enums);
    expect(fromSet.files.map((file) => [file.package, file.syntax])).toEqual([
      ['acme.common', 'proto3'],
      ['acme.chat.v1', 'proto3'],
    ]);
  });

  it('gives the same schema as the .proto text (proto2 groups, required)', () => {
    const root = protobufjsRoot(LEGACY_PROTO);
    const fromSet = schemaOf(parseDescriptorSet(descriptorSetOf(descriptor!, root, 'proto2')));
    const fromText = schemaOf(parse(LEGACY_PROTO));
    // protobufjs also lists the extension `note` among Envelope's fields, named `.legacy.note`
    // (protoc would not): the reader takes it once, from the file's extensions.
    expect(fromSet.messages.get('legacy.Envelope')?.extensions).toEqual([
      {
        name: '[legacy.note]',
        number: 100,
        label: 'optional',
        type: { kind: 'scalar', scalar: 'string' },
      },
    ]);
    expect(fromSet.messages).toEqual(fromText.messages);
    expect(fromSet.enums).toEqual(fromText.enums);
  });

  it('reads protoc-style absolute type names', () => {
    const set = descriptor!.FileDescriptorSet;
    const bytes = set
      .encode(
        set.fromObject({
          file: [
            {
              name: 'x.proto',
              package: 'x',
              messageType: [
                {
                  name: 'A',
                  field: [{ name: 'b', number: 1, label: 1, type: 11, typeName: '.x.A.B' }],
                  nestedType: [{ name: 'B' }],
                },
              ],
            },
          ],
        }),
      )
      .finish();
    const schema = schemaOf(parseDescriptorSet(bytes));
    expect(field(schema, 'x.A', 'b').type).toEqual({ kind: 'message', name: 'x.A.B' });
  });

  it('returns errors for broken or hostile descriptor sets, never throws', () => {
    const valid = descriptorSetOf(descriptor!, protobufjsRoot(COMMON_PROTO, CHAT_PROTO), 'proto3');
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const bytes = new Uint8Array(
        valid.subarray(0, random(3) ? valid.length : random(valid.length)),
      );
      for (let flips = random(4); flips >= 0; flips--) bytes[random(bytes.length)] = random(256);
      const result = parseDescriptorSet(bytes);
      expect('schema' in result || typeof result.error === 'string').toBe(true);
    }
    for (let round = 0; round < 200; round++) {
      const bytes = Uint8Array.from({ length: random(200) }, () => random(256));
      expect(() => parseDescriptorSet(bytes)).not.toThrow();
    }
  });
});

describe('FileDescriptorSet without protobufjs', () => {
  /** Wraps `inner` as a length-delimited field, nested `depth` times as DescriptorProto. */
  function nestedMessages(depth: number): Uint8Array {
    let message = protobuf.Writer.create().uint32(10).string('M').finish();
    for (let i = 0; i < depth; i++) {
      message = protobuf.Writer.create().uint32(10).string('M').uint32(26).bytes(message).finish();
    }
    const file = protobuf.Writer.create().uint32(34).bytes(message).finish();
    return protobuf.Writer.create().uint32(10).bytes(file).finish();
  }

  it('bounds message nesting', () => {
    expect('schema' in parseDescriptorSet(nestedMessages(10))).toBe(true);
    expect(errorOf(parseDescriptorSet(nestedMessages(100)))).toBe('messages nested deeper than 64');
  });

  it('rejects names that .proto source could not hold', () => {
    const fileWith = (message: Uint8Array, pkg = 'p') =>
      protobuf.Writer.create()
        .uint32(10)
        .bytes(
          protobuf.Writer.create()
            .uint32(10)
            .string('f.proto')
            .uint32(18)
            .string(pkg)
            .uint32(34)
            .bytes(message)
            .finish(),
        )
        .finish();
    const named = (name: string) => protobuf.Writer.create().uint32(10).string(name).finish();
    expect(errorOf(parseDescriptorSet(fileWith(named('a.b'))))).toBe(
      "f.proto: message name 'a.b' is not valid",
    );
    expect(errorOf(parseDescriptorSet(fileWith(named('A'), 'p..q')))).toBe(
      "f.proto: package 'p..q' is not valid",
    );
    expect('schema' in parseDescriptorSet(fileWith(named('A')))).toBe(true);
  });

  it('rejects inputs that are not descriptor sets', () => {
    expect(errorOf(parseDescriptorSet(Uint8Array.of(0x0a, 0x05, 1)))).toContain('exceeds');
    expect(errorOf(parseDescriptorSet(Uint8Array.of(0x08, 0x01)))).toContain(
      'expected a length-delimited field',
    );
    expect(errorOf(parseDescriptorSet(new Uint8Array(6 * 1024 * 1024)))).toContain('larger than');
    expect(parseDescriptorSet(new Uint8Array(0))).toEqual({
      schema: { files: [], messages: new Map(), enums: new Map() },
    });
  });
});
