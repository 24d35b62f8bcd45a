import { describe, expect, it } from 'vitest';
import {
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  WIRE_BINARY,
  WIRE_TEXT,
} from '../../src/protocol/event-records';
import { PARSE_LIMITS } from '../../src/relay/parse-hook-messages';
import { readBlobs, toWireRecords } from '../../src/relay/wire-records';
import { decodeRecords } from '../../src/session/decode-records';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, sequence } from './session-fixtures';

const limits = { ...PARSE_LIMITS, maxPayload: 1000 };
/** What a Chrome port makes of records: a JSON round trip. */
const overPort = (records: unknown[]): unknown[] => JSON.parse(JSON.stringify(records));
const frame = (value: unknown, flags = 1, id: unknown = 1) => [
  RECORD_SENT,
  id,
  5.5,
  value,
  flags,
  0,
];

describe('wire records', () => {
  it('keeps whole texts as strings and encodes cut texts and binary with their sizes', () => {
    const bytes = new Uint8Array([1, 2, 3]).buffer;
    const wire = toWireRecords(
      [
        ...frame('whole'),
        ...frame('x'.repeat(20)),
        ...frame({ kind: 'bytes', bytes, originalSize: 9 }),
      ],
      10,
      limits,
    );
    expect(wire.rejected).toBe(0);
    expect(wire.records[3]).toBe('whole');
    expect(wire.records[9]).toEqual([WIRE_TEXT, 'x'.repeat(10), 10, 20]);
    expect(wire.records[15]).toEqual([WIRE_BINARY, 'AQID', 3, 9]);
    const { events } = decodeRecords(4, overPort(wire.records));
    expect(events.map(({ seq, event }) => [seq, event.type === 'sent' && event.payload])).toEqual([
      [4, { kind: 'text', text: 'whole', size: 5, originalSize: 5 }],
      [5, { kind: 'text', text: 'x'.repeat(10), size: 10, originalSize: 20 }],
      [6, { kind: 'binary', base64: 'AQID', size: 3, originalSize: 9 }],
    ]);
  });

  it('puts copies of the bytes of binary frames on ports that carry structured clones', async () => {
    const source = new Uint8Array([1, 2, 3, 4, 5]);
    const wire = toWireRecords(
      [
        ...frame({ kind: 'bytes', bytes: source.buffer, originalSize: 5 }),
        ...frame({ kind: 'blob', blob: new Blob([new Uint8Array([7, 8, 9, 10])]) }),
        ...frame('text is cut as before'),
      ],
      3,
      limits,
      true,
    );
    await readBlobs(wire, 3, true);
    const [, bytes, size, originalSize] = wire.records[3] as [number, ArrayBuffer, number, number];
    expect([[...new Uint8Array(bytes)], size, originalSize]).toEqual([[1, 2, 3], 3, 5]);
    source[0] = 99; // The page reusing its buffer changes nothing on the wire.
    expect(new Uint8Array(bytes)[0]).toBe(1);
    expect(wire.records[9]).toEqual([WIRE_BINARY, new Uint8Array([7, 8, 9]).buffer, 3, 4]);
    expect(wire.sizes).toEqual([3, 3, 21]);
    // A structured clone keeps the bytes; read back as wire events, binary is base64 either way.
    const { events } = decodeRecords(0, structuredClone(wire.records));
    expect(events.map(({ event }) => event.type === 'sent' && event.payload)).toEqual([
      { kind: 'binary', base64: 'AQID', size: 3, originalSize: 5 },
      { kind: 'binary', base64: 'BwgJ', size: 3, originalSize: 4 },
      { kind: 'text', text: 'tex', size: 3, originalSize: 21 },
    ]);
  });

  it.each([
    ['a connection id that is not a positive integer', frame('a', 1, -2)],
    ['an origin code no origin has', frame('a', 63 << 2)],
    ['flags beyond a byte', frame('a', 1 << 9)],
    ['a payload of no known shape', frame({ kind: 'html', text: '<b>' })],
    ['a text beyond the parse limit', frame('x'.repeat(1001))],
    ['a time that is not a number', [RECORD_RECEIVED, 1, 'noon', 'a', 0, 0]],
    ['an unknown record kind', [9, 1, 1, 'a', 0, 0]],
  ])('refuses %s, keeping its place in the sequence', (_, record) => {
    const wire = toWireRecords([...record, ...frame('after')], 1000, limits);
    expect(wire.rejected).toBe(1);
    expect(wire.records[0]).toBe(RECORD_SKIPPED);
    const decoded = decodeRecords(0, overPort(wire.records));
    expect(decoded.events.map((event) => event.seq)).toEqual([1]);
    expect(decoded.endSeq).toBe(2);
  });

  it('counts records that are not an array of whole records, and ones that do not decode, as malformed', () => {
    expect(decodeRecords(3, '[]')).toEqual({ events: [], endSeq: 3, malformed: 1 });
    expect(decodeRecords(3, [1, 2, 3])).toMatchObject({ malformed: 1 });
    const decoded = decodeRecords(0, overPort([...frame(42), ...frame('ok')]));
    expect(decoded).toMatchObject({ malformed: 1, endSeq: 2, events: [{ seq: 1 }] });
  });

  it('lets the panel move past refused records without counting them as lost', () => {
    const store = new SessionStore();
    const created = {
      type: 'created',
      id: 1,
      time: 1,
      requestedUrl: 'ws://a/',
      url: 'ws://a/',
      protocols: [],
    };
    const wire = toWireRecords(
      [0, 0, 0, created, 0, 0, ...frame('a', 1, 0), ...frame('b')],
      1000,
      limits,
    );
    const decoded = decodeRecords(0, overPort(wire.records));
    applyEvents(store, 'd', decoded.events, 0, wire.rejected, { firstSeq: 0, endSeq: 3 });
    applyEvents(store, 'd', decodeRecords(3, overPort(frame('c'))).events, 0, 0, {
      firstSeq: 3,
      endSeq: 4,
    });
    expect(store.frames.map((f) => f.payload?.kind === 'text' && f.payload.text)).toEqual([
      'b',
      'c',
    ]);
    expect(store.lost).toBe(0);
    expect(store.rejected).toBe(1);
  });

  it('gives the session the same bytes for a binary payload that came as base64 or as bytes', async () => {
    const page = () => [
      ...frame({ kind: 'bytes', bytes: new Uint8Array([0, 1, 2, 0xff]).buffer, originalSize: 6 }),
      ...frame({ kind: 'blob', blob: new Blob([new Uint8Array([9, 8, 7])]) }),
      ...[
        RECORD_EVENT,
        0,
        0,
        {
          type: 'held',
          id: 1,
          time: 6,
          heldId: 1,
          direction: 'outgoing',
          payload: { kind: 'bytes', bytes: new Uint8Array([0xca, 0xfe]).buffer, originalSize: 2 },
        },
        0,
        0,
      ],
    ];
    // Chrome's JSON ports carry base64; ports that clone (Firefox) carry the bytes.
    const [asBase64, asBytes] = await Promise.all(
      [false, true].map(async (binaryAsBytes) => {
        const wire = toWireRecords(page(), 4, limits, binaryAsBytes);
        await readBlobs(wire, 4, binaryAsBytes);
        expect(wire.rejected).toBe(0);
        expect(typeof (wire.records[3] as unknown[])[1]).toBe(binaryAsBytes ? 'object' : 'string');
        const store = new SessionStore();
        store.addDocument({ documentId: 'd', url: 'http://a/', startedAt: 1, frameId: 0 });
        applyEvents(store, 'd', sequence([created(1)]), 0, 0);
        const records = binaryAsBytes ? structuredClone(wire.records) : overPort(wire.records);
        store.applyRecords('d', 1, records, [], 0, 0);
        return store;
      }),
    );
    const payloads = (store: SessionStore) => [
      ...store.frames.map((f) => f.payload),
      ...[...store.held.values()].map((held) => held.payload),
    ];
    expect(payloads(asBase64!)).toEqual([
      { kind: 'binary', bytes: new Uint8Array([0, 1, 2, 0xff]), size: 4, originalSize: 6 },
      { kind: 'binary', bytes: new Uint8Array([9, 8, 7]), size: 3, originalSize: 3 },
      { kind: 'binary', bytes: new Uint8Array([0xca, 0xfe]), size: 2, originalSize: 2 },
    ]);
    expect(payloads(asBytes!)).toEqual(payloads(asBase64!));
  });
});
