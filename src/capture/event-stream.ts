import type {
  CaptureEvent,
  ConnectionId,
  FrameOrigin,
  HookBatch,
} from '../protocol/capture-events';
import { RECORD_EVENT, RECORD_SLOTS, SLOT_KIND, SLOT_VALUE } from '../protocol/event-records';
import { ConnectionRegistry } from './connection-registry';
import { EventLog, type FramePayload } from './event-log';
import { nullArray, nullRecord, toOwnArray } from './page-builtins';

export interface StreamOptions {
  /**
   * Posts one batch to the relay, transferring `transfer` (the log keeps its own copies).
   * Returns true when the relay has read it before returning (handed over in place).
   */
  post(batch: HookBatch, transfer: ArrayBuffer[]): boolean;
  /**
   * A copy of a large binary payload's buffer, to be transferred rather than cloned (a port
   * clones a megabyte several times slower than it moves one); undefined to let it be cloned.
   */
  copyForTransfer(buffer: ArrayBuffer): ArrayBuffer | undefined;
  /** Runs `flush` after the forward delay, without a timer the page could notice. */
  schedule(flush: () => void): void;
  /** Runs `flush` in a task of its own, right after the page's current one (never throttled). */
  scheduleSoon(flush: () => void): void;
  /** Beyond this many events waiting, they are posted soon rather than after the delay. */
  soonEvents: number;
  /** A batch holds at most this many events or payload bytes (a long burst stays bounded). */
  maxEvents: number;
  maxBytes: number;
  /** The log's bounds: the backlog a panel opening late (or reconnecting) can still read. */
  backlogEvents: number;
  backlogBytes: number;
  /** Ended connections kept described beyond the live ones (see ConnectionRegistry). */
  recentlyEnded: number;
}

/**
 * The hook's side of the pipeline. Every event goes into the bounded log; only while a relay
 * subscription is open are new events also posted, in batches: after the forward delay, or
 * right after the page's task once `soonEvents` wait.
 * With no panel open, recording a frame costs the page a few column writes and nothing else.
 */
export class EventStream {
  readonly log: EventLog;
  /** Connections, kept apart from the log so that frame traffic never evicts them. */
  readonly connections: ConnectionRegistry;
  /** The relay's subscription number; 0 while nobody listens. */
  private subscription = 0;
  /** The first event not yet posted to the subscription, and how much waits. */
  private unpostedSeq = 0;
  /** The relay has read every post of this subscription before this event. */
  private acknowledgedSeq = 0;
  private unpostedCount = 0;
  private unpostedBytes = 0;
  private scheduled = false;
  private scheduledSoon = false;
  private readonly flushBound = () => {
    this.scheduled = false;
    this.flush();
  };
  private readonly flushSoonBound = () => {
    this.scheduledSoon = false;
    this.flush();
  };

  constructor(private readonly options: StreamOptions) {
    this.log = new EventLog(options.backlogEvents, options.backlogBytes);
    this.connections = new ConnectionRegistry(options.recentlyEnded);
  }

  /** A connection, close or intercept event (rare: kept as the object it is). */
  record(event: CaptureEvent, bytes: number): void {
    const { log } = this;
    const seq = log.appendEvent(event, bytes);
    this.connections.note(seq, event, log.firstSeq, this.forgetConnection);
    this.appended(bytes);
  }

  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined {
    return this.connections.describe(id);
  }

  private readonly forgetConnection = (id: ConnectionId): void => {
    delete this.log.droppedFrames[id];
  };

  /** A sent or received frame (the hot path: stored field by field). */
  frame(
    type: 'sent' | 'received',
    id: ConnectionId,
    time: number,
    payload: FramePayload,
    bytes: number,
    readyState: number,
    bufferedAmount: number,
    origin: FrameOrigin,
  ): void {
    this.log.appendFrame(type, id, time, payload, bytes, readyState, bufferedAmount, origin);
    this.appended(bytes);
  }

  private appended(bytes: number): void {
    if (this.subscription === 0) return;
    this.unpostedCount++;
    this.unpostedBytes += bytes;
    if (
      this.unpostedCount >= this.options.maxEvents ||
      this.unpostedBytes >= this.options.maxBytes
    ) {
      // Inside the page's task: one task sending more than the log holds must lose nothing.
      this.flush();
    } else if (this.unpostedCount >= this.options.soonEvents) {
      // Busy traffic waits for no delay (which background tabs stretch to a second), nor lengthens
      // the page's own task.
      if (!this.scheduledSoon) {
        this.scheduledSoon = true;
        this.options.scheduleSoon(this.flushSoonBound);
      }
    } else if (!this.scheduled) {
      this.scheduled = true;
      this.options.schedule(this.flushBound);
    }
  }

