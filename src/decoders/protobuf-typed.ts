/**
 * Protocol Buffers read with a schema: fields by name, enums by value name, 64-bit integers as
 * numbers while exact (else decimal strings), maps as objects. Only fields present on the wire
 * appear, as `protoc --decode` prints them: proto3 leaves zero values off the wire, and showing
 * made-up defaults would hide what was really sent (proto2's `[default = …]` included).
 * Extensions appear by their full name in brackets, `[pkg.name]`, as protobuf's text format
 * shows them. Fields the schema does not know, that arrive with a wire type the schema does not
 * allow, or that hold a number a closed enum lacks, are kept under `_unknown` by number.
 */

import { ByteCursor, failureReason } from './byte-cursor';
import type { DecodeOutcome, DecoderDefinition } from './decoder';
import { guardedSession } from './guarded-session';
import { decodedMessage } from './message';
import type { PlainMap } from './plain-map';
import { TypedReader } from './proto-reader';
import type { ProtoSchema } from './proto-types';
import { protobufDecoder } from './protobuf-wire';
import { previewValue, summaryOf } from './value-preview';

export { UNKNOWN_FIELDS } from './proto-reader';

/** Which message type each direction's frames hold; a direction left out is read schema-less. */
export interface ProtobufTypeMapping {
  sent?: string;
  received?: string;
}

export function decodeMessage(
  schema: ProtoSchema,
  typeName: string,
  bytes: Uint8Array,
): { value: unknown } | { error: string } {
  const name = typeName.startsWith('.') ? typeName.slice(1) : typeName;
  const type = schema.messages.get(name);
  if (!type) return { error: `the schema has no message type '${name.slice(0, 200)}'` };
  try {
    return {
      value: new TypedReader(schema).message(new ByteCursor(bytes), type, 0, undefined, {}),
    };
  } catch (error) {
    return { error: failureReason(error) };
  }
}

const SUMMARY_FIELDS = 4;

/** The first few fields as `name=value`, for the Data column (the type has its own). */
function summarize(value: PlainMap): string {
  const parts: string[] = [];
  for (const key in value) {
    if (parts.length === SUMMARY_FIELDS) {
      parts.push('…');
      break;
    }
    parts.push(`${key}=${previewValue(value[key], 60)}`);
  }
  return summaryOf(...parts);
}

export function protobufTypedDecoder(
  schema: ProtoSchema,
  mapping: ProtobufTypeMapping,
): DecoderDefinition {
  return {
    id: 'protobuf-schema',
    label: 'Protobuf (schema)',
    create() {
      const fallback = protobufDecoder.create();
      return guardedSession((direction, input): DecodeOutcome => {
        const typeName = mapping[direction];
        if (!typeName) return fallback.decode(direction, input);
        if (input.kind !== 'binary')
          return { kind: 'error', error: 'Protobuf comes in binary frames' };
        const result = decodeMessage(schema, typeName, input.bytes);
        if ('error' in result) return { kind: 'error', error: result.error };
        const value = result.value as PlainMap;
        const type = typeName.startsWith('.') ? typeName.slice(1) : typeName;
        return { kind: 'messages', messages: [decodedMessage(type, summarize, value)] };
      });
    },
  };
}
