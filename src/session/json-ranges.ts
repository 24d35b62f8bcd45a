/**
 * Groups of a large array's or object's children, as browsers' consoles show them: more than
 * {@link RANGE_THRESHOLD} children become ranges of 100, 10,000, … each, the smallest size that
 * needs no more than RANGE_THRESHOLD ranges; a range still too large groups its own children the
 * same way. Only what the user opens is rendered, so a million-element array costs a hundred rows.
 */
export const RANGE_THRESHOLD = 100;

/** Children `start` up to, not including, `end`. */
export interface ChildRange {
  start: number;
  end: number;
}

/** The ranges children start..end form, or null when there are few enough to list each. */
export function childRanges(
  start: number,
  end: number,
  threshold = RANGE_THRESHOLD,
): ChildRange[] | null {
  const count = end - start;
  if (count <= threshold) return null;
  let size = threshold;
  while (Math.ceil(count / size) > threshold) size *= threshold;
  const ranges: ChildRange[] = [];
  for (let first = start; first < end; first += size) {
    ranges.push({ start: first, end: Math.min(end, first + size) });
  }
  return ranges;
}

/** `[100 … 199]`: both ends inclusive, as consoles label them. */
export function rangeLabel(range: ChildRange): string {
  return `[${range.start} … ${range.end - 1}]`;
}
