/**
 * The schema-driven reading behind the typed protobuf decoder. A message becomes an object of
 * its fields by name, filled in wire order; what the schema cannot explain goes under
 * `_unknown` keyed by field number, read as the schema-less decoder would read it.
 */

import { type ByteCursor, fail, joinU64 } from './byte-cursor';
import { type PlainMap, setEntry } from './plain-map';
import {
  addUnknown,
  isPlainObject,
  own,
  ownList,
  ownObject,
  UNKNOWN_FIELDS,
  varintValue,
} from './proto-read-targets';
import type {
  EnumType,
  FieldDef,
  FieldType,
  MessageType,
  ProtoSchema,
  ScalarType,
} from './proto-types';
import { defaultOf, guessBytes, readScalar, WIRE_TYPE, wireTypeOf } from './proto-values';
import {
  readFixed32,
  readFixed64,
  readLength,
  readTag,
  readVarint64,
  skipValue,
  type Tag,
} from './proto-wire-read';
import { PROTOBUF_MAX_DEPTH } from './protobuf-wire';

export { UNKNOWN_FIELDS } from './proto-read-targets';

// Lookups built once per schema object: the schema itself stays plain data.
const fieldIndexes = new WeakMap<MessageType, Map<number, FieldDef>>();
const enumIndexes = new WeakMap<EnumType, Map<number, string>>();

/** A message's fields and extensions by number. */
function fieldsByNumber(type: MessageType): Map<number, FieldDef> {
  let index = fieldIndexes.get(type);
  if (!index) {
    const all = type.extensions ? [...type.fields, ...type.extensions] : type.fields;
    index = new Map(all.map((field) => [field.number, field]));
    fieldIndexes.set(type, index);
  }
  return index;
}

/** The value's name, or undefined for a number the enum lacks. */
function enumName(type: EnumType, number: number): string | undefined {
  let index = enumIndexes.get(type);
  if (!index) {
    index = new Map();
    // Aliases share a number: the first declared name is the one shown.
    for (const value of type.values)
      if (!index.has(value.number)) index.set(value.number, value.name);
    enumIndexes.set(type, index);
  }
  return index.get(number);
}

/** What a closed enum's unknown number reads as: the number is kept as an unknown field. */
const NOT_IN_ENUM = Symbol('not in a closed enum');

export class TypedReader {
  /** Which member of each oneof an object holds, so a later member can replace it. */
  private readonly oneofChoices = new WeakMap<PlainMap, Map<string, string>>();

  constructor(private readonly schema: ProtoSchema) {}

  /**
   * Reads fields into `target` up to the cursor's end, or up to the END_GROUP of `group`. A
   * target that already holds fields is merged into, as protobuf does with a message field
   * that occurs twice.
   */
  message(
    cursor: ByteCursor,
    type: MessageType | undefined,
    depth: number,
    group: number | undefined,
    target: PlainMap,
  ): PlainMap {
    if (depth >= PROTOBUF_MAX_DEPTH) fail(`messages nested deeper than ${PROTOBUF_MAX_DEPTH}`);
    const fields = type ? fieldsByNumber(type) : undefined;
    while (cursor.remaining > 0) {
      const tag = readTag(cursor);
      if (tag.wireType === 4) {
        if (tag.field === group) return target;
        fail(`END_GROUP ${tag.field} without its START_GROUP`);
      }
      const field = fields?.get(tag.field);
      if (!field || !this.field(cursor, field, tag, depth, target)) {
        this.unknown(cursor, tag, depth, target);
      }
    }
    if (group !== undefined) fail(`group ${group} has no END_GROUP`);
    return target;
  }

  /** Reads one occurrence of a known field; false (nothing read) when its wire type is wrong. */
  private field(cursor: ByteCursor, field: FieldDef, tag: Tag, depth: number, target: PlainMap) {
    const { type, name } = field;
    if (field.mapKey) {
      if (tag.wireType !== 2) return false;
      const entry = cursor.split(readLength(cursor, 'map entry'), 'map entry');
      const start = entry.offset;
      const pair = this.mapEntry(entry, field.mapKey, type, depth);
      if (pair) setEntry(ownObject(target, name), pair.key, pair.value);
      else {
        // As protobuf does: an entry whose value a closed enum lacks is kept whole, as unknown.
        addUnknown(target, field.number, guessBytes(entry.bytes.subarray(start, entry.end)));
      }
      return true;
    }
    const repeated = field.label === 'repeated';
    if (type.kind === 'message') {
      if (tag.wireType !== 2 && tag.wireType !== 3) return false;
      const part = tag.wireType === 2 ? cursor.split(readLength(cursor, name), name) : cursor;
      const group = tag.wireType === 3 ? tag.field : undefined;
      const messageType = this.schema.messages.get(type.name);
      if (repeated) {
        ownList(target, name).push(this.message(part, messageType, depth + 1, group, {}));
        return true;
      }
      this.chooseOneof(field, target);
      const seen = own(target, name);
      const into = isPlainObject(seen) ? seen : {};
      setEntry(target, name, this.message(part, messageType, depth + 1, group, into));
      return true;
    }
    const wireType = wireTypeOf(type);
    if (repeated && tag.wireType === 2 && wireType !== 2) {
      // Packed: every repeated number may come packed or not, whatever the schema says.
      const packed = cursor.split(readLength(cursor, name), name);
      while (packed.remaining > 0) {
        const value = this.scalar(packed, type, field.number, target);
        if (value !== NOT_IN_ENUM) ownList(target, name).push(value);
      }
      return true;
    }
    if (tag.wireType !== wireType) return false;
    const value = this.scalar(cursor, type, field.number, target);
    if (value === NOT_IN_ENUM) return true;
    if (repeated) ownList(target, name).push(value);
    else {
      this.chooseOneof(field, target);
      setEntry(target, name, value);
    }
    return true;
  }

