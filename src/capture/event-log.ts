import type {
  CaptureEvent,
  ConnectionId,
  FrameOrigin,
  PagePayload,
} from '../protocol/capture-events';
import {
  FRAME_ORIGINS,
  frameFlags,
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SLOTS,
} from '../protocol/event-records';
import {
  Float64ArrayConstructor,
  nullRecord,
  ownArray,
  Uint8ArrayConstructor,
} from './page-builtins';

/** A frame's payload as the hook keeps it: a string is a text payload (no wrapper object). */
export type FramePayload = string | PagePayload;

const ORIGIN_CODES: Record<string, number> = nullRecord();
for (let i = 0; i < FRAME_ORIGINS.length; i++) ORIGIN_CODES[FRAME_ORIGINS[i]!] = i;

/**
 * The hook's bounded memory of one document's events, numbered from 0. It lives in the page's
 * world and is written on every frame, so it is a ring of columns (typed arrays, plus one slot
 * for the payload or rare event): recording a text frame allocates nothing the garbage collector
 * must later trace or copy. When it holds more than `maxEvents` events or `maxBytes` payload
 * bytes, the oldest go; a reader asking for older ones learns how many it lost. Reading gives the
 * flat records of event-records.ts, which is also how the columns are laid out.
 *
 * Page-world code (see page-builtins.ts): it calls no method a page script could replace, and
 * the records it reads out are an array whose every slot is an own property.
 */
export class EventLog {
  private capacity = 0;
  private kinds = new Uint8ArrayConstructor(0);
  private flags = new Uint8ArrayConstructor(0);
  private ids = new Float64ArrayConstructor(0);
  private times = new Float64ArrayConstructor(0);
  private buffered = new Float64ArrayConstructor(0);
  private sizes = new Float64ArrayConstructor(0);
  /** The payload of a frame, or the whole event of any other kind (null-prototype: no setters). */
  private values: Record<number, unknown> = nullRecord();
  /**
   * Frames the log has dropped, per connection id (null-prototype: no setters). The connection
   * registry reads it for panels that open late, and forgets a connection's count with it.
   */
  readonly droppedFrames: Record<ConnectionId, number> = nullRecord();
  /** Ring position of the oldest event. */
  private start = 0;
  size = 0;
  byteSize = 0;
  nextSeq = 0;

  constructor(
    private maxEvents: number,
    private maxBytes: number,
  ) {}

  get firstSeq(): number {
    return this.nextSeq - this.size;
  }

  setLimits(maxEvents: number, maxBytes: number): void {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.evict();
  }

  /** Appends a sent or received frame; returns its sequence number. */
  appendFrame(
    type: 'sent' | 'received',
    id: ConnectionId,
    time: number,
    payload: FramePayload,
    bytes: number,
    readyState: number,
    bufferedAmount: number,
    origin: FrameOrigin,
  ): number {
    const slot = this.claim(bytes);
    this.kinds[slot] = type === 'sent' ? RECORD_SENT : RECORD_RECEIVED;
    this.flags[slot] = frameFlags(readyState, ORIGIN_CODES[origin]!);
    this.ids[slot] = id;
    this.times[slot] = time;
    this.buffered[slot] = bufferedAmount;
    this.values[slot] = payload;
    return this.nextSeq++;
  }

  /** Appends an event of any other kind (connections, closes, intercept), kept as is. */
  appendEvent(event: CaptureEvent, bytes: number): number {
    const slot = this.claim(bytes);
    this.kinds[slot] = RECORD_EVENT;
    this.flags[slot] = 0;
    this.ids[slot] = 0;
    this.times[slot] = 0;
    this.buffered[slot] = 0;
    this.values[slot] = event;
    return this.nextSeq++;
  }

  /**
   * The events with seq >= fromSeq still held, as flat records: at most `maxCount` of them and,
   * past the first, at most `maxBytes` payload bytes. `firstSeq` is where they start (later than
   * fromSeq when older ones are gone).
   */
  read(
    fromSeq: number,
    maxCount: number,
    maxBytes: number,
  ): { firstSeq: number; count: number; records: unknown[] } {
    const first = this.firstSeq;
    const from = fromSeq > first ? (fromSeq < this.nextSeq ? fromSeq : this.nextSeq) : first;
    // Counted first, so that the records array is made at its length and filled in place: a
    // store past an array's end would reach setters the page put on Array.prototype.
    let count = 0;
    let bytes = 0;
    for (let seq = from; seq < this.nextSeq && count < maxCount; seq++) {
      const size = this.sizes[(this.start + (seq - first)) % this.capacity]!;
      if (count > 0 && bytes + size > maxBytes) break;
      bytes += size;
      count++;
    }
    const records = ownArray<unknown>(count * RECORD_SLOTS);
    let at = 0;
    for (let seq = from; seq < from + count; seq++) {
      const slot = (this.start + (seq - first)) % this.capacity;
      records[at++] = this.kinds[slot];
      records[at++] = this.ids[slot];
      records[at++] = this.times[slot];
      records[at++] = this.values[slot];
      records[at++] = this.flags[slot];
      records[at++] = this.buffered[slot];
    }
    return { firstSeq: from, count, records };
  }

  /** Makes room for one more event of `bytes` payload bytes; returns its ring slot. */
  private claim(bytes: number): number {
    while (this.size > 0 && this.size >= this.maxEvents) this.dropOldest();
    if (this.size === this.capacity) this.grow();
    const slot = (this.start + this.size) % this.capacity;
    this.sizes[slot] = bytes;
    this.size++;
    this.byteSize += bytes;
    // The newest event stays, even alone above the byte bound, until the next one arrives.
    while (this.size > 1 && this.byteSize > this.maxBytes) this.dropOldest();
    return slot;
  }

  private evict(): void {
    while (this.size > 0 && (this.size > this.maxEvents || this.byteSize > this.maxBytes)) {
      this.dropOldest();
    }
  }

  private dropOldest(): void {
    const slot = this.start;
    if (this.kinds[slot] !== RECORD_EVENT) {
      const id = this.ids[slot]!;
      this.droppedFrames[id] = (this.droppedFrames[id] ?? 0) + 1;
    }
    this.byteSize -= this.sizes[slot]!;
    this.values[slot] = undefined;
    this.start = (slot + 1) % this.capacity;
    this.size--;
  }

  /** Doubles the ring (up to the event bound), copying in order so the oldest is at slot 0. */
  private grow(): void {
    let capacity = this.capacity * 2 || 1024;
    if (capacity > this.maxEvents) capacity = this.maxEvents;
    if (capacity <= this.size) capacity = this.size + 1;
    const kinds = new Uint8ArrayConstructor(capacity);
    const flags = new Uint8ArrayConstructor(capacity);
    const ids = new Float64ArrayConstructor(capacity);
    const times = new Float64ArrayConstructor(capacity);
    const buffered = new Float64ArrayConstructor(capacity);
    const sizes = new Float64ArrayConstructor(capacity);
    const values: Record<number, unknown> = nullRecord();
    for (let i = 0; i < this.size; i++) {
      const from = (this.start + i) % this.capacity;
      kinds[i] = this.kinds[from]!;
      flags[i] = this.flags[from]!;
      ids[i] = this.ids[from]!;
      times[i] = this.times[from]!;
      buffered[i] = this.buffered[from]!;
      sizes[i] = this.sizes[from]!;
      values[i] = this.values[from];
    }
    this.kinds = kinds;
    this.flags = flags;
    this.ids = ids;
    this.times = times;
    this.buffered = buffered;
    this.sizes = sizes;
    this.values = values;
    this.capacity = capacity;
    this.start = 0;
  }
}
