/**
 * A binary FileDescriptorSet (`protoc --descriptor_set_out`) to the unresolved schema form. The
 * set is itself protobuf, read here with the field numbers of google/protobuf/descriptor.proto;
 * everything decoding does not need (options but map_entry and features, services, source
 * info) is stepped over. Sub-messages may come before the name that scopes them, so each
 * message's nested types are read after its own fields.
 */

import { fail } from './byte-cursor';
import { dropSyntheticOneofs, readField, readOneof } from './proto-descriptor-field';
import {
  editionDefaults,
  type FeatureChain,
  type FeatureOverrides,
  readFeatureSet,
} from './proto-features';
import type { ParseBudget } from './proto-parse';
import { LIMITS, type RawEnum, type RawFile, type RawMessage, scopedName } from './proto-types';
import { eachField, type FieldReader } from './proto-wire-read';

/** The Edition enum's numbers for the editions `.proto` source names by year. */
const EDITIONS: Record<number, string> = {
  998: 'proto2',
  999: 'proto3',
  1000: 'edition 2023',
  1001: 'edition 2024',
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
    extensions: [],
  };
  const messages: Uint8Array[] = [];
  const enums: Uint8Array[] = [];
  const extensions: Uint8Array[] = [];
  const own: FeatureOverrides = {};
  eachField(bytes, (field, read) => {
    if (field === 1) file.info.name = read.string();
    else if (field === 2) file.info.package = read.string();
    else if (field === 3) file.info.imports.push(read.string());
    else if (field === 4) messages.push(read.bytes());
    else if (field === 5) enums.push(read.bytes());
    else if (field === 7) extensions.push(read.bytes());
    else if (field === 8) readOptionFeatures(read, FILE_OPTIONS_FEATURES, own);
    else if (field === 12) file.info.syntax = read.string() || 'proto2';
    else if (field === 14) {
      const edition = read.int();
      file.info.syntax = EDITIONS[edition] ?? `edition ${edition}`;
    }
  });
  const where = (file.info.name || 'descriptor').slice(0, LIMITS.nameLength);
  const chain = [editionDefaults(file.info.syntax), own];
  const context = { file, budget, where };
  const pkg = file.info.package;
  if (pkg && (pkg.length > LIMITS.fullNameLength || !PACKAGE.test(pkg))) {
    fail(`${where}: package '${pkg.slice(0, 60)}' is not valid`);
  }
  for (const message of messages) readMessage(message, pkg, chain, context, 0);
  for (const enumType of enums) readEnum(enumType, pkg, chain, context);
  readExtensions(extensions, pkg, chain, context);
  return file;
}

/** Where each options message keeps its FeatureSet. */
const FILE_OPTIONS_FEATURES = 50;
const MESSAGE_OPTIONS_FEATURES = 12;
const ENUM_OPTIONS_FEATURES = 7;

function readOptionFeatures(read: FieldReader, number: number, own: FeatureOverrides): void {
  eachField(read.bytes(), (option, value) => {
    if (option === number && value.wireType === 2) readFeatureSet(value.bytes(), own);
  });
}

function readExtensions(
  extensions: Uint8Array[],
  scope: string,
  features: FeatureChain,
  context: Context,
): void {
  for (const bytes of extensions) {
    countMember(context);
    const { field, extendee } = readField(bytes, [], context.where);
    if (!extendee) fail(`${context.where}: extension ${field.name} names no extendee`);
    context.file.extensions.push({ field, extendee, scope, features });
  }
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

function readMessage(
  bytes: Uint8Array,
  scope: string,
  outer: FeatureChain,
  context: Context,
  depth: number,
): void {
  if (depth >= LIMITS.nesting) fail(`messages nested deeper than ${LIMITS.nesting}`);
  countType(context);
  let name = '';
  const fields: Uint8Array[] = [];
  const nested: Uint8Array[] = [];
  const enums: Uint8Array[] = [];
  const extensions: Uint8Array[] = [];
  const oneofs: Array<ReturnType<typeof readOneof>> = [];
  const own: FeatureOverrides = {};
  const message: RawMessage = {
    fullName: '',
    fields: [],
    features: [...outer, own],
    extensionRanges: [],
    reservedNumbers: [],
    reservedNames: [],
    where: context.where,
  };
  eachField(bytes, (field, read) => {
    if (field === 1) name = read.string();
    else if (field === 2) fields.push(read.bytes());
    else if (field === 3) nested.push(read.bytes());
    else if (field === 4) enums.push(read.bytes());
    else if (field === 5) message.extensionRanges.push(readRange(read.bytes()));
    else if (field === 6) extensions.push(read.bytes());
    else if (field === 7) {
      eachField(read.bytes(), (option, value) => {
        if (option === 7) message.mapEntry = value.int() !== 0;
        else if (option === MESSAGE_OPTIONS_FEATURES && value.wireType === 2) {
          readFeatureSet(value.bytes(), own);
        }
      });
    } else if (field === 8) oneofs.push(readOneof(read.bytes()));
    else if (field === 9) message.reservedNumbers.push(readRange(read.bytes()));
    else if (field === 10) message.reservedNames.push(read.string());
  });
  checkName(name, 'message', context);
  message.fullName = scoped(scope, name, context);
  for (const bytes of fields) {
    countMember(context);
    const { field } = readField(bytes, oneofs, context.where);
    // protobufjs also lists extensions declared elsewhere among the extendee's fields, named
    // `.pkg.name`: no field can be named so, and the extension itself is read where declared.
    if (!field.name.startsWith('.')) message.fields.push(field);
  }
  dropSyntheticOneofs(message.fields);
  context.file.messages.push(message);
  for (const inner of nested) {
    readMessage(inner, message.fullName, message.features, context, depth + 1);
  }
  for (const inner of enums) readEnum(inner, message.fullName, message.features, context);
  readExtensions(extensions, message.fullName, message.features, context);
}

/** A reserved or extension range: descriptors store the end exclusive, the schema inclusive. */
function readRange(bytes: Uint8Array): [number, number] {
  const range: [number, number] = [0, 0];
  eachField(bytes, (part, value) => {
    if (part === 1 || part === 2) range[part - 1] = value.int();
  });
  return [range[0], range[1] - 1];
}

function readEnum(bytes: Uint8Array, scope: string, outer: FeatureChain, context: Context): void {
  countType(context);
  const own: FeatureOverrides = {};
  const enumType: RawEnum = {
    fullName: '',
    values: [],
    features: [...outer, own],
    where: context.where,
  };
  let name = '';
  eachField(bytes, (field, read) => {
    if (field === 1) {
      name = read.string();
      return;
    }
    if (field === 3) readOptionFeatures(read, ENUM_OPTIONS_FEATURES, own);
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