  /**
   * Starts posting for a new subscription: first everything the log holds from `fromSeq` (with
   * how many of those are gone), then each new event. Always posts at least once, so the relay
   * learns where the sequence stands even when nothing is new.
   */
  subscribe(subscription: number, fromSeq: number): void {
    this.subscription = subscription;
    this.unpostedSeq = fromSeq;
    this.acknowledgedSeq = fromSeq;
    this.postUnposted(true, this.options.post);
  }

  /** The relay read this subscription's posts up to `endSeq` (exclusive). */
  acknowledge(subscription: number, endSeq: number): void {
    if (subscription === this.subscription && endSeq > this.acknowledgedSeq)
      this.acknowledgedSeq = endSeq;
  }

  /**
   * The document is going away: what the relay has not acknowledged (posts still in flight
   * would never be delivered) and what waits go now through `handOver`, which the relay reads
   * at once. The relay and the panel drop what they already had.
   */
  leave(handOver: StreamOptions['post']): void {
    if (this.subscription === 0) return;
    const from =
      this.acknowledgedSeq > this.log.firstSeq ? this.acknowledgedSeq : this.log.firstSeq;
    if (from < this.unpostedSeq) this.unpostedSeq = from;
    if (this.unpostedSeq < this.log.nextSeq) this.postUnposted(false, handOver);
  }

  unsubscribe(): void {
    this.subscription = 0;
  }

  /** Posts what waits now (before a command's result, and when the page goes away). */
  flush(): void {
    if (this.subscription !== 0 && this.unpostedCount > 0)
      this.postUnposted(false, this.options.post);
  }

  setBacklogLimits(maxEvents: number, maxBytes: number): void {
    this.log.setLimits(maxEvents, maxBytes);
  }

  /** Puts copies of large binary payloads in the records (not the log), to transfer them. */
  private copiesForTransfer(records: unknown[]): ArrayBuffer[] {
    const transfer = nullArray<ArrayBuffer>();
    let count = 0;
    for (let at = 0; at < records.length; at += RECORD_SLOTS) {
      if (records[at + SLOT_KIND] === RECORD_EVENT) continue;
      const value = records[at + SLOT_VALUE] as FramePayload;
      if (typeof value === 'string' || value.kind !== 'bytes') continue;
      const copy = this.options.copyForTransfer(value.bytes);
      if (!copy) continue;
      records[at + SLOT_VALUE] = { kind: 'bytes', bytes: copy, originalSize: value.originalSize };
      transfer[count++] = copy;
    }
    return toOwnArray(transfer);
  }

  /** Posts the log from `unpostedSeq` on, in batches bounded in events and bytes. */
  private postUnposted(evenIfEmpty: boolean, post: StreamOptions['post']): void {
    const { maxEvents, maxBytes } = this.options;
    const { log } = this;
    do {
      const { firstSeq, count, records } = log.read(this.unpostedSeq, maxEvents, maxBytes);
      const lost = firstSeq > this.unpostedSeq ? firstSeq - this.unpostedSeq : 0;
      if (count === 0 && lost === 0 && !evenIfEmpty) break;
      const transfer = this.copiesForTransfer(records);
      // Without prototype: in Firefox the relay reads the batch in place, and a field it looks
      // for and the batch lacks must not reach a getter the page put on Object.prototype.
      const batch = nullRecord<HookBatch>();
      batch.subscription = this.subscription;
      batch.firstSeq = firstSeq;
      batch.lost = lost;
      batch.records = records;
      // The reader missed events: connections it may not know go ahead of the records.
      if (lost > 0)
        batch.connections = this.connections.summaries(
          this.unpostedSeq,
          firstSeq,
          log.droppedFrames,
        );
      if (post(batch, transfer)) this.acknowledgedSeq = firstSeq + count;
      this.unpostedSeq = firstSeq + count;
      evenIfEmpty = false;
    } while (this.unpostedSeq < log.nextSeq);
    this.unpostedCount = 0;
    this.unpostedBytes = 0;
  }
}
