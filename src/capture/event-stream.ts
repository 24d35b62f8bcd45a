import type { CaptureEvent, HookBatch } from '../protocol/capture-events';
import { EventLog } from './event-log';

export interface StreamOptions {
  /** Posts one batch to the relay (structured clone: the log keeps its own copies). */
  post(batch: HookBatch): void;
  /** Runs `flush` soon, in a later task, without timer throttling (a private MessageChannel). */
  schedule(flush: () => void): void;
  /** A batch holds at most this many events or payload bytes (a long burst stays bounded). */
  maxEvents: number;
  maxBytes: number;
  /** The log's bounds: the backlog a panel opening late (or reconnecting) can still read. */
  backlogEvents: number;
  backlogBytes: number;
}

/**
 * The hook's side of the pipeline. Every event goes into the bounded log; only while a relay
 * subscription is open are new events also posted, in batches, one post per task that produced
 * events. With no panel open, recording a frame costs the page an append and nothing else.
 */
export class EventStream {
  readonly log: EventLog<CaptureEvent>;
  /** The relay's subscription number; 0 while nobody listens. */
  private subscription = 0;
  private pending: CaptureEvent[] = [];
  private pendingFirstSeq = 0;
  private pendingBytes = 0;
  private scheduled = false;
  private readonly flushBound = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly options: StreamOptions) {
    this.log = new EventLog(options.backlogEvents, options.backlogBytes);
  }

  record(event: CaptureEvent, bytes: number): void {
    const seq = this.log.append(event, bytes);
    if (this.subscription === 0) return;
    const pending = this.pending;
    if (pending.length === 0) this.pendingFirstSeq = seq;
    pending[pending.length] = event;
    this.pendingBytes += bytes;
    if (pending.length >= this.options.maxEvents || this.pendingBytes >= this.options.maxBytes) {
      this.flush();
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
    this.pending = [];
    this.pendingBytes = 0;
    const { firstSeq, items, sizes } = this.log.since(fromSeq);
    let lost = firstSeq > fromSeq ? firstSeq - fromSeq : 0;
    let start = 0;
    do {
      const events: CaptureEvent[] = [];
      let bytes = 0;
      let i = start;
      for (; i < items.length && events.length < this.options.maxEvents; i++) {
        if (events.length > 0 && bytes + sizes[i]! > this.options.maxBytes) break;
        events[events.length] = items[i]!;
        bytes += sizes[i]!;
      }
      this.options.post({ subscription, firstSeq: firstSeq + start, lost, events });
      lost = 0;
      start = i;
    } while (start < items.length);
  }

  unsubscribe(): void {
    this.subscription = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Posts what waits now (before a command's result, and when the page goes away). */
  flush(): void {
    if (this.pending.length === 0 || this.subscription === 0) return;
    const events = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.options.post({
      subscription: this.subscription,
      firstSeq: this.pendingFirstSeq,
      lost: 0,
      events,
    });
  }

  setBacklogLimits(maxEvents: number, maxBytes: number): void {
    this.log.setLimits(maxEvents, maxBytes);
  }
}
