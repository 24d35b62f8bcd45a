/**
 * `.proto` sources shared by the schema and typed-decoder tests, and the protobufjs side of the
 * comparisons: protobufjs is only a test dependency, the panel never loads it.
 */

import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

export const COMMON_PROTO = `
syntax = "proto3";
package acme.common;

// A point in time, as google.protobuf.Timestamp has it.
message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}

enum Priority {
  PRIORITY_UNSPECIFIED = 0;
  PRIORITY_LOW = 1;
  PRIORITY_HIGH = 2;
}
`;

export const CHAT_PROTO = `
syntax = "proto3";
package acme.chat.v1;

import "common/types.proto";
option java_package = "com.acme.chat";

/* Events the server pushes
   over the socket; one per frame. */
message ChatEvent {
  message Author {
    string id = 1;
    string display_name = 2 [json_name = "displayName", deprecated = true];
    Role role = 3;
    enum Role {
      option allow_alias = true;
      ROLE_UNSPECIFIED = 0;
      MEMBER = 1;
      ADMIN = 2;
      OWNER = 2;
    }
  }
  message Message {
    string text = 1;
    Author author = 2;
    repeated string mentions = 3;
    bytes attachment = 4;
  }
  message Typing {
    Author author = 1;
    bool active = 2;
  }

  uint64 sequence = 1;
  common.Timestamp sent_at = 2;
  oneof payload {
    option (acme.oneof_opt) = true;
    Message message = 3;
    Typing typing = 4;
    string system_notice = 5;
  }
  repeated int32 read_by = 6;
  repeated sint64 deltas = 7 [packed = true];
  map<string, Author> participants = 8;
  map<int32, string> labels = 9;
  acme.common.Priority priority = 10;
  repeated Author.Role roles = 11;
  double score = 12;
  float ratio = 13;
  fixed64 checksum = 14;
  sfixed32 offset = 15;
  optional string topic = 16;
  map<string, .acme.common.Priority> priorities = 17;
  repeated Message history = 18;
  reserved 20 to 25, 30;
  reserved "legacy";
}

service Chat {
  rpc Send (ChatEvent) returns (ChatEvent) {
    option (google.api.http) = { post: "/v1/send" body: "*" };
  }
}
`;

export const LEGACY_PROTO = `
syntax = "proto2";
package legacy;

message Envelope {
  required int32 version = 1;
  optional string name = 2 [default = "none"];
  repeated int64 ids = 3;
  repeated uint32 codes = 4 [packed = true];
  optional Kind kind = 5 [default = KIND_B];
  enum Kind {
    KIND_A = 1;
    KIND_B = 2;
  }
  optional group Header = 6 {
    optional string key = 1;
    optional int64 stamp = 2;
  }
  extensions 100 to 199;
  optional sint32 delta = 7;
  optional uint64 big = 8;
  optional fixed32 crc = 9;
  optional bool urgent = 10;
  optional sfixed64 drift = 11;
}

extend Envelope {
  optional string note = 100;
}
`;

export const CHAT_FILES = [
  { name: 'common/types.proto', text: COMMON_PROTO },
  { name: 'chat/v1/chat.proto', text: CHAT_PROTO },
];

/** A protobufjs root holding the given sources, with field names as written. */
export function protobufjsRoot(...sources: string[]): protobuf.Root {
  const root = new protobuf.Root();
  for (const source of sources) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return root;
}

export function encodeWith(root: protobuf.Root, type: string, value: object): Uint8Array {
  const messageType = root.lookupType(type);
  const message = messageType.fromObject(value);
  const problem = messageType.verify(message);
  if (problem) throw new Error(problem);
  return new Uint8Array(messageType.encode(message).finish());
}

/** What protobufjs itself reads back, in the form the typed decoder gives. */
export function decodeWith(
  root: protobuf.Root,
  type: string,
  bytes: Uint8Array,
  longs: typeof Number | typeof String = Number,
): unknown {
  const messageType = root.lookupType(type);
  return plain(messageType.toObject(messageType.decode(bytes), { enums: String, longs }));
}

/** Node's Buffers become plain Uint8Arrays, which is what the decoder gives for bytes. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

type DescriptorModule = { FileDescriptorSet: protobuf.Type };
type DescribableRoot = protobuf.Root & { toDescriptor(edition: string): protobuf.Message };

/**
 * protobufjs's descriptor extension, when this protobufjs has it: a CommonJS directory module,
 * so it is loaded with require rather than a static import.
 */
export function loadDescriptorExtension(): DescriptorModule | undefined {
  try {
    return createRequire(import.meta.url)('protobufjs/ext/descriptor') as DescriptorModule;
  } catch {
    return undefined;
  }
}

/** The FileDescriptorSet protobufjs makes of a root, encoded as protoc would write it. */
export function descriptorSetOf(
  extension: DescriptorModule,
  root: protobuf.Root,
  edition: 'proto2' | 'proto3',
): Uint8Array {
  const set = (root as DescribableRoot).toDescriptor(edition);
  return new Uint8Array(extension.FileDescriptorSet.encode(set).finish());
}
