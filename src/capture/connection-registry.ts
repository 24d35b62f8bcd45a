import type {
  CaptureEvent,
  ConnectionId,
  ConnectionSummary,
  CreatedEvent,
  LifecycleEvent,
} from '../protocol/capture-events';
import { nullArray, nullRecord, toOwnArray } from './page-builtins';

interface Entry {
  created: CreatedEvent;
  /** Lifecycle events with their sequence numbers: [seq, event, seq, event, ...]. */
  events: Record<number, number | LifecycleEvent>;
  slots: number;
  /** The sequence number of its close, once it has ended. */
  closedSeq: number;
}

/**
 * The hook's memory of each connection apart from its frame log, so that frame traffic never
 * evicts a connection: a panel that opens after the log dropped a socket's creation still lists
 * the socket, with its state, and learns how many of its frames are gone. Holds every live
 * connection and the `maxEnded` most recently ended ones (an ended one stays longer while the
 * log still holds its close, since the log's later events may be its frames).
 *
 * Page-world code (see page-builtins.ts): stores go to null-prototype records, so no setter a
 * page put on a prototype ever runs, and summaries are null-prototype objects whose arrays have
 * every element as an own property.
 */
export class ConnectionRegistry {
  private readonly entries: Record<ConnectionId, Entry> = nullRecord();
  /** Ended connections, oldest first: a queue in a null-prototype record. */
  private readonly ended: Record<number, ConnectionId> = nullRecord();
  private endedHead = 0;
  private endedTail = 0;

  constructor(private readonly maxEnded: number) {}

  /** Notes an event the log numbered `seq`; `logFirstSeq` is the oldest event the log holds. */
  note(
    seq: number,
    event: CaptureEvent,
    logFirstSeq: number,
    forget: (id: ConnectionId) => void,
  ): void {
    if (event.type === 'created') {
      const events: Record<number, number | LifecycleEvent> = nullRecord();
      events[0] = seq;
      events[1] = event;
      this.entries[event.id] = { created: event, events, slots: 2, closedSeq: -1 };
      return;
    }
    if (
      event.type !== 'opened' &&
      event.type !== 'error' &&
      event.type !== 'close-requested' &&
      event.type !== 'closed'
    ) {
      return;
    }
    const entry = this.entries[event.id];
    if (entry === undefined) return;
    entry.events[entry.slots++] = seq;
    entry.events[entry.slots++] = event;
    if (event.type !== 'closed' || entry.closedSeq >= 0) return;
    entry.closedSeq = seq;
    this.ended[this.endedTail++] = event.id;
    this.forgetOldEnded(logFirstSeq, forget);
  }

  /** The URL and protocols a connection was opened with, while it is remembered. */
  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined {
    const entry = this.entries[id];
    return entry === undefined ? undefined : entry.created;
  }

  get size(): number {
    let count = 0;
    for (const _ in this.entries) count++;
    return count;
  }

  /**
   * Summaries for a reader that missed the events from `fromSeq` to `toSeq` (exclusive): every
   * connection with a lifecycle event in that stretch or with frames the log dropped.
   */
  summaries(
    fromSeq: number,
    toSeq: number,
    droppedFrames: Record<ConnectionId, number>,
  ): ConnectionSummary[] {
    const summaries = nullArray<ConnectionSummary>();
    let count = 0;
    for (const key in this.entries) {
      const entry = this.entries[key as unknown as number]!;
      const id = entry.created.id;
      const events = nullArray<number | LifecycleEvent>();
      let slots = 0;
      for (let at = 0; at < entry.slots; at += 2) {
        const seq = entry.events[at] as number;
        if (seq < fromSeq || seq >= toSeq) continue;
        events[slots++] = seq;
        events[slots++] = entry.events[at + 1]!;
      }
      const dropped = droppedFrames[id] ?? 0;
      if (slots === 0 && dropped === 0) continue;
      const summary = nullRecord<ConnectionSummary>();
      summary.id = id;
      summary.events = toOwnArray(events);
      summary.droppedFrames = dropped;
      summaries[count++] = summary;
    }
    return toOwnArray(summaries);
  }

  private forgetOldEnded(logFirstSeq: number, forget: (id: ConnectionId) => void): void {
    while (this.endedTail - this.endedHead > this.maxEnded) {
      const id = this.ended[this.endedHead]!;
      const entry = this.entries[id];
      // Its frames may still be in the log (a send after close is recorded too): keep it a while.
      if (entry !== undefined && entry.closedSeq >= logFirstSeq) return;
      delete this.ended[this.endedHead++];
      delete this.entries[id];
      forget(id);
    }
  }
}
