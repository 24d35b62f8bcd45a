/**
 * Protobuf schemas for the typed decoder, from `.proto` source or a binary FileDescriptorSet.
 * Both are parsed to one unresolved form and linked here: type references are resolved with
 * protobuf's scoping rules across every file given together (imports are recorded, not
 * followed, since the files arrive as a set), and conflicts are reported as protoc would.
 * Schemas are user-supplied but may be anything, so nothing here throws to the caller.
 */

import { fail, failureReason } from './byte-cursor';
import { readDescriptorSet } from './proto-descriptor';
import { type ParseBudget, parseProtoText } from './proto-parse';
import {
  type EnumType,
  type FieldDef,
  type FieldType,
  LIMITS,
  MAP_KEY_TYPES,
  type MessageType,
  type ProtoSchema,
  type RawField,
  type RawFile,
  type RawMessage,
  SCALAR_TYPES,
  type ScalarType,
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

type SymbolEntry =
  | { kind: 'message'; raw: RawMessage }
  | { kind: 'enum'; raw: { where: string } }
  | { kind: 'package' };

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
      schema.enums.set(raw.fullName, { fullName: raw.fullName, values } satisfies EnumType);
    }
  }
  return schema;
}

/**
 * Whether a number falls in any of the ranges: sorted once and searched by halves, since a
 * schema may hold many fields and many ranges, and each field against each range is quadratic.
 */
function reservedTest(ranges: Array<[number, number]>): (number: number) => boolean {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  // reach[i]: the highest number any of the first i + 1 ranges covers.
  const reach: number[] = [];
  for (const [, high] of sorted) reach.push(Math.max(high, reach.at(-1) ?? high));
  return (number) => {
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (sorted[mid]![0] <= number) low = mid + 1;
      else high = mid - 1;
    }
    return high >= 0 && reach[high]! >= number;
  };
}

class Linker {
  constructor(private readonly symbols: Map<string, SymbolEntry>) {}

  message(raw: RawMessage): MessageType {
    const numbers = new Set<number>();
    const names = new Set<string>();
    const reservedNames = new Set(raw.reservedNames);
    const isReserved = reservedTest(raw.reservedNumbers);
    const fields: FieldDef[] = [];
    for (const field of raw.fields) {
      const where = `${field.where}: field ${raw.fullName}.${field.name}`;
      if (numbers.has(field.number)) fail(`${where}: number ${field.number} is used twice`);
      if (names.has(field.name)) fail(`${where}: the name is used twice`);
      if (reservedNames.has(field.name)) fail(`${where}: the name is reserved`);
      if (isReserved(field.number)) fail(`${where}: number ${field.number} is reserved`);
      numbers.add(field.number);
      names.add(field.name);
      fields.push(this.field(field, raw.fullName, where));
    }
    return { fullName: raw.fullName, fields };
  }

  private field(raw: RawField, scope: string, where: string): FieldDef {
    const field: FieldDef = {
      name: raw.name,
      number: raw.number,
      label: raw.label,
      type: this.type(raw.type, scope, where),
    };
    if (raw.oneof !== undefined) field.oneof = raw.oneof;
    if (raw.group) {
      if (field.type.kind !== 'message') fail(`${where}: a group must be a message`);
      field.group = true;
    }
    if (raw.mapKey) field.mapKey = raw.mapKey;
    const target = field.type.kind === 'message' ? this.symbols.get(field.type.name) : undefined;
    if (target?.kind === 'message' && target.raw.mapEntry && !field.mapKey)
      this.mapFromEntry(field, target.raw, where);
    return field;
  }

  /** A descriptor's `repeated XEntry x` with XEntry marked map_entry: a map field. */
  private mapFromEntry(field: FieldDef, entry: RawMessage, where: string): void {
    const key = entry.fields.find((part) => part.number === 1);
    const value = entry.fields.find((part) => part.number === 2);
    if (!key || !value || !MAP_KEY_TYPES.has(key.type)) {
      fail(`${where}: map entry ${entry.fullName} lacks a valid key or value`);
    }
    field.label = 'repeated';
    field.mapKey = key.type as ScalarType;
    field.type = this.type(value.type, entry.fullName, where);
  }

  private type(name: string, scope: string, where: string): FieldType {
    if (SCALAR_TYPES.has(name)) return { kind: 'scalar', scalar: name as ScalarType };
    if (name.length > LIMITS.fullNameLength + 1) fail(`${where}: the type name is too long`);
    const fullName = this.resolve(name, scope);
    const entry = fullName === undefined ? undefined : this.symbols.get(fullName);
    if (fullName === undefined || !entry || entry.kind === 'package') {
      return fail(`${where}: unknown type '${name}'`);
    }
    return { kind: entry.kind, name: fullName };
  }

  /**
   * Protobuf's scoping: a relative name is looked for in the innermost scope first, then each
   * enclosing one. A dotted name's first part decides the scope: once it is found as a message
   * or package, the rest must be inside that one, even if an outer scope would also match.
   */
  private resolve(name: string, scope: string): string | undefined {
    if (name.startsWith('.')) return this.symbols.has(name.slice(1)) ? name.slice(1) : undefined;
    const dot = name.indexOf('.');
    const first = dot < 0 ? name : name.slice(0, dot);
    let outer: string | undefined = scope;
    while (outer !== undefined) {
      const prefix = outer ? `${outer}.` : '';
      const kind = this.symbols.get(prefix + first)?.kind;
      if (dot < 0 && (kind === 'message' || kind === 'enum')) return prefix + first;
      if (dot >= 0 && (kind === 'message' || kind === 'package')) {
        return this.symbols.has(prefix + name) ? prefix + name : undefined;
      }
      const cut = outer.lastIndexOf('.');
      outer = outer ? (cut < 0 ? '' : outer.slice(0, cut)) : undefined;
    }
    return undefined;
  }
}
