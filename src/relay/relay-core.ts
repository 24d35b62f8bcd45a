import type { CaptureEvent, RelayToHook } from '../protocol/capture-events';
import type { Limits } from '../protocol/limits';
import type { DocumentInfo, RelayToBackground } from '../protocol/port-messages';
import type { SequencedEvent } from '../protocol/relay-events';
import { encodePayload, encodePayloadSync } from './encode-payload';
import {
  PARSE_LIMITS,
  type ParseLimits,
  parseCaptureEvent,
  parseCommandResult,
  parseHookBatch,
} from './validate-capture-event';

/**
 * The relay's logic, without browser APIs. The hook keeps the document's numbered log; while a
 * panel listens, the relay subscribes to it from the panel's cursor, then validates and encodes
 * each batch the hook posts (one per forward delay) and forwards it to the background. With no
 * panel, it does nothing at all, so the page pays for nothing but the log.
 */
export class RelayCore {
  private limits: Limits;
  private parseLimits: ParseLimits;
  /** The current subscription's number (the hook tags its posts with it); 0 = none. */
  private subscription = 0;
  /** The seq the next post of this subscription must start at; -1 until its first post. */
  private expectedSeq = -1;
  private rejected = 0;
  private lost = 0;
  private pending: Promise<void> = Promise.resolve();
  private pendingCount = 0;
  private subscriptions = 0;

  constructor(
    readonly document: DocumentInfo,
    limits: Limits,
    private readonly send: (message: RelayToBackground) => void,
    private readonly toHook: (message: RelayToHook) => void,
  ) {
    this.limits = limits;
    this.parseLimits = parseLimitsFor(limits);
  }

  setLimits(limits: Limits): void {
    this.limits = limits;
    this.parseLimits = parseLimitsFor(limits);
    const { payloadCap, backlogEvents, backlogBytes, forwardDelayMs } = limits;
    this.toHook({ type: 'settings', payloadCap, backlogEvents, backlogBytes, forwardDelayMs });
  }

  hello(): RelayToBackground {
    return { type: 'hello', document: this.document };
  }

  /** A panel listens from `fromSeq`: ask the hook for its log from there, then live events. */
  subscribe(fromSeq: number): void {
    this.subscription = ++this.subscriptions;
    this.expectedSeq = -1;
    this.toHook({ type: 'subscribe', subscription: this.subscription, fromSeq });
  }

  unsubscribe(): void {
    if (this.subscription === 0) return;
    this.subscription = 0;
    this.toHook({ type: 'unsubscribe' });
  }

  /** A raw message from the page channel: anything the page world could have written. */
  receiveFromPage(data: unknown): void {
    const result = parseCommandResult(data);
    if (result) {
      // Events the command caused were posted before its result; keep that order to the panel.
      this.pending = this.pending.then(() => this.send({ type: 'command-result', result }));
      return;
    }
    const batch = parseHookBatch(data);
    if (!batch) {
      this.rejected++;
      return;
    }
    if (batch.subscription !== this.subscription || this.subscription === 0) return; // stale
    // Posts of one subscription are consecutive; a gap (which the hook never makes) is a loss.
    const gap = this.expectedSeq >= 0 ? batch.firstSeq - this.expectedSeq : 0;
    this.lost += batch.lost + (gap > 0 ? gap : 0);
    this.expectedSeq = batch.firstSeq + batch.events.length;
    const parsed: SequencedEvent<CaptureEvent>[] = [];
    let needsAsync = false;
    for (let i = 0; i < batch.events.length; i++) {
      const event = parseCaptureEvent(batch.events[i], this.parseLimits);
      if (!event) {
        this.rejected++;
        continue;
      }
      if ('payload' in event && event.payload.kind === 'blob') needsAsync = true;
      parsed.push({ seq: batch.firstSeq + i, event });
    }
    const { subscription } = this;
    if (!needsAsync && this.pendingCount === 0) {
      this.forward(
        subscription,
        parsed.map((event) => this.encodeSync(event)),
      );
      return;
    }
    // Blobs are read asynchronously; later batches queue behind them to keep the page's order.
    this.pendingCount++;
    this.pending = this.pending
      .then(() => Promise.all(parsed.map((event) => this.encode(event))))
      .then((encoded) => this.forward(subscription, encoded))
      .finally(() => {
        this.pendingCount--;
      });
  }

  /** Resolves when every batch received so far has been handled (for tests and shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  private encodeSync({ seq, event }: SequencedEvent<CaptureEvent>): SequencedEvent {
    if (!('payload' in event)) return { seq, event };
    const payload = encodePayloadSync(
      event.payload as Exclude<typeof event.payload, { kind: 'blob' }>,
      this.limits.payloadCap,
    );
    return { seq, event: { ...event, payload } };
  }

  private async encode(sequenced: SequencedEvent<CaptureEvent>): Promise<SequencedEvent> {
    const { seq, event } = sequenced;
    if (!('payload' in event) || event.payload.kind !== 'blob') return this.encodeSync(sequenced);
    const payload = await encodePayload(event.payload, this.limits.payloadCap);
    return { seq, event: { ...event, payload } };
  }

  /** Sends events in port messages bounded in count and bytes (ports have a size limit). */
  private forward(subscription: number, events: SequencedEvent[]): void {
    if (subscription !== this.subscription) return; // Unsubscribed while Blobs were read.
    let start = 0;
    do {
      let end = start;
      let bytes = 0;
      while (
        end < events.length &&
        end - start < this.limits.portMessageEvents &&
        (end === start || bytes + eventBytes(events[end]!) <= this.limits.portMessageBytes)
      ) {
        bytes += eventBytes(events[end]!);
        end++;
      }
      const rejected = this.rejected;
      const lost = this.lost;
      this.rejected = 0;
      this.lost = 0;
      this.send({
        type: 'events',
        documentId: this.document.documentId,
        events: events.slice(start, end),
        lost,
        rejected,
      });
      start = end;
    } while (start < events.length);
  }
}

function parseLimitsFor(limits: Limits): ParseLimits {
  // The hook cuts binary at the cap but never text (strings are posted whole and cut here), and
  // a cap change reaches the hook a moment after the relay: allow what a page can legitimately send.
  return { ...PARSE_LIMITS, maxPayload: Math.max(limits.payloadCap, 512 * 1024 * 1024) };
}

function eventBytes(sequenced: SequencedEvent): number {
  const { event } = sequenced;
  if (!('payload' in event)) return 0;
  const { payload } = event;
  return payload.kind === 'text' ? payload.text.length : payload.base64.length;
}
