import { it } from 'vitest';
import { parseProtoFiles, parseDescriptorSet } from '../../../src/decoders/proto-schema';
import { decodeMessage } from '../../../src/decoders/protobuf-typed';
import { CHAT_FILES, COMMON_PROTO, CHAT_PROTO, LEGACY_PROTO, protobufjsRoot, encodeWith, decodeWith, loadDescriptorExtension, descriptorSetOf } from './proto-fixtures';

it('smoke', () => {
  const r = parseProtoFiles([...CHAT_FILES, { name: 'legacy.proto', text: LEGACY_PROTO }]);
  if ('error' in r) throw new Error(r.error);
  console.log([...r.schema.messages.keys()], [...r.schema.enums.keys()]);
  const root = protobufjsRoot(COMMON_PROTO, CHAT_PROTO);
  const bytes = encodeWith(root, 'acme.chat.v1.ChatEvent', { sequence: 5, sent_at: { seconds: 17, nanos: 3 }, message: { text: 'hi', author: { id: 'a', role: 'ADMIN' } }, read_by: [1, 2, 300], deltas: [-1, 5], participants: { bob: { id: 'b' } }, labels: { '3': 'x' }, priority: 'PRIORITY_HIGH', roles: ['MEMBER', 'OWNER'], score: 1.5, ratio: 0.25, checksum: 99, offset: -4, topic: '', priorities: { a: 'PRIORITY_LOW' }, history: [{ text: 'old' }] });
  console.log(JSON.stringify(decodeWith(root, 'acme.chat.v1.ChatEvent', bytes)));
  console.log(JSON.stringify(decodeMessage(r.schema, 'acme.chat.v1.ChatEvent', bytes)));
  const ext = loadDescriptorExtension()!;
  const set = descriptorSetOf(ext, root, 'proto3');
  const d = parseDescriptorSet(set);
  console.log('error' in d ? d.error : [...d.schema.messages.keys()]);
  const root2 = protobufjsRoot(LEGACY_PROTO);
  const b2 = encodeWith(root2, 'legacy.Envelope', { version: 1, ids: [1, 2], codes: [3, 4], kind: 'KIND_A', header: { key: 'k', stamp: 7 }, delta: -3, big: '18446744073709551615', crc: 5, urgent: true, drift: -9 });
  console.log(JSON.stringify(decodeWith(root2, 'legacy.Envelope', b2, String)));
  console.log(JSON.stringify(decodeMessage(r.schema, 'legacy.Envelope', b2)));
  const d2 = parseDescriptorSet(descriptorSetOf(ext, root2, 'proto2'));
  console.log('error' in d2 ? d2.error : JSON.stringify([...d2.schema.messages.values()]));
});
