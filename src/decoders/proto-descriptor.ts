/**
 * A binary FileDescriptorSet (`protoc --descriptor_set_out`) to the unresolved schema form. The
 * set is itself protobuf, read here with the field numbers of google/protobuf/descriptor.proto;
 * everything decoding does not need (options but map_entry, services, extensions, source info)
 * is stepped over. Sub-messages may come before the name that scopes them, so each message's
 * nested types are read after its own fields.
 */

import { fail } from './byte-cursor';
import type { ParseBudget } from './proto-parse';
import {
  LIMITS,
  type RawEnum,
  type RawField,
  type RawFile,
  type RawMessage,
  type ScalarType,
  scopedName,
} from './proto-types';
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
/** The Edition enum's numbers for the editions `.proto` source names by year. */
const EDITIONS: Record<number, string> = {
  998: 'proto2',
  999: 'proto3',
  1000: 'edition 2023',
  1001: 'edition 2024',
};
const LABEL_BY_NUMBER: Record<number, RawField['label']> = {
  1: 'optional',
  2: 'required',
  3: 'repeated',
};

/**
 * Type and package names must be what `.proto` source allows: scopes are walked dot by dot,
 * and a name full of dots would make each walk as long as the input.
 */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function scoped(scope: string, name: string, context: Context): string {
  const full = scopedName(scope, name);
  if (full === undefined)
    fail(`${context.where}: a full name longer than ${LIMITS.fullNameLength}`);
  return full;
}

function checkName(name: string, what: string, context: Context): void {
  if (name.length > LIMITS.nameLength || !NAME.test(name)) {
    fail(`${context.where}: ${what} name '${name.slice(0, 60)}' is not valid`);
  }
}

export function readDescriptorSet(bytes: Uint8Array, budget: ParseBudget): RawFile[] {
  if (bytes.length > LIMITS.descriptorBytes) {
    fail(`descriptor set is larger than ${LIMITS.descriptorBytes} bytes`);
  }
  const files: RawFile[] = [];
  eachField(bytes, (field, read) => {
    if (field !== 1) return;
    if (files.length >= LIMITS.files) fail(`more than ${LIMITS.files} files`);
    files.push(readFile(read.bytes(), budget));
  });
  return files;
}

function readFile(bytes: Uint8Array, budget: ParseBudget): RawFile {
  const file: RawFile = {
    info: { name: '', package: '', syntax: 'proto2', imports: [] },
    messages: [],
    enums: [],
  };
  const messages: Uint8Array[] = [];
  const enums: Uint8Array[] = [];
  eachField(bytes, (field, read) => {
    if (field === 1) file.info.name = read.string();
    else if (field === 2) file.info.package = read.string();
    else if (field === 3) file.info.imports.push(read.string());
    else if (field === 4) messages.push(read.bytes());
    else if (field === 5) enums.push(read.bytes());
    else if (field === 12) file.info.syntax = read.string() || 'proto2';
    else if (field === 14) {
      const edition = read.int();
      file.info.syntax = EDITIONS[edition] ?? `edition ${edition}`;
    }
  });
  const where = (file.info.name || 'descriptor').slice(0, LIMITS.nameLength);
  const context = { file, budget, where };
  const pkg = file.info.package;
  if (pkg && (pkg.length > LIMITS.fullNameLength || !PACKAGE.test(pkg))) {
    fail(`${where}: package '${pkg.slice(0, 60)}' is not valid`);
  }
  for (const message of messages) readMessage(message, file.info.package, context, 0);
  for (const enumType of enums) readEnum(enumType, file.info.package, context);
  return file;
}

interface Context {
  file: RawFile;
  budget: ParseBudget;
  where: string;
}

function countType(context: Context): void {
  if (++context.budget.types > LIMITS.types) fail(`more than ${LIMITS.types} types`);
}

function countMember(context: Context): void {
  if (++context.budget.members > LIMITS.members) {
    fail(`more than ${LIMITS.members} fields and enum values`);
  }
}

