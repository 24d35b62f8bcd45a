/**
 * The shape of a protobuf schema as the typed decoder reads it: plain data (maps, arrays,
 * strings, numbers), so it can be kept, compared and rebuilt without classes. Both sources of a
 * schema (`.proto` text and a binary FileDescriptorSet) first become the unresolved `Raw…`
 * form below, and one linker turns that into a `ProtoSchema`.
 */

import type { FeatureChain, FeatureOverrides } from './proto-features';

export type ScalarType =
  | 'double'
  | 'float'
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'fixed32'
  | 'fixed64'
  | 'sfixed32'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

export const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/** Map keys may be any integer type, bool or string: never floating point, bytes or a type. */
export const MAP_KEY_TYPES: ReadonlySet<string> = new Set(
  [...SCALAR_TYPES].filter((type) => !['double', 'float', 'bytes'].includes(type)),
);

export type FieldType =
  | { kind: 'scalar'; scalar: ScalarType }
  | { kind: 'enum'; name: string }
  | { kind: 'message'; name: string };

export interface FieldDef {
  name: string;
  number: number;
  label: 'optional' | 'required' | 'repeated';
  /** For a map field, the value's type. */
  type: FieldType;
  /** Set on map fields only: the key's type (the label is then `repeated`). */
  mapKey?: ScalarType;
  /** The oneof this field belongs to; a later member on the wire replaces an earlier one. */
  oneof?: string;
  /**
   * Sent between START_GROUP and END_GROUP tags instead of with a length: a proto2 group, or
   * editions' `message_encoding = DELIMITED`. Readers take either form.
   */
  group?: boolean;
  /** A repeated number or enum that writers pack; readers take packed and unpacked alike. */
  packed?: boolean;
}

export interface MessageType {
  /** Fully qualified, without a leading dot: `chat.v1.Message.Author`. */
  fullName: string;
  fields: FieldDef[];
  /**
   * Extensions of this message declared anywhere in the schema, each named by its full name in
   * brackets (`[pkg.note]`) as protobuf's text format shows them. Absent when there are none.
   */
  extensions?: FieldDef[];
}

export interface EnumType {
  fullName: string;
  /** In declaration order: the first is the default, and aliases share a number. */
  values: Array<{ name: string; number: number }>;
  /** proto2's enums, or `enum_type = CLOSED`: a number it lacks is kept as an unknown field. */
  closed?: boolean;
}

export interface ProtoFileInfo {
  name: string;
  package: string;
  syntax: string;
  /** Recorded as written; every file given is searched for types, imported or not. */
  imports: string[];
}

export interface ProtoSchema {
  files: ProtoFileInfo[];
  messages: Map<string, MessageType>;
  enums: Map<string, EnumType>;
}

export type SchemaResult = { schema: ProtoSchema } | { error: string };

/** Hostile-input bounds, shared by both schema sources. */
export const LIMITS = {
  textBytes: 5 * 1024 * 1024,
  descriptorBytes: 5 * 1024 * 1024,
  files: 1000,
  types: 10_000,
  /** Fields and enum values together, over all types. */
  members: 500_000,
  nesting: 64,
  /** Full names are kept per type: long ones, nested 64 deep, would multiply the input. */
  nameLength: 1024,
  fullNameLength: 4096,
  packageParts: 100,
} as const;

export const MAX_FIELD_NUMBER = 536_870_911;

/** `scope.name`, or undefined when that is longer than full names may be. */
export function scopedName(scope: string, name: string): string | undefined {
  const full = scope ? `${scope}.${name}` : name;
  return full.length > LIMITS.fullNameLength ? undefined : full;
}

/** A field before its type reference is resolved; `where` is `file:line` for errors. */
export interface RawField {
  name: string;
  number: number;
  label: FieldDef['label'];
  /** A scalar type's name, or a type reference as written (relative, or absolute with a dot). */
  type: string;
  mapKey?: ScalarType;
  oneof?: string;
  /** Written as a group (proto2's `group`, or a descriptor's TYPE_GROUP). */
  group?: boolean;
  /** The field's own feature settings, after its oneof's; the scope's come from elsewhere. */
  features: FeatureOverrides[];
  /** A `[default = …]` from `.proto` source, checked against the type once it is resolved. */
  defaultValue?: RawDefault;
  where: string;
}

export interface RawDefault {
  kind: 'ident' | 'number' | 'string';
  text: string;
  negative: boolean;
  where: string;
}

/** An `extend` member: a field of another message, named in the scope it is declared in. */
export interface RawExtension {
  field: RawField;
  /** The extended message as written, resolved from `scope`. */
  extendee: string;
  /** The package or message the `extend` stands in: names and type references start here. */
  scope: string;
  features: FeatureChain;
}

export interface RawMessage {
  fullName: string;
  fields: RawField[];
  features: FeatureChain;
  /** Inclusive ranges. */
  extensionRanges: Array<[number, number]>;
  /** Inclusive ranges. */
  reservedNumbers: Array<[number, number]>;
  reservedNames: string[];
  /** A FileDescriptorSet spells map fields as repeated entries of a synthesized type. */
  mapEntry?: boolean;
  where: string;
}

export interface RawEnum {
  fullName: string;
  values: Array<{ name: string; number: number }>;
  features: FeatureChain;
  where: string;
}

export interface RawFile {
  info: ProtoFileInfo;
  messages: RawMessage[];
  enums: RawEnum[];
  extensions: RawExtension[];
}
