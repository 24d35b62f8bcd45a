import { describe, expect, it } from 'vitest';
import {
  mappingsFromStorage,
  schemaFromFiles,
  schemaFromStorage,
  withMapping,
} from '../../src/session/proto-schemas';

const TICK = `syntax = "proto3";
package demo;
message Tick { string symbol = 1; int32 seq = 2; }`;

describe('the stored protobuf schema', () => {
  it('builds from .proto files, survives storage, and lists its message types', () => {
    const loaded = schemaFromFiles([{ name: 'tick.proto', text: TICK }]);
    if ('error' in loaded) throw new Error(loaded.error);
    expect(loaded.messageTypes).toEqual(['demo.Tick']);
    const again = schemaFromStorage(JSON.parse(JSON.stringify(loaded.stored)));
    expect('error' in again ? again.error : again.messageTypes).toEqual(['demo.Tick']);
  });

  it('says what is wrong with a bad file or a damaged store, and never throws', () => {
    const bad = schemaFromFiles([{ name: 'bad.proto', text: 'message { oops' }]);
    expect('error' in bad && bad.error).toMatch(/bad\.proto:1/);
    expect(schemaFromFiles([])).toEqual({ error: 'no file chosen' });
    expect(
      schemaFromFiles([{ name: 'set.desc', bytes: new Uint8Array([0xff, 0xff, 0xff]) }]),
    ).toHaveProperty('error');
    expect(schemaFromStorage({ kind: 'descriptor', base64: '%%%' })).toHaveProperty('error');
    expect(schemaFromStorage(42)).toHaveProperty('error');
  });

  it('keeps a message type per URL pattern and direction, and only strings from storage', () => {
    let mappings = mappingsFromStorage({
      'ws://a/x': { sent: 'demo.Tick', received: 7 },
      bad: 'x',
    });
    expect({ ...mappings }).toEqual({ 'ws://a/x': { sent: 'demo.Tick' } });
    mappings = withMapping(mappings, 'ws://a/x?token=1', 'received', 'demo.Tick');
    expect(mappings['ws://a/x']).toEqual({ sent: 'demo.Tick', received: 'demo.Tick' });
    mappings = withMapping(mappings, 'ws://a/x', 'sent', '');
    expect(mappings['ws://a/x']).toEqual({ received: 'demo.Tick' });
  });
});
