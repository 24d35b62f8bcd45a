import { type FrameType, frameType } from './frame-filter';
import type { Frame, FrameKind } from './session-model';

export type FrameSortKey = 'time' | 'size' | 'type' | 'direction';

export interface FrameSort {
  column: FrameSortKey;
  descending: boolean;
}

const TYPE_RANK: Record<FrameType, number> = { text: 0, binary: 1, close: 2, error: 3 };
// Grouped as the direction filter groups them: what the page sent, then what it received.
const DIRECTION_RANK: Record<FrameKind, number> = {
  sent: 0,
  'close-requested': 0,
  received: 1,
  closed: 1,
  error: 1,
};
const MAX_KEY = 0xffffffff;

/**
 * The frames in the order asked for. The log is already in time order with stable ties, so time
 * ascending is the very same array (callers may compare by identity); every other order is a
 * copy in which equal keys keep the log's order, descending included.
 */
export function sortFrames(frames: Frame[], sort: FrameSort): Frame[] {
  if (sort.column === 'time') return sort.descending ? frames.slice().reverse() : frames;
  const keys = sortKeys(frames, sort);
  const order = stableOrder(keys);
  const sorted = new Array<Frame>(frames.length);
  for (let i = 0; i < order.length; i++) sorted[i] = frames[order[i]!]!;
  return sorted;
}

function sortKeys(frames: Frame[], { column, descending }: FrameSort): Uint32Array {
  const keys = new Uint32Array(frames.length);
  const top = column === 'size' ? MAX_KEY : column === 'type' ? 3 : 1;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    let key: number;
    if (column === 'size') {
      // No WebSocket message comes near 4 GiB; clamping keeps the key in 32 bits regardless.
      const size = frame.payload?.originalSize ?? 0;
      key = size > 0 ? Math.min(Math.floor(size), MAX_KEY) : 0;
    } else if (column === 'type') key = TYPE_RANK[frameType(frame)];
    else key = DIRECTION_RANK[frame.kind];
    // Descending inverts the key rather than the result, so ties still read in time order.
    keys[i] = descending ? top - key : key;
  }
  return keys;
}

/**
 * Indices ordered by key, ties by index: a least-significant-digit radix sort on 16-bit digits.
 * A comparison sort calling back into JavaScript some twenty million times is what this avoids.
 * Both digits are counted in one scan, and the second pass runs only when a key needs it.
 */
function stableOrder(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  const low = new Uint32Array(0x10001);
  const high = new Uint32Array(0x10001);
  let wide = false;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    low[(key & 0xffff) + 1]!++;
    high[(key >>> 16) + 1]!++;
    if (key > 0xffff) wide = true;
  }
  for (let digit = 1; digit <= 0x10000; digit++) {
    low[digit]! += low[digit - 1]!;
    high[digit]! += high[digit - 1]!;
  }
  const order = new Uint32Array(n);
  if (!wide) {
    for (let i = 0; i < n; i++) order[low[keys[i]! & 0xffff]!++] = i;
    return order;
  }
  // The keys travel with the indices, so the second pass reads them in sequence.
  const byLow = new Uint32Array(n);
  const lowKeys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const at = low[key & 0xffff]!++;
    byLow[at] = i;
    lowKeys[at] = key;
  }
  for (let i = 0; i < n; i++) order[high[lowKeys[i]! >>> 16]!++] = byLow[i]!;
  return order;
}