function readMessage(bytes: Uint8Array, scope: string, context: Context, depth: number): void {
  if (depth >= LIMITS.nesting) fail(`messages nested deeper than ${LIMITS.nesting}`);
  countType(context);
  let name = '';
  const fields: Uint8Array[] = [];
  const nested: Uint8Array[] = [];
  const enums: Uint8Array[] = [];
  const oneofs: string[] = [];
  const message: RawMessage = {
    fullName: '',
    fields: [],
    reservedNumbers: [],
    reservedNames: [],
    where: context.where,
  };
  eachField(bytes, (field, read) => {
    if (field === 1) name = read.string();
    else if (field === 2) fields.push(read.bytes());
    else if (field === 3) nested.push(read.bytes());
    else if (field === 4) enums.push(read.bytes());
    else if (field === 7) {
      eachField(read.bytes(), (option, value) => {
        if (option === 7) message.mapEntry = value.int() !== 0;
      });
    } else if (field === 8) {
      let oneof = '';
      eachField(read.bytes(), (part, value) => {
        if (part === 1) oneof = value.string();
      });
      oneofs.push(oneof);
    } else if (field === 9) {
      const range: [number, number] = [0, 0];
      eachField(read.bytes(), (part, value) => {
        if (part === 1 || part === 2) range[part - 1] = value.int();
      });
      // Descriptors store the end exclusive; the schema keeps ranges inclusive.
      message.reservedNumbers.push([range[0], range[1] - 1]);
    } else if (field === 10) message.reservedNames.push(read.string());
  });
  checkName(name, 'message', context);
  message.fullName = scoped(scope, name, context);
  for (const bytes of fields) {
    const field = readField(bytes, oneofs, context);
    if (field) message.fields.push(field);
  }
  dropSyntheticOneofs(message.fields);
  context.file.messages.push(message);
  for (const inner of nested) readMessage(inner, message.fullName, context, depth + 1);
  for (const inner of enums) readEnum(inner, message.fullName, context);
}

/**
 * proto3 `optional` is a oneof of one field in descriptors. protoc flags it proto3_optional,
 * but not every writer does, so a oneof holding only field `x` and named `_x` (protoc's name
 * for it) is taken as synthetic too; dropping a oneof of one changes nothing in decoding.
 */
function dropSyntheticOneofs(fields: RawField[]): void {
  const members = new Map<string, number>();
  for (const field of fields) {
    if (field.oneof !== undefined) members.set(field.oneof, (members.get(field.oneof) ?? 0) + 1);
  }
  for (const field of fields) {
    if (field.oneof === `_${field.name}` && members.get(field.oneof) === 1) delete field.oneof;
  }
}

/** A field, or undefined for an extension (one with an extendee), which is not decoded. */
function readField(bytes: Uint8Array, oneofs: string[], context: Context): RawField | undefined {
  countMember(context);
  const field: RawField = {
    name: '',
    number: 0,
    label: 'optional',
    type: '',
    where: context.where,
  };
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
    else if (part === 9) oneofIndex = read.int();
    else if (part === 17) syntheticOneof = read.int() !== 0;
  });
  if (!field.name) fail(`${context.where}: a field without a name`);
  if (extendee) return undefined;
  const scalar = SCALAR_BY_NUMBER[typeNumber];
  if (scalar) field.type = scalar;
  else if (typeName) field.type = typeName;
  else fail(`${context.where}: field ${field.name} has no type`);
  if (typeNumber === 10) field.group = true;
  // proto3 `optional` is a oneof of one in descriptors; as a oneof it would change nothing.
  if (oneofIndex >= 0 && !syntheticOneof) {
    const oneof = oneofs[oneofIndex];
    if (oneof === undefined) fail(`${context.where}: field ${field.name} names a missing oneof`);
    field.oneof = oneof;
  }
  return field;
}

function readEnum(bytes: Uint8Array, scope: string, context: Context): void {
  countType(context);
  const enumType: RawEnum = { fullName: '', values: [], where: context.where };
  let name = '';
  eachField(bytes, (field, read) => {
    if (field === 1) {
      name = read.string();
      return;
    }
    if (field !== 2) return;
    countMember(context);
    const value = { name: '', number: 0 };
    eachField(read.bytes(), (part, inner) => {
      if (part === 1) value.name = inner.string();
      else if (part === 2) value.number = inner.int();
    });
    enumType.values.push(value);
  });
  checkName(name, 'enum', context);
  enumType.fullName = scoped(scope, name, context);
  context.file.enums.push(enumType);
}
