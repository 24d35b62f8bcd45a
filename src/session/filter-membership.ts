import type { Frame } from './session-model';

/** What {@link frameMatchesFilter} reads of a FilteredFrames. */
export interface FilterMatches {
  /** Matching frames, in session order (ascending `index`). */
  matches: readonly Frame[];
  /** How many of the session's frames have been tested. */
  scanned: number;
  busy: boolean;
}

/**
 * Whether the filter lets `frame` through. A frame a running re-scan has not reached yet counts
 * as matching: the details must not claim a frame is hidden before the filter has tested it.
 * Matches are in index order, so this is a binary search, cheap on every render.
 */
export function frameMatchesFilter(filtered: FilterMatches, frame: Frame): boolean {
  if (filtered.busy && frame.index >= filtered.scanned) return true;
  const { matches } = filtered;
  let low = 0;
  let high = matches.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const index = matches[middle]!.index;
    if (index === frame.index) return matches[middle] === frame;
    if (index < frame.index) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
