/**
 * Protobuf schemas for the typed decoder, from `.proto` source or a binary FileDescriptorSet.
 * Both are parsed to one unresolved form and linked here: type references are resolved with
 * protobuf's scoping rules across every file given together (imports are recorded, not
 * followed, since the files arrive as a set), and conflicts are reported as protoc would.
 * Schemas are user-supplied but may be anything, so nothing here throws to the caller.
 */

import { fail, failureReason } from './byte-cursor';
import { readDescriptorSet } from './proto-descriptor';
import { resolveFeatures } from './proto-features';
import { Linker, type SymbolEntry } from './proto-link';
import { linkExtensions } from './proto-link-extensions';
import { type ParseBudget, parseProtoText } from './proto-parse';
import {
  type EnumType,
  LIMITS,
  type ProtoSchema,
  type RawFile,
  type SchemaResult,
} from './proto-types';

export type * from './proto-types';

export function parseProtoFiles(files: Array<{ name: string; text: string }>): SchemaResult {
  return guarded(() => {
    if (files.length > LIMITS.files) fail(`more than ${LIMITS.files} files`);
    let size = 0;
    for (const file of files) size += file.text.length;
    if (size > LIMITS.textBytes) fail(`the files hold more than ${LIMITS.textBytes} characters`);
    const budget: ParseBudget = { types: 0, members: 0 };
    return linkSchema(files.map((file) => parseProtoText(file.name, file.text, budget)));
  });
}

export function parseDescriptorSet(bytes: Uint8Array): SchemaResult {
  return guarded(() => linkSchema(readDescriptorSet(bytes, { types: 0, members: 0 })));
}

function guarded(build: () => ProtoSchema): SchemaResult {
  try {
    return { schema: build() };
  } catch (error) {
    return { error: failureReason(error).slice(0, 300) };
  }
}

function linkSchema(files: RawFile[]): ProtoSchema {
  const symbols = new Map<string, SymbolEntry>();
  const define = (name: string, entry: SymbolEntry & { raw: { where: string } }) => {
    const seen = symbols.get(name);
    if (seen && seen.kind !== 'package') {
      fail(`${entry.raw.where}: '${name}' is already defined (at ${seen.raw.where})`);
    }
    symbols.set(name, entry);
  };
  for (const file of files) {
    const parts = file.info.package ? file.info.package.split('.') : [];
    if (parts.length > LIMITS.packageParts) {
      fail(`${file.info.name}: package has more than ${LIMITS.packageParts} parts`);
    }
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join('.');
      if (!symbols.has(name)) symbols.set(name, { kind: 'package' });
    }
  }
  for (const file of files) {
    for (const raw of file.messages) define(raw.fullName, { kind: 'message', raw });
    for (const raw of file.enums) define(raw.fullName, { kind: 'enum', raw });
    for (const { field, scope } of file.extensions) {
      const name = scope ? `${scope}.${field.name}` : field.name;
      define(name, { kind: 'extension', raw: field });
    }
  }
  const linker = new Linker(symbols);
  const schema: ProtoSchema = {
    files: files.map((file) => file.info),
    messages: new Map(),
    enums: new Map(),
  };
  for (const file of files) {
    for (const raw of file.messages) {
      if (!raw.mapEntry) schema.messages.set(raw.fullName, linker.message(raw));
    }
    for (const raw of file.enums) {
      if (raw.values.length === 0) fail(`${raw.where}: enum ${raw.fullName} has no values`);
      const values = raw.values.map((value) => ({ ...value }));
      const enumType: EnumType = { fullName: raw.fullName, values };
      if (resolveFeatures(raw.features).enumType === 'CLOSED') enumType.closed = true;
      schema.enums.set(raw.fullName, enumType);
    }
  }
  linkExtensions(
    linker,
    files.flatMap((file) => file.extensions),
    schema,
  );
  return schema;
}
