import { DEFAULT_LIMITS } from '../protocol/limits';
import { emptiedBinary } from './frame-payload';
import type { Frame, FramePayload } from './session-model';

/** Engines may keep text as UTF-16: two bytes a character, at worst. */
const TEXT_BYTES_PER_CHAR = 2;

/**
 * The session's append-only frame list, within a memory budget: beyond it the oldest frames lose
 * their payload's content (counted, so the panel can say so) but keep their row.
 */
export class FrameLog {
  readonly frames: Frame[] = [];
  /** While paused, frames are counted, not kept (their connections are still followed). */
  paused = false;
  /** Payload bytes the log keeps; beyond it the oldest frames lose their payload content. */
  memoryBudget = DEFAULT_LIMITS.panelMemoryBudget;
  payloadBytes = 0;
  notRecorded = 0;
  evictedFrames = 0;
  evictedBytes = 0;
  /** Frames before this index have had their payload evicted (eviction goes oldest first). */
  private evictedUpTo = 0;

  /** Adds a frame the page sent, received or caused, unless paused. */
  add(frame: Frame): void {
    if (this.paused) {
      this.notRecorded++;
      return;
    }
    this.append(frame);
  }

  /** Appends a frame whatever the pause (one read from a file, or one kept from before). */
  append(frame: Frame): void {
    frame.index = this.frames.length;
    this.frames.push(frame);
    if (frame.payload) {
      this.payloadBytes += payloadContentLength(frame.payload);
      if (this.payloadBytes > this.memoryBudget) this.evictOldestPayloads();
    }
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

  /** Empties the list in place: views hold on to the array. */
  private empty(): void {
    this.frames.length = 0;
    this.payloadBytes = 0;
    this.evictedUpTo = 0;
  }
}

/** Memory a payload's content takes: a binary one's bytes exactly, a text's at most. */
function payloadContentLength(payload: FramePayload): number {
  if (payload.kind === 'text') return payload.text.length * TEXT_BYTES_PER_CHAR;
  return payload.bytes.byteLength + (payload.undecodable?.length ?? 0) * TEXT_BYTES_PER_CHAR;
}
