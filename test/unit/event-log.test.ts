import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/capture/event-log';
import { hookEvents } from './record-helpers';

const ALL = Number.MAX_SAFE_INTEGER;

function texts(log: EventLog, fromSeq = 0): string[] {
  return hookEvents(log.read(fromSeq, ALL, ALL).records).map((event) =>
    'payload' in event && event.payload.kind === 'text' ? event.payload.text : event.type,
  );
}

describe('EventLog', () => {
  it('keeps frames field by field and gives them back as protocol events', () => {
    const log = new EventLog(10, 1000);
    log.appendEvent({ type: 'error', id: 3, time: 5 }, 0);
    log.appendFrame('sent', 3, 6.5, 'hi', 4, 1, 42, 'replayed');
    const bytes = new ArrayBuffer(2);
    log.appendFrame('received', 3, 7, { kind: 'bytes', bytes, originalSize: 9 }, 2, 0, 0, 'page');
    const read = log.read(0, ALL, ALL);
    expect(read).toMatchObject({ firstSeq: 0, count: 3 });
    expect(hookEvents(read.records)).toEqual([
      { type: 'error', id: 3, time: 5 },
      {
        type: 'sent',
        id: 3,
        time: 6.5,
        payload: { kind: 'text', text: 'hi' },
        readyState: 1,
        bufferedAmount: 42,
        origin: 'replayed',
      },
      {
        type: 'received',
        id: 3,
        time: 7,
        payload: { kind: 'bytes', bytes, originalSize: 9 },
        origin: 'page',
      },
    ]);
  });

  it('drops the oldest beyond its event bound, across ring growth and wrap-around', () => {
    const log = new EventLog(1500, ALL);
    for (let i = 0; i < 4000; i++) log.appendFrame('sent', 1, 1, `${i}`, 2, 1, 0, 'page');
    expect(log.size).toBe(1500);
    expect(log.firstSeq).toBe(2500);
    expect(texts(log, 3998)).toEqual(['3998', '3999']);
    expect(log.read(0, 2, ALL)).toMatchObject({ firstSeq: 2500, count: 2 });
  });

  it('drops the oldest beyond its byte bound, but always keeps the newest', () => {
    const log = new EventLog(100, 10);
    log.appendFrame('sent', 1, 1, 'a', 4, 1, 0, 'page');
    log.appendFrame('sent', 1, 1, 'b', 4, 1, 0, 'page');
    log.appendFrame('sent', 1, 1, 'c', 4, 1, 0, 'page');
    expect(texts(log)).toEqual(['b', 'c']);
    log.appendFrame('sent', 1, 1, 'huge', 50, 1, 0, 'page');
    expect(texts(log)).toEqual(['huge']);
    expect(log.byteSize).toBe(50);
  });

  it('reads in pieces bounded by bytes, the first always included', () => {
    const log = new EventLog(100, ALL);
    for (const text of ['a', 'b', 'c']) log.appendFrame('sent', 1, 1, text, 6, 1, 0, 'page');
    expect(log.read(0, ALL, 10).count).toBe(1);
    expect(log.read(0, ALL, 12).count).toBe(2);
  });

  it('applies lowered limits at once', () => {
    const log = new EventLog(100, ALL);
    for (const text of ['a', 'b', 'c']) log.appendFrame('sent', 1, 1, text, 6, 1, 0, 'page');
    log.setLimits(1, ALL);
    expect(texts(log)).toEqual(['c']);
    expect(log.firstSeq).toBe(2);
  });

  it('reads into an array whose every slot is its own: no setter on Array.prototype sees one', () => {
    const log = new EventLog(100, ALL);
    log.appendFrame('sent', 1, 1, 'REAL', 4, 1, 0, 'page');
    let calls = 0;
    Object.defineProperty(Array.prototype, '3', {
      configurable: true,
      set() {
        calls++;
      },
    });
    try {
      const { records } = log.read(0, ALL, ALL);
      expect(Object.hasOwn(records, 3)).toBe(true);
      expect(records[3]).toBe('REAL');
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['3'];
    }
    expect(calls).toBe(0);
  });
});
