import {
  type ProtoSchema,
  parseProtoFiles,
  type SchemaResult,
} from '../../../src/decoders/proto-schema';
import { decodeMessage } from '../../../src/decoders/protobuf-typed';

/** The schema of a result that must have loaded. */
export function schemaOf(result: SchemaResult): ProtoSchema {
  if ('error' in result) throw new Error(result.error);
  return result.schema;
}

/** The error of a result that must have failed to load. */
export function errorOf(result: SchemaResult): string {
  if (!('error' in result)) throw new Error('expected an error');
  return result.error;
}

/** `.proto` sources loaded together, named f0.proto, f1.proto… */
export const parse = (...texts: string[]) =>
  parseProtoFiles(texts.map((text, i) => ({ name: `f${i}.proto`, text })));

/** A message decoded by a schema's type, which must succeed. */
export function decoded(schema: ProtoSchema, type: string, bytes: Uint8Array): unknown {
  const result = decodeMessage(schema, type, bytes);
  if ('error' in result) throw new Error(result.error);
  return result.value;
}
