import type { RelayToHook } from '../protocol/capture-events';
import { RECORD_SLOTS } from '../protocol/event-records';
import { type Limits, MiB, PORT_PIECE_CHARS } from '../protocol/limits';
import { stepFrameTimes } from '../protocol/microsecond-steps';
import { packRecords } from '../protocol/packed-records';
import type {
  ConnectionSummaryMessage,
  DocumentInfo,
  EventsMessage,
  RelayToBackground,
  RelayToPanel,
} from '../protocol/port-messages';
import type { HookRule } from '../protocol/socket-rules';
import {
  PARSE_LIMITS,
  type ParseLimits,
  parseCommandResult,
  parseConnectionSummaries,
  parseHookBatch,
} from './parse-hook-messages';
import { takeLongPayloads } from './payload-pieces';
import { readBlobs, refusedRecords, toWireRecords, type WireRecords } from './wire-records';

/**
 * The relay's handling of a document's events, without browser APIs. The hook keeps the document's numbered log; while a
 * panel listens, the relay subscribes to it from the panel's cursor, then validates and encodes
 * each batch the hook posts (one per forward delay) and forwards it: to the panels' data ports
 * when they opened one, else through the background. With no panel, it does nothing at all, so
 * the page pays for nothing but the log.
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
  /** Where the current subscription started. */
  private subscribedFrom = 0;
  /** A subscription the background asked for, waiting for a panel to accept the data port. */
  private waitingFrom: number | undefined;
  /** The data ports panels opened to this relay (see DATA_PORT). */
  private readonly direct = new Set<(message: RelayToPanel) => void>();
  /**
   * The ports carry structured clones (Firefox), not JSON: binary payloads go as bytes, not
   * base64, and records packed (packed-records.ts), not with their frame times stepped
   * (microsecond-steps.ts).
   */
  portsClone = false;
  /**
   * Batches come on the hook's port and may still be in flight when the document goes away:
   * tell the hook how far this relay has read, so that it hands over the rest then.
   */
  acknowledgeBatches = false;

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
    this.toHook({
      type: 'settings',
      payloadCap,
      backlogEvents,
      backlogBytes,
      forwardDelayMs,
      sendStacks: limits.sendStacks === 1,
    });
  }

  /** The enabled rules, compiled, for the hook (see socket-rules.ts). */
  setRules(rules: HookRule[]): void {
    this.toHook({ type: 'rules', rules });
  }

  hello(): RelayToBackground {
    return { type: 'hello', document: this.document };
  }

  /**
   * A panel listens from `fromSeq`: ask the hook for its log from there, then live events. With
   * `awaitDataPort`, a panel without a data port here is expected to open one: the relay waits
   * for it ({@link dataPortAccepted}, or {@link stopWaiting}) rather than send the log twice.
   */
  subscribe(fromSeq: number, awaitDataPort = false): void {
    if (this.direct.size > 0) {
      // Panels already take events here (one that opens its own port later catches up then).
      if (this.subscription === 0) this.subscribeHook(fromSeq);
    } else if (awaitDataPort) this.waitingFrom = fromSeq;
    else this.subscribeHook(fromSeq);
  }

  unsubscribe(): void {
    this.waitingFrom = undefined;
    if (this.subscription === 0) return;
    this.subscription = 0;
    this.toHook({ type: 'unsubscribe' });
  }

  /**
   * A panel opened a data port and needs this document's events from `cursor`: from now on
   * events go to the data ports only. The hook starts over from the earliest point any listener
   * may lack (what is in flight through the background included); panels drop repeats.
   */
  dataPortAccepted(send: (message: RelayToPanel) => void, cursor: number): void {
    this.direct.add(send);
    if (this.waitingFrom === undefined && this.subscription === 0) return; // Nobody subscribed.
    const resumeAt = this.waitingFrom ?? this.resumeSeq;
    this.waitingFrom = undefined;
    this.subscribeHook(Math.min(cursor, resumeAt));
  }

  dataPortClosed(send: (message: RelayToPanel) => void): void {
    this.direct.delete(send);
  }

  /** No data port came: events go through the background. */
  stopWaiting(): void {
    if (this.waitingFrom === undefined) return;
    const fromSeq = this.waitingFrom;
    this.waitingFrom = undefined;
    this.subscribeHook(fromSeq);
  }

  /** Sends to the data ports, or through the background when there are none. */
  private deliver(message: Exclude<RelayToBackground, { type: 'hello' }>): void {
    if (this.direct.size === 0) {
      this.send(message);
      return;
    }
    const { documentId } = this.document;
    const direct: RelayToPanel =
      message.type === 'command-result' ? { ...message, documentId } : message;
    for (const send of this.direct) send(direct);
  }

  /** The next event this relay would forward: a new subscription from here misses nothing. */
  private get resumeSeq(): number {
    return this.expectedSeq >= 0 ? this.expectedSeq : this.subscribedFrom;
  }

  private subscribeHook(fromSeq: number): void {
    this.subscription = ++this.subscriptions;
    this.subscribedFrom = fromSeq;
    this.expectedSeq = -1;
    this.toHook({ type: 'subscribe', subscription: this.subscription, fromSeq });
  }

  /** A raw message from the page channel: anything the page world could have written. */
  receiveFromPage(data: unknown): void {
    try {
      this.receiveMessage(data);
    } catch {
      // Only a page that fitted what the hook posts with throwing getters gets here (Firefox
      // reads the hook's objects in place): that post is refused, the relay goes on.
      this.rejected++;
    }
  }

  private receiveMessage(data: unknown): void {
    const result = parseCommandResult(data);
    if (result) {
      // Events the command caused were posted before its result; keep that order to the panel.
      this.pending = this.pending
        .then(() => this.deliver({ type: 'command-result', result }))
        .catch(() => undefined);
      return;
    }
    const batch = parseHookBatch(data);
    if (!batch) {
      this.rejected++;
      return;
    }
    if (batch.subscription !== this.subscription || this.subscription === 0) return; // stale
    const count = batch.records.length / RECORD_SLOTS;
    // Posts of one subscription are consecutive; a gap (which the hook never makes) is a loss.
    const gap = this.expectedSeq >= 0 ? batch.firstSeq - this.expectedSeq : 0;
    this.lost += batch.lost + (gap > 0 ? gap : 0);
    this.expectedSeq = batch.firstSeq + count;
    if (this.acknowledgeBatches) {
      this.toHook({ type: 'received', subscription: this.subscription, endSeq: this.expectedSeq });
    }
    let wire: WireRecords;
    try {
      wire = toWireRecords(
        batch.records,
        this.limits.payloadCap,
        this.parseLimits,
        this.portsClone,
      );
    } catch {
      // Only a page that fitted the hook's arrays with throwing getters gets here (Firefox reads
      // them in place): its events keep their places in the sequence, refused.
      wire = refusedRecords(count);
    }
    this.rejected += wire.rejected;
    const { summaries, rejected } = parseConnectionSummaries(batch.connections, this.parseLimits);
    this.rejected += rejected;
    const { subscription } = this;
    if (wire.blobs.length === 0 && this.pendingCount === 0) {
      this.forward(subscription, batch.firstSeq, wire, summaries);
      return;
    }
    // Blobs are read asynchronously; later batches queue behind them to keep the page's order.
    this.pendingCount++;
    this.pending = this.pending
      .then(() => readBlobs(wire, this.limits.payloadCap, this.portsClone))
      .then((failed) => {
        this.rejected += failed;
        this.forward(subscription, batch.firstSeq, wire, summaries);
      })
      // Whatever failed, later batches and command results still go on, in order.
      .catch(() => undefined)
      .finally(() => {
        this.pendingCount--;
      });
  }

  /** Resolves when every batch received so far has been handled (for tests and shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Sends the records in port messages bounded in count and bytes (ports have a size limit). */
  private forward(
    subscription: number,
    firstSeq: number,
    wire: WireRecords,
    summaries: ConnectionSummaryMessage[],
  ): void {
    if (subscription !== this.subscription) return; // Unsubscribed while Blobs were read.
    const { sizes, records } = wire;
    let start = 0;
    do {
      let end = start;
      let bytes = 0;
      while (
        end < sizes.length &&
        end - start < this.limits.portMessageEvents &&
        (end === start || bytes + sizes[end]! <= this.limits.portMessageBytes)
      ) {
        bytes += sizes[end]!;
        end++;
      }
      const rejected = this.rejected;
      const lost = this.lost;
      this.rejected = 0;
      this.lost = 0;
      const chunk =
        start === 0 && end === sizes.length
          ? records
          : records.slice(start * RECORD_SLOTS, end * RECORD_SLOTS);
      const { documentId } = this.document;
      const pieces = takeLongPayloads(chunk, PORT_PIECE_CHARS);
      for (let index = 0; index < pieces.length; index++) {
        this.deliver({ type: 'payload-piece', documentId, index, data: pieces[index]! });
      }
      const message: EventsMessage = {
        type: 'events',
        documentId,
        firstSeq: firstSeq + start,
        records: this.portsClone ? packRecords(chunk) : (stepFrameTimes(chunk) ?? chunk),
        lost,
        rejected,
      };
      // Ahead of the records that may belong to the connections they describe.
      if (start === 0 && summaries.length > 0) message.connections = summaries;
      this.deliver(message);
      start = end;
    } while (start < sizes.length);
  }
}

/**
 * The relay accepts payloads from the hook up to the cap or this many bytes, whichever is more:
 * the hook cuts binary at the cap but never text (strings are posted whole and cut here), and a
 * cap change reaches the hook a moment after the relay, so this allows what a page can
 * legitimately send.
 */
const MIN_ACCEPTED_PAYLOAD = 512 * MiB;

function parseLimitsFor(limits: Limits): ParseLimits {
  return { ...PARSE_LIMITS, maxPayload: Math.max(limits.payloadCap, MIN_ACCEPTED_PAYLOAD) };
}
