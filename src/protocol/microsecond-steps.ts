import { RECORD_RECEIVED, RECORD_SENT, RECORD_SLOTS, SLOT_KIND, SLOT_TIME } from './event-records';

/**
 * An events message's records as they travel on JSON ports (Chrome's): flat, but each frame's
 * time as a whole number of microseconds, the first frame's in full and every later frame's as
 * the step from the frame before. A frame's epoch time in milliseconds is about 19 characters of
 * JSON; its step, a few. Chrome's extension messaging costs the browser's process and the
 * panel's by the byte, and a small frame's record is about 90 of them (measured: CHANGELOG.md).
 *
 * Times are kept to the microsecond, finer than any browser's clock gives a page; the panel
 * keeps every time it reads to the microsecond ({@link toMicrosecond}), so that a frame and an
 * event of the same instant stay equal whichever way their records travelled.
 */
export interface SteppedRecords {
  steppedTimes: unknown[];
}

/** A time in milliseconds, to the microsecond. */
export function toMicrosecond(time: number): number {
  return Math.round(time * 1000) / 1000;
}

/**
 * The records with their frames' times stepped, or undefined when a frame's time does not fit
 * (it is not a finite number of milliseconds a whole microsecond count holds exactly).
 */
export function stepFrameTimes(records: readonly unknown[]): SteppedRecords | undefined {
  const stepped = records.slice();
  let previous = 0;
  for (let at = 0; at < stepped.length; at += RECORD_SLOTS) {
    if (!isFrameKind(stepped[at + SLOT_KIND])) continue;
    const microseconds = Math.round((stepped[at + SLOT_TIME] as number) * 1000);
    if (!Number.isSafeInteger(microseconds)) return undefined;
    stepped[at + SLOT_TIME] = microseconds - previous;
    previous = microseconds;
  }
  return { steppedTimes: stepped };
}

/**
 * The flat records a {@link SteppedRecords} holds, frame times in milliseconds again (its own
 * array, changed in place: a received message is read once), or undefined when it does not add
 * up (not whole records, or a step that is not a whole number whose sum stays exact).
 */
export function unstepFrameTimes(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { steppedTimes } = value as Partial<SteppedRecords>;
  if (!Array.isArray(steppedTimes) || steppedTimes.length % RECORD_SLOTS !== 0) return undefined;
  let microseconds = 0;
  for (let at = 0; at < steppedTimes.length; at += RECORD_SLOTS) {
    if (!isFrameKind(steppedTimes[at + SLOT_KIND])) continue;
    const step = steppedTimes[at + SLOT_TIME];
    if (typeof step !== 'number' || !Number.isSafeInteger(step)) return undefined;
    microseconds += step;
    if (!Number.isSafeInteger(microseconds)) return undefined;
    steppedTimes[at + SLOT_TIME] = microseconds / 1000;
  }
  return steppedTimes;
}

function isFrameKind(kind: unknown): boolean {
  return kind === RECORD_SENT || kind === RECORD_RECEIVED;
}
