/**
 * Turns unresolved messages into the schema's: type references resolved with protobuf's
 * scoping rules, numbers and names checked as protoc checks them, and the features in effect
 * for each field applied (required, group encoding, packing).
 */

import { fail } from './byte-cursor';
import { checkDefault } from './proto-defaults';
import { type Features, refineFeatures, resolveFeatures } from './proto-features';
import {
  type FieldDef,
  type FieldType,
  LIMITS,
  MAP_KEY_TYPES,
  type MessageType,
  type RawEnum,
  type RawField,
  type RawMessage,
  SCALAR_TYPES,
  type ScalarType,
} from './proto-types';

export type SymbolEntry =
  | { kind: 'message'; raw: RawMessage }
  | { kind: 'enum'; raw: RawEnum }
  | { kind: 'extension'; raw: { where: string } }
  | { kind: 'package' };

/**
 * Whether a number falls in any of the ranges: sorted once and searched by halves, since a
 * schema may hold many fields and many ranges, and each field against each range is quadratic.
 */
export function rangeTest(ranges: Array<[number, number]>): (number: number) => boolean {
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

/** Scalars sent with a length: a list of them cannot be packed. */
const UNPACKABLE = new Set(['string', 'bytes']);

export class Linker {
  constructor(readonly symbols: Map<string, SymbolEntry>) {}

  message(raw: RawMessage): MessageType {
    const numbers = new Set<number>();
    const names = new Set<string>();
    const reservedNames = new Set(raw.reservedNames);
    const isReserved = rangeTest(raw.reservedNumbers);
    const scopeFeatures = resolveFeatures(raw.features);
    const fields: FieldDef[] = [];
    for (const field of raw.fields) {
      const where = `${field.where}: field ${raw.fullName}.${field.name}`;
      if (numbers.has(field.number)) fail(`${where}: number ${field.number} is used twice`);
      if (names.has(field.name)) fail(`${where}: the name is used twice`);
      if (reservedNames.has(field.name)) fail(`${where}: the name is reserved`);
      if (isReserved(field.number)) fail(`${where}: number ${field.number} is reserved`);
      numbers.add(field.number);
      names.add(field.name);
      fields.push(this.field(field, raw.fullName, where, scopeFeatures));
    }
    return { fullName: raw.fullName, fields };
  }

  /** `scope` is where type names are looked up from; `inherited`, the scope's features. */
  field(raw: RawField, scope: string, where: string, inherited: Features): FieldDef {
    const features = refineFeatures(inherited, raw.features);
    const field: FieldDef = {
      name: raw.name,
      number: raw.number,
      label: raw.label,
      type: this.type(raw.type, scope, where),
    };
    if (raw.oneof !== undefined) field.oneof = raw.oneof;
    if (raw.mapKey) field.mapKey = raw.mapKey;
    const target = field.type.kind === 'message' ? this.symbols.get(field.type.name) : undefined;
    if (target?.kind === 'message' && target.raw.mapEntry && !field.mapKey)
      this.mapFromEntry(field, target.raw, where);
    if (features.fieldPresence === 'LEGACY_REQUIRED' && field.label === 'optional') {
      field.label = 'required';
    }
    if (raw.group || (features.messageEncoding === 'DELIMITED' && !field.mapKey)) {
      if (field.type.kind !== 'message') {
        if (raw.group) fail(`${where}: a group must be a message`);
      } else field.group = true;
    }
    const packable = field.type.kind === 'enum' || !UNPACKABLE.has(scalarOf(field.type));
    if (field.label === 'repeated' && !field.mapKey && packable) {
      if (features.repeatedFieldEncoding === 'PACKED') field.packed = true;
    }
    if (raw.defaultValue) checkDefault(raw.defaultValue, field, this.enumValues(field.type));
    return field;
  }

  private enumValues(type: FieldType): RawEnum['values'] | undefined {
    const entry = type.kind === 'enum' ? this.symbols.get(type.name) : undefined;
    return entry?.kind === 'enum' ? entry.raw.values : undefined;
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

  type(name: string, scope: string, where: string): FieldType {
    if (SCALAR_TYPES.has(name)) return { kind: 'scalar', scalar: name as ScalarType };
    if (name.length > LIMITS.fullNameLength + 1) fail(`${where}: the type name is too long`);
    const fullName = this.resolve(name, scope);
    const entry = fullName === undefined ? undefined : this.symbols.get(fullName);
    if (fullName === undefined || (entry?.kind !== 'message' && entry?.kind !== 'enum')) {
      return fail(`${where}: unknown type '${name}'`);
    }
    return { kind: entry.kind, name: fullName };
  }

  /**
   * Protobuf's scoping: a relative name is looked for in the innermost scope first, then each
   * enclosing one. A dotted name's first part decides the scope: once it is found as a message
   * or package, the rest must be inside that one, even if an outer scope would also match.
   */
  resolve(name: string, scope: string): string | undefined {
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

const scalarOf = (type: FieldType) => (type.kind === 'scalar' ? type.scalar : 'bytes');
