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
import { packRecords, unpackRecords } from '../../src/protocol/packed-records';
import { decodeRecords } from '../../src/session/decode-records';

const records: unknown[] = [
  RECORD_EVENT,
  0,
  0,
  { type: 'created', id: 1, url: 'ws://a/', time: 1 },
  0,
  0,
  RECORD_SENT,
  1,
  1764654123456.7893,
  'a,b;c',
  5,
  123456789012,
  RECORD_RECEIVED,
  1,
  1764654123457.0002,
  '',
  0,
  0,
  // A lone high surrogate, then a lone low one: joined they would make a pair.
  RECORD_SENT,
  1,
  0.1 + 0.2,
  '\ud83d',
  1,
  0,
  RECORD_RECEIVED,
  1,
  1e21,
  '\ude00 😀 "quoted" \\ \n',
  0,
  0,
  RECORD_SKIPPED,
  0,
  0,
  null,
  0,
  0,
  RECORD_RECEIVED,
  1,
  3,
  [WIRE_TEXT, 'cut', 3, 10],
  0,
  0,
  RECORD_RECEIVED,
  1,
  4,
  [WIRE_BINARY, 'AAE=', 2, 2],
  0,
  0,
  RECORD_RECEIVED,
  1,
  5,
  [WIRE_PIECES, 2, [WIRE_TEXT, '', 3, 3]],
  0,
  0,
];

const f64 = (...numbers: number[]) => Float64Array.from(numbers);

describe('packed records', () => {
  it('unpack to the same flat records, value for value', () => {
    expect(unpackRecords(packRecords(records))).toEqual(records);
  });

  it('hold a few values however many records they carry', () => {
    const many = Array.from({ length: 1000 }, (_, at) => [
      RECORD_SENT,
      1,
      at,
      `m${at}`,
      1,
      0,
    ]).flat();
    const packed = packRecords(many);
    expect(packed.values).toEqual([]);
    expect(unpackRecords(packed)).toEqual(many);
  });

  it('survive structured cloning unchanged', () => {
    expect(unpackRecords(structuredClone(packRecords(records)))).toEqual(records);
  });

  it('keep times and buffered amounts exactly', () => {
    const times = [1764654123456.7893, 0.1 + 0.2, Number.MAX_SAFE_INTEGER + 2, 5e-324];
    const flat = times.flatMap((time) => [RECORD_SENT, 2, time, 'x', 1, time]);
    const unpacked = unpackRecords(structuredClone(packRecords(flat)))!;
    expect(unpacked.filter((_, at) => at % 6 === 2)).toEqual(times);
    expect(unpacked.filter((_, at) => at % 6 === 5)).toEqual(times);
  });

  it('pack no records as empty', () => {
    expect(packRecords([])).toEqual({ numbers: new Float64Array(0), texts: '', values: [] });
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });

  it('decode as the flat records do', () => {
    expect(decodeRecords(7, packRecords(records))).toEqual(decodeRecords(7, records));
  });

  it.each([
    ['not an object', 'records'],
    ['null', null],
    [
      'numbers that are not a Float64Array',
      { numbers: [1, 1, 1, 1, 0, -1], texts: '', values: [1] },
    ],
    ['texts that are not a string', { numbers: f64(), texts: 1, values: [] }],
    ['values that are not an array', { numbers: f64(), texts: '', values: {} }],
    ['no records but texts', { numbers: f64(), texts: 'x', values: [] }],
    ['no records but values', { numbers: f64(), texts: '', values: [1] }],
    ['a record cut short', { numbers: f64(1, 1, 1, 1, 1), texts: '', values: [] }],
    ['a text longer than the texts', { numbers: f64(1, 1, 1, 1, 0, 4), texts: 'abc', values: [] }],
    ['texts left over', { numbers: f64(1, 1, 1, 1, 0, 2), texts: 'abc', values: [] }],
    ['a value missing', { numbers: f64(1, 1, 1, 1, 0, -1), texts: '', values: [] }],
    ['values left over', { numbers: f64(1, 1, 1, 1, 0, -1), texts: '', values: ['a', 'b'] }],
    ['a negative length', { numbers: f64(1, 1, 1, 1, 0, -2), texts: 'ab', values: [] }],
    ['a fractional length', { numbers: f64(1, 1, 1, 1, 0, 1.5), texts: 'ab', values: [] }],
    [
      'a number slot that is no number',
      { numbers: f64(1, Number.NaN, 1, 1, 0, 1), texts: 'a', values: [] },
    ],
    [
      'a number slot that is not finite',
      { numbers: f64(1, 1, Infinity, 1, 0, 1), texts: 'a', values: [] },
    ],
    [
      'a length that is no number',
      { numbers: f64(1, 1, 1, 1, 0, Number.NaN), texts: 'ab', values: [] },
    ],
  ])('refuse %s as a whole, one malformed message', (_, packed) => {
    expect(unpackRecords(packed)).toBeUndefined();
    expect(decodeRecords(3, packed)).toEqual({ events: [], endSeq: 3, malformed: 1 });
  });
});
