import { describe, expect, it } from 'vitest';
import {
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  RECORD_SLOTS,
  SLOT_TIME,
  WIRE_TEXT,
} from '../../src/protocol/event-records';
import {
  stepFrameTimes,
  toMicrosecond,
  unstepFrameTimes,
} from '../../src/protocol/microsecond-steps';
import { decodeRecords } from '../../src/session/decode-records';

const created = { type: 'created', id: 1, url: 'ws://a/', time: 1764654123400.1238 };
const records: unknown[] = [
  RECORD_EVENT,
  0,
  0,
  created,
  0,
  0,
  RECORD_SENT,
  1,
  1764654123456.7893,
  'a',
  5,
  12,
  RECORD_SKIPPED,
  0,
  0,
  null,
  0,
  0,
  // Earlier than the frame before: a step may be negative.
  RECORD_RECEIVED,
  1,
  1764654123456.5,
  [WIRE_TEXT, 'cut', 3, 10],
  0,
  0,
  RECORD_RECEIVED,
  1,
  1764654123456.5002,
  'b',
  0,
  0,
];

/** Through JSON and back, as Chrome's ports carry a message. */
const overJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const timesOf = (flat: unknown[]) => flat.filter((_, at) => at % RECORD_SLOTS === SLOT_TIME);

describe('frame times in microsecond steps', () => {
  it('step each frame from the one before, whole microseconds, leaving other records be', () => {
    expect(timesOf(stepFrameTimes(records)!.steppedTimes)).toEqual([
      0, 1764654123456789, 0, -289, 0,
    ]);
  });

  it('come back as each frame time to the microsecond, everything else unchanged', () => {
    const back = unstepFrameTimes(overJson(stepFrameTimes(records)))!;
    expect(timesOf(back)).toEqual([0, 1764654123456.789, 0, 1764654123456.5, 1764654123456.5]);
    const others = (flat: unknown[]) => flat.filter((_, at) => at % RECORD_SLOTS !== SLOT_TIME);
    expect(others(back)).toEqual(others(records));
  });

  it('leave the records they were made from as they were', () => {
    const copy = records.slice();
    stepFrameTimes(records);
    expect(records).toEqual(copy);
  });

  it('are far fewer characters of JSON than the times they replace', () => {
    const echoes = Array.from({ length: 100 }, (_, at) => [
      at % 2 ? RECORD_RECEIVED : RECORD_SENT,
      1,
      1764654123456.7893 + at * 0.1,
      'x'.repeat(64),
      0,
      0,
    ]).flat();
    const flat = JSON.stringify(echoes).length;
    const stepped = JSON.stringify(stepFrameTimes(echoes)).length;
    expect(stepped).toBeLessThan(flat * 0.87);
  });

  it('decode as the flat records do, every time to the microsecond', () => {
    const stepped = decodeRecords(4, overJson(stepFrameTimes(records)));
    const flat = decodeRecords(4, overJson(records));
    expect(stepped).toEqual(flat);
    expect(flat.events.map(({ event }) => event.time)).toEqual([
      1764654123400.124, 1764654123456.789, 1764654123456.5, 1764654123456.5,
    ]);
  });

  it('keep a frame and an event of the same instant equal', () => {
    const instant = 1764654123456.7893;
    const same = [
      RECORD_SENT,
      1,
      instant,
      'a',
      1,
      0,
      RECORD_EVENT,
      0,
      0,
      { type: 'closed', id: 1, time: instant, code: 1000, reason: '', wasClean: true },
      0,
      0,
    ];
    const [frame, event] = decodeRecords(0, overJson(stepFrameTimes(same))).events;
    expect(frame!.event.time).toBe(event!.event.time);
    expect(toMicrosecond(toMicrosecond(instant))).toBe(toMicrosecond(instant));
  });

  it('are not made from a frame time no whole microsecond count holds', () => {
    for (const time of [Number.NaN, Infinity, 1e13]) {
      expect(stepFrameTimes([RECORD_SENT, 1, time, 'a', 1, 0])).toBeUndefined();
    }
  });

  it.each([
    ['not an object', 'records'],
    ['null', null],
    ['steps that are not an array', { steppedTimes: { length: 6 } }],
    ['a record cut short', { steppedTimes: [RECORD_SENT, 1, 5, 'a', 1] }],
    ['a fractional step', { steppedTimes: [RECORD_SENT, 1, 0.5, 'a', 1, 0] }],
    ['a step that is no number', { steppedTimes: [RECORD_SENT, 1, '5', 'a', 1, 0] }],
    [
      'steps whose sum is not exact',
      {
        steppedTimes: [
          RECORD_SENT,
          1,
          Number.MAX_SAFE_INTEGER,
          'a',
          1,
          0,
          RECORD_SENT,
          1,
          Number.MAX_SAFE_INTEGER,
          'b',
          1,
          0,
        ],
      },
    ],
  ])('refuse %s as a whole, one malformed message', (_, stepped) => {
    expect(unstepFrameTimes(stepped)).toBeUndefined();
    expect(decodeRecords(3, stepped)).toEqual({ events: [], endSeq: 3, malformed: 1 });
  });
});
