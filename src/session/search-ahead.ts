import { searchableText } from './searchable-text';
import type { Frame } from './session-model';

/** How many frames {@link SearchAhead.run} takes between looks at the clock (a power of 2). */
const AHEAD_SLICE = 1024;

/**
 * Builds binary frames' searched hex ahead of any filter, in log order, in idle time: a first
 * regular expression over a million frames then searches, rather than renders 100,000 payloads
 * as hex first (measured: as long as the search itself). A frame placed before the point reached
 * (a late one) gets its hex when a filter asks, as before.
 */
export class SearchAhead {
  private index = 0;

  /** Builds while `timeLeft()` (ms) stays positive; true while frames remain. */
  run(frames: readonly Frame[], timeLeft: () => number): boolean {
    while (this.index < frames.length) {
      if ((this.index & (AHEAD_SLICE - 1)) === 0 && timeLeft() <= 0) return true;
      const frame = frames[this.index++]!;
      if (frame.payload?.kind === 'binary') searchableText(frame);
    }
    return false;
  }

  /** Starts over (the log was cleared or replaced). */
  reset(): void {
    this.index = 0;
  }
}
