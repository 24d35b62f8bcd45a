import { it } from 'vitest';
import { parseDescriptorSet } from '../../../src/decoders/proto-schema';
import { readProtobuf } from '../../../src/decoders/protobuf-wire';
import { loadDescriptorExtension, descriptorSetOf, protobufjsRoot, LEGACY_PROTO } from './proto-fixtures';
it('d', () => {
  const ext = loadDescriptorExtension()!;
  const root = protobufjsRoot(LEGACY_PROTO);
  const bytes = descriptorSetOf(ext, root, 'proto2');
  console.log(JSON.stringify(ext.FileDescriptorSet.toObject(ext.FileDescriptorSet.decode(bytes))));
  console.log(JSON.stringify(readProtobuf(bytes)));
  const d = parseDescriptorSet(bytes);
  console.log('error' in d ? d.error : 'ok');
});
