import { DEFAULT_LIMITS } from '../protocol/limits';
import { emptiedBinary } from './frame-payload';
import { searchedHexLength } from './searchable-text';
import type { Frame, FramePayload } from './session-model';

/** Engines may keep text as UTF-16: two bytes a character, at worst. */
const TEXT_BYTES_PER_CHAR = 2;

/**
 * Frames a log placed before its end (out of time order), in the order it placed them, by the
 * log's frame array: a view handed only the array (filtered-frames.ts) catches up with them.
 */
const placedBefore = new WeakMap<readonly Frame[], readonly Frame[]>();

/** The frames placed before the end of `frames` since it was last emptied, if a log keeps it. */
export function framesPlacedBefore(frames: readonly Frame[]): readonly Frame[] | undefined {
  return placedBefore.get(frames);
}

/**
 * The session's frame list in time order, within a memory budget: beyond it the oldest frames
 * lose their payload's content (counted, so the panel can say so) but keep their row.
 *
 * Frames mostly come in time order (one document's events are), so a frame at or after the last
 * time is pushed: O(1). Documents' batches interleave, though (an iframe's batch can carry times
 * before the top document's last one), so an earlier frame is placed after every frame of its
 * time or earlier, by binary search: equal times keep arrival order. Placing it shifts the frames
 * after it, renumbering their `index` (always the frame's position): O(frames after it), which is
 * a batch interval's worth for a late batch. Frames so placed are listed for views that must
 * catch up with them ({@link framesPlacedBefore}).
 */
export class FrameLog {
  readonly frames: Frame[] = [];
  /** Frames placed before the end since the log was last emptied, in the order placed. */
  private readonly placed: Frame[] = [];
  /** While paused, frames are counted, not kept (their connections are still followed). */
  paused = false;
  /** Payload bytes the log keeps; beyond it the oldest frames lose their payload content. */
  memoryBudget = DEFAULT_LIMITS.panelMemoryBudget;
  payloadBytes = 0;
  notRecorded = 0;
  evictedFrames = 0;
  evictedBytes = 0;
  /**
   * Eviction goes oldest first, by position (which is time order): frames before this index have
   * had their payload evicted, except frames placed there since, which move it back.
   */
  private evictedUpTo = 0;

  constructor() {
    placedBefore.set(this.frames, this.placed);
  }

  /** Adds a frame the page sent, received or caused, unless paused. */
  add(frame: Frame): void {
    if (this.paused) {
      this.notRecorded++;
      return;
    }
    this.append(frame);
  }

  /** Adds a frame in time order whatever the pause (one kept from before the page changed). */
  append(frame: Frame): void {
    const { frames } = this;
    const count = frames.length;
    if (count === 0 || frames[count - 1]!.time <= frame.time) {
      frame.index = count;
      frames.push(frame);
    } else this.place(frame, placeAfterTime(frames, frame.time, 0, count));
    if (frame.payload) {
      this.payloadBytes += payloadContentLength(frame.payload);
      if (this.payloadBytes > this.memoryBudget) this.evictOldestPayloads();
    }
  }

  /**
   * Merges frames read from a file into the list by time, in one pass over the frames after the
   * first one they go before: O(frames + frames after it), not one shift per frame. Among equal
   * times, frames already listed come first, then these in their given order.
   */
  merge(incoming: readonly Frame[]): void {
    if (incoming.length === 0) return;
    // A stable sort: frames of one time keep their given order.
    const sorted = [...incoming].sort((a, b) => a.time - b.time);
    const { frames } = this;
    const start = placeAfterTime(frames, sorted[0]!.time, 0, frames.length);
    const after = frames.splice(start);
    let i = 0;
    for (const frame of sorted) {
      while (i < after.length && after[i]!.time <= frame.time) frames.push(after[i++]!);
      if (i < after.length) this.placed.push(frame);
      frames.push(frame);
    }
    while (i < after.length) frames.push(after[i++]!);
    for (let position = start; position < frames.length; position++)
      frames[position]!.index = position;
    if (start < this.evictedUpTo) this.evictedUpTo = start;
    for (const frame of sorted) {
      if (frame.payload) this.payloadBytes += payloadContentLength(frame.payload);
    }
    if (this.payloadBytes > this.memoryBudget) this.evictOldestPayloads();
  }

  /** Drops every frame, and what was counted as not recorded or evicted. */
  clear(): void {
    this.empty();
    this.notRecorded = 0;
    this.evictedFrames = 0;
    this.evictedBytes = 0;
  }

  /** Keeps only the frames `keep` accepts, numbered afresh. */
  keepOnly(keep: (frame: Frame) => boolean): void {
    const kept = this.frames.filter(keep);
    this.empty();
    for (const frame of kept) this.append(frame);
  }

  /** Empties the oldest frames' payloads until the log fits its memory budget again. */
  evictOldestPayloads(): void {
    const { frames } = this;
    while (this.payloadBytes > this.memoryBudget && this.evictedUpTo < frames.length) {
      const frame = frames[this.evictedUpTo++]!;
      if (!frame.payload || frame.payloadEvicted) continue;
      const length = payloadContentLength(frame.payload);
      frame.payload =
        frame.payload.kind === 'text'
          ? { ...frame.payload, text: '' }
          : emptiedBinary(frame.payload);
      frame.payloadEvicted = true;
      this.payloadBytes -= length;
      this.evictedFrames++;
      this.evictedBytes += frame.payload.size;
    }
  }

  /** Puts a frame at a position before the end, renumbering the frames it shifts. */
  private place(frame: Frame, position: number): void {
    const { frames } = this;
    frames.splice(position, 0, frame);
    for (let i = position; i < frames.length; i++) frames[i]!.index = i;
    this.placed.push(frame);
    // Behind the eviction frontier: the frontier moves back, so it is evicted in its turn.
    if (position < this.evictedUpTo) this.evictedUpTo = position;
  }

  /** Empties the list in place: views hold on to the array. */
  private empty(): void {
    this.frames.length = 0;
    this.placed.length = 0;
    this.payloadBytes = 0;
    this.evictedUpTo = 0;
  }
}

/** The first position in `frames[from, to)` whose time is after `time` (binary search). */
function placeAfterTime(frames: readonly Frame[], time: number, from: number, to: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (frames[middle]!.time > time) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Memory a payload's content takes: a text's at most; a binary one's bytes exactly, with the hex
 * filters search it as (built in idle time, searchable-text.ts).
 */
function payloadContentLength(payload: FramePayload): number {
  if (payload.kind === 'text') return payload.text.length * TEXT_BYTES_PER_CHAR;
  const { bytes, undecodable } = payload;
  return (
    bytes.byteLength + searchedHexLength(bytes) + (undecodable?.length ?? 0) * TEXT_BYTES_PER_CHAR
  );
}
