import type { FramePredicate } from './frame-filter';
import type { Frame } from './session-model';

/**
 * The frames that pass a filter, kept up to date incrementally: frames appended to the session
 * are tested as they arrive, and a new filter re-scans in slices, yielding between them, so that
 * a million frames never block typing.
 */
export class FilteredFrames {
  /** Matching frames, in order. */
  matches: Frame[] = [];
  /** How many of the session's frames have been tested. */
  scanned = 0;
  /** True while a re-scan is under way (then `matches` covers only `scanned` frames). */
  busy = false;
  private generation = 0;

  constructor(private predicate: FramePredicate | null = null) {}

  /** Tests the frames appended since the last call. */
  extend(frames: Frame[]): void {
    if (!this.busy) this.scan(frames, frames.length);
  }

  /**
   * Replaces the filter and re-scans `frames` (which may grow meanwhile) in slices, yielding
   * through `yieldToUi` between them. Resolves false when a newer call superseded this one.
   */
  async refilter(
    frames: Frame[],
    predicate: FramePredicate | null,
    yieldToUi: () => Promise<void>,
    onProgress: () => void = () => undefined,
    sliceSize = 100_000,
  ): Promise<boolean> {
    const generation = ++this.generation;
    this.predicate = predicate;
    this.matches = [];
    this.scanned = 0;
    this.busy = true;
    for (;;) {
      this.scan(frames, Math.min(frames.length, this.scanned + sliceSize));
      if (this.scanned >= frames.length) break;
      onProgress();
      await yieldToUi();
      if (generation !== this.generation) return false;
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
    this.busy = false;
  }

  private scan(frames: Frame[], end: number): void {
    const predicate = this.predicate;
    const matches = this.matches;
    for (let i = this.scanned; i < end; i++) {
      const frame = frames[i]!;
      if (!predicate || predicate(frame)) matches.push(frame);
    }
    this.scanned = end;
  }
}
