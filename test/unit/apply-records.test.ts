import { describe, expect, it } from 'vitest';
import {
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  WIRE_PIECES,
} from '../../src/protocol/event-records';
import { decodeRecords } from '../../src/session/decode-records';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';

const doc = { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 };
const created = (id: number) => ({
  type: 'created',
  id,
  time: 1,
  requestedUrl: `ws://a/${id}`,
  url: `ws://a/${id}`,
  protocols: [],
});

/** A batch with every kind of record, and some that must not decode. */
function batch(): unknown[] {
  return [
    ...[RECORD_EVENT, 0, 0, created(1), 0, 0],
    ...[RECORD_SENT, 1, 10, 'hello', (3 << 2) | 1, 42],
    ...[RECORD_RECEIVED, 1, 11, [1, 'AAEC', 3, 3], 0, 0],
    ...[RECORD_SKIPPED, 0, 0, 0, 0, 0],
    ...[RECORD_RECEIVED, 1, 12, [WIRE_PIECES, 2, ''], 4 << 2, 0],
    ...[RECORD_SENT, 1, 13, 'no such origin', 99 << 2, 0],
    ...[RECORD_SENT, 1, 14, 'no bufferedAmount', 1, 'x'],
    ...[RECORD_RECEIVED, 2, 15, 'unknown connection', 0, 0],
    ...[RECORD_EVENT, 0, 0, { type: 'error', id: 1, time: 16 }, 0, 0],
    ...[7, 1, 17, 'unknown kind', 0, 0],
  ];
}

/**
 * The store as the panel builds it (records straight into frames), and from the same records
 * decoded into events first: decoding must lose nothing the store keeps.
 */
function bothWays(apply: (store: SessionStore, way: 'records' | 'events') => void) {
  return (['records', 'events'] as const).map((way) => {
    const store = new SessionStore();
    store.addDocument(doc);
    apply(store, way);
    return store;
  });
}

function applyBatch(
  store: SessionStore,
  way: 'records' | 'events',
  firstSeq: number,
  records: unknown,
  pieces: string[],
  lost = 0,
) {
  if (way === 'records') store.applyRecords('d', firstSeq, records, pieces, lost, 1);
  else {
    const { events, endSeq, malformed } = decodeRecords(firstSeq, records, pieces);
    applyEvents(store, 'd', events, lost, 1 + malformed, { firstSeq, endSeq });
  }
}

describe('SessionStore.applyRecords', () => {
  it('builds the same session as decoding into events and applying them', () => {
    const [direct, decoded] = bothWays((store, way) => {
      applyBatch(store, way, 0, batch(), ['pie', 'ces']);
      // The same batch again (a resent backlog) changes nothing; then a gap of 5 after it.
      applyBatch(store, way, 0, batch(), ['pie', 'ces']);
      applyBatch(store, way, 15, [RECORD_RECEIVED, 1, 20, 'after a gap', 0, 0], [], 2);
      applyBatch(store, way, 16, 'not records', []);
    });
    expect(direct!.frames.map((frame) => frame.payload)).toEqual(
      decoded!.frames.map((frame) => frame.payload),
    );
    expect(direct!.frames).toEqual(decoded!.frames);
    expect(direct!.connectionList).toEqual(decoded!.connectionList);
    expect([...direct!.documents.values()]).toEqual([...decoded!.documents.values()]);
    // What the batch holds: 4 frames of connection 1 (sent, binary, pieced text, error) per
    // batch, once, and the frame after the gap.
    expect(direct!.frames.map((frame) => frame.kind)).toEqual([
      'sent',
      'received',
      'received',
      'error',
      'received',
    ]);
    expect(direct!.frames[2]!.payload).toMatchObject({ kind: 'text', text: 'pieces' });
    expect(direct!.connectionList[0]).toMatchObject({
      sent: { count: 1, bytes: 5 },
      // Binary (3 bytes), pieced text ('pieces', delivered) and the one after the gap.
      received: { count: 3, bytes: 3 + 6 + 11 },
      peakBufferedAmount: 42,
    });
    const state = direct!.documents.get('d')!;
    // 1 rejected said by each of the 4 messages, 3 records that do not decode in each of the 2
    // batches, 1 for the message that holds no records; 5 lost in the gap (the relay said 2).
    expect(state).toMatchObject({ nextSeq: 16, lost: 5, rejected: 4 * 1 + 2 * 3 + 1 });
  });
});
