import type { CaptureEvent } from '../protocol/capture-events';
import type { Limits } from '../protocol/limits';
import type { DocumentInfo, RelayToBackground } from '../protocol/port-messages';
import type { SequencedEvent, WireEvent } from '../protocol/relay-events';
import { Backlog } from './backlog';
import { encodePayload, encodePayloadSync } from './encode-payload';
import {
  PARSE_LIMITS,
  type ParseLimits,
  parseCaptureEvent,
  parseCommandResult,
} from './validate-capture-event';

/**
 * The relay's logic, without browser APIs: takes raw batches from the page channel, validates
 * and encodes them, numbers them into the backlog, and forwards them while a panel listens.
 */
export class RelayCore {
  private readonly backlog: Backlog;
  private limits: Limits;
  private subscribed = false;
  private rejected = 0;
  private pending: Promise<void> = Promise.resolve();
  private pendingCount = 0;
  private parseLimits: ParseLimits;
  /** Events waiting for the next forward, and whether a forward is scheduled. */
  private outbox: SequencedEvent[] = [];
  private outboxBytes = 0;
  private forwardScheduled = false;

  constructor(
    readonly document: DocumentInfo,
    limits: Limits,
    private readonly send: (message: RelayToBackground) => void,
    private readonly setTimer: (callback: () => void, ms: number) => unknown = (callback, ms) =>
      setTimeout(callback, ms),
  ) {
    this.limits = limits;
    this.backlog = new Backlog(limits.backlogEvents, limits.backlogBytes);
    this.parseLimits = parseLimitsFor(limits);
  }

  setLimits(limits: Limits): void {
    this.limits = limits;
    this.parseLimits = parseLimitsFor(limits);
    this.backlog.setLimits(limits.backlogEvents, limits.backlogBytes);
  }

  hello(): RelayToBackground {
    return { type: 'hello', document: this.document };
  }

  /** A raw message from the page channel: anything the page world could have written. */
  receiveFromPage(data: unknown): void {
    const result = parseCommandResult(data);
    if (result) {
      // Events the command caused were posted before its result; keep that order to the panel.
      this.pending = this.pending.then(() => {
        this.flushOutbox();
        this.send({ type: 'command-result', result });
      });
      return;
    }
    const rawEvents = isBatch(data) ? data.events : undefined;
    if (!rawEvents) {
      this.rejected++;
      this.store([]);
      return;
    }
    const parsed: CaptureEvent[] = [];
    let needsAsync = false;
    for (const raw of rawEvents) {
      const event = parseCaptureEvent(raw, this.parseLimits);
      if (!event) {
        this.rejected++;
        continue;
      }
      if ('payload' in event && event.payload.kind === 'blob') needsAsync = true;
      parsed.push(event);
    }
    if (!needsAsync && this.pendingCount === 0) {
      this.store(parsed.map((event) => this.encodeSync(event)));
      return;
    }
    // Blobs are read asynchronously; later batches queue behind them to keep the page's order.
    this.pendingCount++;
    this.pending = this.pending
      .then(() => Promise.all(parsed.map((event) => this.encode(event))))
      .then((encoded) => this.store(encoded))
      .finally(() => {
        this.pendingCount--;
      });
  }

  /** Resolves when every batch received so far has been stored (for tests and shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  subscribe(fromSeq: number): void {
    this.subscribed = true;
    this.outbox = [];
    this.outboxBytes = 0;
    const { events, lost } = this.backlog.since(fromSeq);
    this.forward(events, lost);
  }

  unsubscribe(): void {
    this.subscribed = false;
    this.outbox = [];
    this.outboxBytes = 0;
  }

  /** Forwards whatever waits in the outbox now (the timer does this after `forwardDelayMs`). */
  flushOutbox(): void {
    if (!this.subscribed) return;
    const events = this.outbox;
    this.outbox = [];
    this.outboxBytes = 0;
    if (events.length > 0 || this.rejected > 0) this.forward(events);
  }

  private encodeSync(event: CaptureEvent): { event: WireEvent; bytes: number } {
    if (!('payload' in event)) return { event, bytes: 0 };
    const payload = encodePayloadSync(
      event.payload as Exclude<typeof event.payload, { kind: 'blob' }>,
      this.limits.payloadCap,
    );
    return { event: { ...event, payload }, bytes: wireBytes(payload) };
  }

  private async encode(event: CaptureEvent): Promise<{ event: WireEvent; bytes: number }> {
    if (!('payload' in event) || event.payload.kind !== 'blob') return this.encodeSync(event);
    const payload = await encodePayload(event.payload, this.limits.payloadCap);
    return { event: { ...event, payload }, bytes: wireBytes(payload) };
  }

  private store(encoded: Array<{ event: WireEvent; bytes: number }>): void {
    for (const { event, bytes } of encoded) {
      const sequenced = this.backlog.append(event, bytes);
      if (!this.subscribed) continue;
      this.outbox.push(sequenced);
      this.outboxBytes += bytes;
    }
    if (!this.subscribed) return;
    // Coalesce: one port message per `forwardDelayMs` rather than one per page batch, so the
    // serialization and hops cost per message are shared by every frame in it.
    if (
      this.outbox.length >= this.limits.portMessageEvents ||
      this.outboxBytes >= this.limits.portMessageBytes
    ) {
      this.flushOutbox();
    } else if (!this.forwardScheduled) {
      this.forwardScheduled = true;
      this.setTimer(() => {
        this.forwardScheduled = false;
        if (this.subscribed) this.flushOutbox();
      }, this.limits.forwardDelayMs);
    }
  }

  /** Sends events in port messages bounded in count and bytes (ports have a size limit). */
  private forward(events: SequencedEvent[], lost = 0): void {
    if (!this.subscribed) return;
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
      this.rejected = 0;
      const chunk = events.slice(start, end);
      if (chunk.length > 0 || lost > 0 || rejected > 0 || events.length === 0) {
        this.send({
          type: 'events',
          documentId: this.document.documentId,
          events: chunk,
          lost,
          rejected,
        });
      }
      lost = 0;
      start = end;
    } while (start < events.length);
  }
}

function parseLimitsFor(limits: Limits): ParseLimits {
  // The hook cuts binary at the cap but never text (strings are posted whole and cut here), and
  // a cap change reaches the hook a moment after the relay: allow what a page can legitimately send.
  return { ...PARSE_LIMITS, maxPayload: Math.max(limits.payloadCap, 512 * 1024 * 1024) };
}

function isBatch(data: unknown): data is { events: unknown[] } {
  return (
    typeof data === 'object' &&
    data !== null &&
    Array.isArray((data as { events?: unknown }).events)
  );
}

function wireBytes(payload: { kind: string; text?: string; base64?: string }): number {
  return (payload.text ?? payload.base64 ?? '').length;
}

function eventBytes(sequenced: SequencedEvent): number {
  const { event } = sequenced;
  return 'payload' in event ? wireBytes(event.payload) : 0;
}
