import type { FramePredicate } from './frame-filter';
import { framesPlacedBefore } from './frame-log';
import type { Frame } from './session-model';

/** A re-scan reads the clock after this many frames... */
const SLICE_FRAMES = 8192;
/**
 * ... and yields to the page once it has scanned this long: typing waits at most about this.
 * Each yield costs a task and often a paint (measured: ten yields added 75 ms to a 35 ms scan of
 * 1,000,000 frames), so a scan that fits one slice never yields.
 */
const SLICE_MS = 50;

/** How a re-scan divides its work (tests set a small slice, and a clock of their own). */
export interface Slicing {
  /** Frames scanned between looks at the clock. */
  sliceSize?: number;
  /** Time scanned before yielding. */
  sliceMs?: number;
  now?: () => number;
}

/**
 * The frames that pass a filter, kept up to date incrementally: frames appended to the session
 * are tested as they arrive, and a new filter re-scans in slices of time, yielding between them,
 * so that a million frames never block typing.
 *
 * The session keeps its frames in time order, so a late frame can be placed before frames
 * already tested (frame-log.ts). The frames tested are always the first `scanned` of the list:
 * a frame placed among them is tested on its own and, if it matches, put among the matches by
 * its index (binary search), and `scanned` grows by one; one placed after them waits its turn.
 */
export class FilteredFrames {
  /** Matching frames, in order. */
  matches: Frame[] = [];
  /** How many of the session's frames have been tested. */
  scanned = 0;
  /** True while a re-scan is under way (then `matches` covers only `scanned` frames). */
  busy = false;
  private generation = 0;
  /** The last frame tested: where the tested part of the list ends, however frames shift. */
  private lastScanned: Frame | undefined;
  /** How many of the list's placed-before-the-end frames this view has taken in. */
  private placedSeen = 0;

  constructor(private predicate: FramePredicate | null = null) {}

  /** Tests the frames appended since the last call. */
  extend(frames: Frame[]): void {
    if (!this.busy) this.scan(frames, Number.POSITIVE_INFINITY);
  }

  /**
   * Replaces the filter and re-scans `frames` (which may grow meanwhile) in slices, yielding
   * through `yieldToUi` once slices have taken their time (see {@link Slicing}). Resolves false
   * when a newer call superseded this one.
   */
  async refilter(
    frames: Frame[],
    predicate: FramePredicate | null,
    yieldToUi: () => Promise<void>,
    onProgress: () => void = () => undefined,
    { sliceSize = SLICE_FRAMES, sliceMs = SLICE_MS, now = () => performance.now() }: Slicing = {},
  ): Promise<boolean> {
    const generation = ++this.generation;
    this.predicate = predicate;
    this.matches = [];
    this.scanned = 0;
    this.lastScanned = undefined;
    this.placedSeen = framesPlacedBefore(frames)?.length ?? 0;
    this.busy = true;
    let sliceStart = now();
    for (;;) {
      this.scan(frames, sliceSize);
      if (this.scanned >= frames.length) break;
      if (now() - sliceStart < sliceMs) continue;
      onProgress();
      await yieldToUi();
      if (generation !== this.generation) return false;
      sliceStart = now();
    }
    this.busy = false;
    onProgress();
    return true;
  }

  /** Forgets every match (the session was cleared); a running re-scan stops. */
  reset(): void {
    this.generation++;
    this.matches = [];
    this.scanned = 0;
    this.lastScanned = undefined;
    this.placedSeen = 0;
    this.busy = false;
  }

  /** Tests up to `count` more frames, after taking in frames placed among those tested. */
  private scan(frames: Frame[], count: number): void {
    this.takePlaced(frames);
    const predicate = this.predicate;
    const matches = this.matches;
    const end = Math.min(frames.length, this.scanned + count);
    for (let i = this.scanned; i < end; i++) {
      const frame = frames[i]!;
      if (!predicate || predicate(frame)) matches.push(frame);
    }
    this.scanned = end;
    if (end > 0) this.lastScanned = frames[end - 1];
  }

  /**
   * Frames placed before the last one tested went in among the tested ones: each is tested now
   * and the tested part ends again just after the last frame tested.
   */
  private takePlaced(frames: Frame[]): void {
    const placed = framesPlacedBefore(frames);
    if (!placed || this.placedSeen >= placed.length) {
      this.placedSeen = placed?.length ?? 0;
      return;
    }
    const last = this.lastScanned;
    if (last && frames[last.index] === last) {
      const end = last.index + 1;
      const predicate = this.predicate;
      const matches = this.matches;
      for (let i = this.placedSeen; i < placed.length; i++) {
        const frame = placed[i]!;
        if (frame.index >= end || (predicate && !predicate(frame))) continue;
        matches.splice(firstAfterIndex(matches, frame.index), 0, frame);
      }
      this.scanned = end;
    }
    this.placedSeen = placed.length;
  }
}

/** The first position in `matches` (in list order) whose frame's index is above `index`. */
function firstAfterIndex(matches: readonly Frame[], index: number): number {
  let low = 0;
  let high = matches.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (matches[middle]!.index > index) high = middle;
    else low = middle + 1;
  }
  return low;
}
