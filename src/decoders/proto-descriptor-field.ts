/**
 * One FieldDescriptorProto of a binary descriptor set, with the field numbers of
 * google/protobuf/descriptor.proto: a message's field, or an extension when it names an
 * extendee. `packed` and the FeatureSet in its options become feature settings, as the
 * `.proto` parser makes them.
 */

import { fail } from './byte-cursor';
import { type FeatureOverrides, readFeatureSet } from './proto-features';
import type { RawField, ScalarType } from './proto-types';
import { eachField } from './proto-wire-read';

/** FieldDescriptorProto.Type numbers; 10 (group), 11 (message) and 14 (enum) name a type. */
const SCALAR_BY_NUMBER: Record<number, ScalarType> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};
const LABEL_BY_NUMBER: Record<number, RawField['label']> = {
  1: 'optional',
  2: 'required',
  3: 'repeated',
};
const TYPE_GROUP = 10;
/** FieldOptions: `packed`, and editions' `features`. */
const OPTION_PACKED = 2;
const OPTION_FEATURES = 21;

export interface DescribedField {
  field: RawField;
  /** Set on extensions: the extended message, as written (usually absolute, `.pkg.Foo`). */
  extendee: string;
}

/**
 * A field, with its oneof (by index into `oneofs`) settled. proto3 `optional` is a oneof of
 * one in descriptors: flagged proto3_optional, it is read as a plain field.
 */
export function readField(
  bytes: Uint8Array,
  oneofs: Array<{ name: string; features: FeatureOverrides }>,
  where: string,
): DescribedField {
  const own: FeatureOverrides = {};
  const field: RawField = { name: '', number: 0, label: 'optional', type: '', features: [], where };
  let typeNumber = 0;
  let typeName = '';
  let oneofIndex = -1;
  let syntheticOneof = false;
  let extendee = '';
  eachField(bytes, (part, read) => {
    if (part === 1) field.name = read.string();
    else if (part === 2) extendee = read.string();
    else if (part === 3) field.number = read.int();
    else if (part === 4) field.label = LABEL_BY_NUMBER[read.int()] ?? 'optional';
    else if (part === 5) typeNumber = read.int();
    else if (part === 6) typeName = read.string();
    else if (part === 8) readOptions(read.bytes(), own);
    else if (part === 9) oneofIndex = read.int();
    else if (part === 17) syntheticOneof = read.int() !== 0;
  });
  if (!field.name) fail(`${where}: a field without a name`);
  const scalar = SCALAR_BY_NUMBER[typeNumber];
  if (scalar) field.type = scalar;
  else if (typeName) field.type = typeName;
  else fail(`${where}: field ${field.name} has no type`);
  if (typeNumber === TYPE_GROUP) field.group = true;
  field.features = [own];
  if (oneofIndex >= 0 && !syntheticOneof) {
    const oneof = oneofs[oneofIndex];
    if (oneof === undefined) fail(`${where}: field ${field.name} names a missing oneof`);
    field.oneof = oneof.name;
    field.features = [oneof.features, own];
  }
  return { field, extendee };
}

function readOptions(bytes: Uint8Array, own: FeatureOverrides): void {
  eachField(bytes, (option, value) => {
    if (option === OPTION_PACKED && value.wireType === 0) {
      own.repeatedFieldEncoding = value.int() !== 0 ? 'PACKED' : 'EXPANDED';
    } else if (option === OPTION_FEATURES && value.wireType === 2) {
      readFeatureSet(value.bytes(), own);
    }
  });
}

/** A OneofDescriptorProto: its name, and the FeatureSet of its options. */
export function readOneof(bytes: Uint8Array): { name: string; features: FeatureOverrides } {
  const oneof = { name: '', features: {} };
  eachField(bytes, (part, value) => {
    if (part === 1) oneof.name = value.string();
    else if (part === 2 && value.wireType === 2) {
      eachField(value.bytes(), (option, inner) => {
        if (option === 1 && inner.wireType === 2) readFeatureSet(inner.bytes(), oneof.features);
      });
    }
  });
  return oneof;
}

/**
 * proto3 `optional` is a oneof of one field in descriptors. protoc flags it proto3_optional,
 * but not every writer does, so a oneof holding only field `x` and named `_x` (protoc's name
 * for it) is taken as synthetic too; dropping a oneof of one changes nothing in decoding.
 */
export function dropSyntheticOneofs(fields: RawField[]): void {
  const members = new Map<string, number>();
  for (const field of fields) {
    if (field.oneof !== undefined) members.set(field.oneof, (members.get(field.oneof) ?? 0) + 1);
  }
  for (const field of fields) {
    if (field.oneof === `_${field.name}` && members.get(field.oneof) === 1) {
      delete field.oneof;
      field.features = field.features.slice(-1);
    }
  }
}
