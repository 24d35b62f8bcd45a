import { describe, expect, it } from 'vitest';
import {
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  WIRE_BINARY,
  WIRE_PIECES,
  WIRE_TEXT,
} from '../../src/protocol/event-records';
import { splitText, takeLongPayloads } from '../../src/relay/payload-pieces';
import { decodeRecords } from '../../src/session/decode-records';

/** What a Chrome port makes of a message: a JSON round trip. */
const overPort = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const frame = (kind: number, value: unknown) => [kind, 1, 5.5, value, 1, 0];

describe('splitText', () => {
  it('cuts a text into pieces of at most the given size that join to the text', () => {
    const pieces: string[] = [];
    expect(splitText('abcdefghij', 4, pieces)).toBe(3);
    expect(pieces).toEqual(['abcd', 'efgh', 'ij']);
    expect(splitText('', 4, pieces)).toBe(0);
  });

  it('never separates the halves of a surrogate pair', () => {
    const text = 'ab😀cd😀😀e'.repeat(50);
    for (const size of [2, 3, 4, 5, 7]) {
      const pieces: string[] = [];
      splitText(text, size, pieces);
      expect(pieces.join('')).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(size);
        expect(/[\uD800-\uDBFF]$/.test(piece)).toBe(false);
      }
    }
  });
});

describe('long payloads in pieces', () => {
  const long = `${'é😀'.repeat(40)}z`;
  const base64 = 'QUJD'.repeat(30);

  function records() {
    return [
      ...frame(RECORD_SENT, long),
      ...frame(RECORD_SENT, 'short'),
      ...frame(RECORD_RECEIVED, [WIRE_BINARY, base64, 90, 90]),
      ...frame(RECORD_RECEIVED, [WIRE_TEXT, long, 150, 900]),
      ...[RECORD_EVENT, 0, 0, { type: 'error', id: 1, time: 6, message: long }, 0, 0],
      ...[RECORD_SKIPPED, 0, 0, null, 0, 0],
    ];
  }

  it('moves only frame payloads longer than a piece out, and gets them back whole', () => {
    const sent = records();
    const pieces = takeLongPayloads(sent, 50);
    expect(sent[3]).toEqual([WIRE_PIECES, 3, '']);
    expect(sent[9]).toBe('short');
    expect(sent[15]).toEqual([WIRE_PIECES, 3, [WIRE_BINARY, '', 90, 90]]);
    expect(sent[21]).toEqual([WIRE_PIECES, 3, [WIRE_TEXT, '', 150, 900]]);
    expect((sent[27] as { message: string }).message).toBe(long);
    expect(pieces).toHaveLength(9);

    const decoded = decodeRecords(10, overPort(sent), overPort(pieces));
    const whole = decodeRecords(10, records());
    expect(decoded).toEqual(whole);
    expect(decoded.malformed).toBe(0);
    expect(decoded.events.map(({ seq }) => seq)).toEqual([10, 11, 12, 13, 14]);
    expect(decoded.events[2]!.event).toMatchObject({ payload: { kind: 'binary', base64 } });
  });

  it('leaves binary bytes whole, however long', () => {
    const bytes = new Uint8Array(500).buffer;
    const sent = [...frame(RECORD_RECEIVED, [WIRE_BINARY, bytes, 500, 500])];
    expect(takeLongPayloads(sent, 50)).toEqual([]);
    expect(sent[3]).toEqual([WIRE_BINARY, bytes, 500, 500]);
  });

  it('counts a payload whose pieces are missing, and pieces no record took, as malformed', () => {
    const sent = records();
    const pieces = takeLongPayloads(sent, 50);
    const short = decodeRecords(0, sent, pieces.slice(0, 7));
    expect(short.malformed).toBe(2); // The cut payload, and the one piece it could not use.
    expect(short.events.map(({ seq }) => seq)).toEqual([0, 1, 2, 4]);

    const extra = decodeRecords(0, sent, [...pieces, 'stray']);
    expect(extra.malformed).toBe(1);
    expect(extra.events).toHaveLength(5);
  });

  it.each([
    ['a count that is not a whole number', [WIRE_PIECES, 1.5, '']],
    ['a negative count', [WIRE_PIECES, -1, '']],
    ['a payload that kept its data', [WIRE_PIECES, 1, [WIRE_TEXT, 'x', 1, 1]]],
    ['no payload at all', [WIRE_PIECES, 1, null]],
  ])('refuses %s', (_name, value) => {
    const decoded = decodeRecords(0, frame(RECORD_SENT, value), ['piece']);
    expect(decoded.events).toEqual([]);
    expect(decoded.malformed).toBeGreaterThan(0);
  });
});
