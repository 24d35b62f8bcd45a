import { parseDescriptorSet, parseProtoFiles } from '../decoders/proto-schema';
import type { ProtoSchema } from '../decoders/proto-types';
import type { ProtobufTypeMapping } from '../decoders/protobuf-typed';
import { bytesToBase64, tryBase64ToBytes } from './base64';
import { decodeAsPattern } from './decode-as';

/**
 * The protobuf schema the user loaded (`.proto` files, or one descriptor set), as kept in
 * extension storage, and which message type each URL pattern's frames are, per direction.
 */
export type StoredSchema =
  | { kind: 'proto'; files: Array<{ name: string; text: string }> }
  | { kind: 'descriptor'; name: string; base64: string };

export interface LoadedSchema {
  stored: StoredSchema;
  schema: ProtoSchema;
  /** Message type names, sorted, for the pickers. */
  messageTypes: string[];
  /** The files it came from, for the user. */
  source: string;
}

export type ProtoMappings = Record<string, ProtobufTypeMapping>;

/** Files whose name ends so are descriptor sets (protoc's --descriptor_set_out); others are .proto. */
const DESCRIPTOR = /\.(desc|pb|bin|protoset)$/i;

/** Builds a schema from what the user picked, or says what is wrong with it. */
export function schemaFromFiles(
  files: Array<{ name: string; text?: string; bytes?: Uint8Array }>,
): LoadedSchema | { error: string } {
  if (files.length === 0) return { error: 'no file chosen' };
  const descriptor = files.find((file) => DESCRIPTOR.test(file.name));
  if (descriptor) {
    if (files.length > 1) return { error: 'choose one descriptor set, or .proto files only' };
    if (!descriptor.bytes) return { error: `${descriptor.name} could not be read` };
    return schemaFromStorage({
      kind: 'descriptor',
      name: descriptor.name,
      base64: bytesToBase64(descriptor.bytes),
    });
  }
  return schemaFromStorage({
    kind: 'proto',
    files: files.map((file) => ({ name: file.name, text: file.text ?? '' })),
  });
}

/** A schema from storage (or just built): anything malformed gives an error, never a throw. */
export function schemaFromStorage(stored: unknown): LoadedSchema | { error: string } {
  const parsed = storedSchemaOf(stored);
  if (!parsed) return { error: 'no schema stored' };
  const bytes = parsed.kind === 'descriptor' ? tryBase64ToBytes(parsed.base64) : undefined;
  if (parsed.kind === 'descriptor' && !bytes)
    return { error: 'the stored descriptor set is damaged' };
  const result =
    parsed.kind === 'proto' ? parseProtoFiles(parsed.files) : parseDescriptorSet(bytes!);
  if ('error' in result) return { error: result.error };
  return {
    stored: parsed,
    schema: result.schema,
    messageTypes: [...result.schema.messages.keys()].sort(),
    source:
      parsed.kind === 'proto' ? parsed.files.map((file) => file.name).join(', ') : parsed.name,
  };
}

function storedSchemaOf(value: unknown): StoredSchema | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (record.kind === 'descriptor' && typeof record.base64 === 'string') {
    return {
      kind: 'descriptor',
      name: String(record.name ?? 'descriptor set'),
      base64: record.base64,
    };
  }
  if (record.kind === 'proto' && Array.isArray(record.files)) {
    const files = record.files.filter(
      (file): file is { name: string; text: string } =>
        file !== null &&
        typeof file === 'object' &&
        typeof (file as { name?: unknown }).name === 'string' &&
        typeof (file as { text?: unknown }).text === 'string',
    );
    return { kind: 'proto', files: files.map(({ name, text }) => ({ name, text })) };
  }
  return undefined;
}

/** Mappings from whatever storage holds: only strings for `sent` and `received` are kept. */
export function mappingsFromStorage(stored: unknown): ProtoMappings {
  const mappings: ProtoMappings = Object.create(null);
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return mappings;
  for (const [pattern, value] of Object.entries(stored).slice(-200)) {
    if (value === null || typeof value !== 'object') continue;
    const { sent, received } = value as Record<string, unknown>;
    const mapping: ProtobufTypeMapping = {};
    if (typeof sent === 'string' && sent.length <= 4096) mapping.sent = sent;
    if (typeof received === 'string' && received.length <= 4096) mapping.received = received;
    mappings[pattern] = mapping;
  }
  return mappings;
}

/** The mappings with one direction of a URL pattern set ('' for the wire format). */
export function withMapping(
  mappings: ProtoMappings,
  url: string,
  direction: 'sent' | 'received',
  typeName: string,
): ProtoMappings {
  const pattern = decodeAsPattern(url);
  const next: ProtoMappings = Object.create(null);
  for (const [key, value] of Object.entries(mappings)) next[key] = value;
  const mapping = { ...next[pattern] };
  if (typeName === '') delete mapping[direction];
  else mapping[direction] = typeName;
  next[pattern] = mapping;
  return next;
}
