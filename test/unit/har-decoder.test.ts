import { describe, expect, it } from 'vitest';
import { harBlob } from '../../src/session/har/har-export';
import { HarImportError, parseHar } from '../../src/session/har/har-import';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, sent, sequence, text } from './session-fixtures';

const doc = { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 };

async function exported(decoder: string | null): Promise<string> {
  const store = new SessionStore();
  store.addDocument(doc);
  applyEvents(
    store,
    'd',
    sequence([created(1, 'ws://page.test/socket.io/?EIO=4'), sent(1, text('2'))]),
  );
  const blob = await harBlob(store, { scope: 'session' }, undefined, () => decoder);
  return blob.text();
}

describe('the decoder in HAR files', () => {
  it('is written as _decoder and read back onto the imported connection', async () => {
    const har = await exported('socket.io');
    expect(JSON.parse(har).log.entries[0]._decoder).toBe('socket.io');
    const [connection] = parseHar(har, 'i', 'x.har').connections;
    expect(connection!.decoder).toBe('socket.io');
  });

  it('is left out when the connection has none, and refused when malformed', async () => {
    const plain = await exported(null);
    expect(JSON.parse(plain).log.entries[0]).not.toHaveProperty('_decoder');
    expect(parseHar(plain, 'i', 'x.har').connections[0]!.decoder).toBeUndefined();
    const hostile = plain.replace(
      '"_sockscopeVersion":1',
      '"_decoder":"<img src=x>","_sockscopeVersion":1',
    );
    expect(() => parseHar(hostile, 'i', 'x.har')).toThrow(HarImportError);
  });
});