  private chooseOneof(field: FieldDef, target: PlainMap): void {
    if (field.oneof === undefined) return;
    const choices = this.oneofChoices.get(target) ?? new Map<string, string>();
    this.oneofChoices.set(target, choices);
    const previous = choices.get(field.oneof);
    if (previous !== undefined && previous !== field.name) delete target[previous];
    choices.set(field.oneof, field.name);
  }

  /**
   * One key/value entry; a missing key or value takes its type's default, as protobuf says.
   * Undefined when the value is a number its closed enum lacks.
   */
  private mapEntry(
    cursor: ByteCursor,
    keyType: ScalarType,
    valueType: FieldType,
    depth: number,
  ): { key: string; value: unknown } | undefined {
    let key: unknown;
    let value: unknown;
    const keyWire = WIRE_TYPE[keyType];
    // A closed enum's unknown number would land here; the whole entry is kept instead.
    const scratch: PlainMap = {};
    while (cursor.remaining > 0) {
      const tag = readTag(cursor);
      if (tag.field === 1 && tag.wireType === keyWire) key = readScalar(cursor, keyType);
      else if (tag.field === 2 && valueType.kind === 'message' && tag.wireType === 2) {
        const part = cursor.split(readLength(cursor, 'map value'), 'map value');
        value = this.message(
          part,
          this.schema.messages.get(valueType.name),
          depth + 1,
          undefined,
          {},
        );
      } else if (tag.field === 2 && tag.wireType === wireTypeOf(valueType)) {
        value = this.scalar(cursor, valueType, 2, scratch);
      } else skipValue(cursor, tag, depth, PROTOBUF_MAX_DEPTH);
    }
    if (value === NOT_IN_ENUM) return undefined;
    key ??= defaultOf({ kind: 'scalar', scalar: keyType });
    value ??= valueType.kind === 'message' ? {} : this.defaultValue(valueType);
    return { key: String(key), value };
  }

  private defaultValue(type: FieldType): unknown {
    if (type.kind !== 'enum') return defaultOf(type);
    const first = this.schema.enums.get(type.name)?.values[0];
    return first ? first.name : 0;
  }

  /**
   * A number, string or enum value. A number an open enum lacks is shown as the number; one a
   * closed enum lacks is kept under `_unknown` as field `number` of `target`, as protobuf does.
   */
  private scalar(cursor: ByteCursor, type: FieldType, number: number, target: PlainMap) {
    if (type.kind !== 'enum')
      return readScalar(cursor, type.kind === 'scalar' ? type.scalar : 'bytes');
    const varint = readVarint64(cursor);
    const enumType = this.schema.enums.get(type.name);
    const name = enumType ? enumName(enumType, varint.lo | 0) : undefined;
    if (name !== undefined) return name;
    if (!enumType?.closed) return varint.lo | 0;
    addUnknown(target, number, varintValue(varint));
    return NOT_IN_ENUM;
  }

  /** Keeps a field the schema does not explain, shown as the schema-less decoder would. */
  private unknown(cursor: ByteCursor, tag: Tag, depth: number, target: PlainMap): void {
    let value: unknown;
    if (tag.wireType === 0) value = varintValue(readVarint64(cursor));
    else if (tag.wireType === 1) {
      const { lo, hi } = readFixed64(cursor, 'i64 field');
      value = joinU64(hi, lo);
    } else if (tag.wireType === 5) value = readFixed32(cursor, 'i32 field');
    else if (tag.wireType === 2)
      value = guessBytes(cursor.take(readLength(cursor, 'field'), 'field'));
    else if (tag.wireType === 3) {
      const inner = this.message(cursor, undefined, depth + 1, tag.field, {});
      value = own(inner, UNKNOWN_FIELDS) ?? {};
    } else fail(`wire type ${tag.wireType} does not exist`);
    addUnknown(target, tag.field, value);
  }
}
