import type { CaptureEvent, HookBatch } from '../protocol/capture-events';

export interface BatcherOptions {
  /** Posts one batch; the transfer list holds buffers the hook owns (copies), never the page's. */
  post(batch: HookBatch, transfer: ArrayBuffer[]): void;
  /** Runs `flush` soon, in a later task, without timer throttling (a private MessageChannel). */
  schedule(flush: () => void): void;
  /** Flush at once above this many events or bytes, so a long synchronous burst stays bounded. */
  maxEvents: number;
  maxBytes: number;
}

/**
 * Collects capture events and posts them in batches: one post per task that produced events,
 * never one per frame, so the page's cost per frame is an array append.
 */
export class EventBatcher {
  private events: CaptureEvent[] = [];
  private transfer: ArrayBuffer[] = [];
  private bytes = 0;
  private scheduled = false;
  private readonly flushBound = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(private readonly options: BatcherOptions) {}

  add(event: CaptureEvent, byteLength = 0, buffer?: ArrayBuffer): void {
    const events = this.events;
    events[events.length] = event;
    if (buffer) this.transfer[this.transfer.length] = buffer;
    this.bytes += byteLength;
    if (events.length >= this.options.maxEvents || this.bytes >= this.options.maxBytes) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      this.options.schedule(this.flushBound);
    }
  }

  flush(): void {
    if (this.events.length === 0) return;
    const batch: HookBatch = { events: this.events };
    const transfer = this.transfer;
    this.events = [];
    this.transfer = [];
    this.bytes = 0;
    this.options.post(batch, transfer);
  }
}
