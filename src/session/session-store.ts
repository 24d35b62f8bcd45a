import type { FrameOrigin, LifecycleEvent, ReadyState } from '../protocol/capture-events';
import { DEFAULT_LIMITS } from '../protocol/limits';
import type { ConnectionSummaryMessage, Cursors, FrameDocument } from '../protocol/port-messages';
import type { SequencedEvent, WireEvent } from '../protocol/relay-events';
import type { WirePayload } from '../protocol/wire-payload';
import { type RecordSink, readRecords } from './decode-records';
import type { ImportedSession } from './har/har-import';
import { makeFrame } from './make-frame';
import type { Connection, DocumentState, Frame, HeldFrame } from './session-model';

/**
 * The panel's model of a tab's traffic: documents, connections and an append-only frame list.
 * Applies relay events exactly once (by sequence number), so resent backlogs after a reconnect
 * or a second panel never duplicate anything.
 */
export class SessionStore {
  readonly documents = new Map<string, DocumentState>();
  readonly connections = new Map<string, Connection>();
  readonly connectionList: Connection[] = [];
  readonly frames: Frame[] = [];
  /** Frames intercept holds right now, in the order they were held. */
  readonly held = new Map<string, HeldFrame>();
  /** Increases on every change; views compare it to know when to re-render. */
  revision = 0;
  /** Increases when frames are removed (clear, navigation): derived views must start over. */
  epoch = 0;
  /** While paused, connections are still followed but their frames are counted, not kept. */
  paused = false;
  /** Keep earlier documents' connections when the top frame navigates (as DevTools' option). */
  preserveLog = false;
  /** Payload bytes the panel keeps; beyond it the oldest frames lose their payload content. */
  memoryBudget = DEFAULT_LIMITS.panelMemoryBudget;
  payloadBytes = 0;
  notRecorded = 0;
  evictedFrames = 0;
  evictedBytes = 0;
  /** Frames before this index have had their payload evicted (eviction goes oldest first). */
  private evictedUpTo = 0;
  /** The connection the last event was for: traffic comes in runs on one socket. */
  private lastConnection: Connection | undefined;
  /**
   * Documents forgotten on navigation: their late events (a relay still flushing as its page
   * goes away) are not this session's any more, and must not bring them back.
   */
  private readonly forgotten = new Set<string>();

  /** Whether this session takes events of a document (not one forgotten on navigation). */
  follows(documentId: string): boolean {
    return !this.forgotten.has(documentId);
  }

  addDocument(info: FrameDocument): void {
    if (this.forgotten.has(info.documentId)) return;
    const existing = this.documents.get(info.documentId);
    if (existing) existing.info = info;
    else {
      if (info.frameId === 0 && !this.preserveLog) this.forgetDocumentsBefore(info.startedAt);
      this.documents.set(info.documentId, { info, nextSeq: 0, lost: 0, rejected: 0 });
    }
    this.revision++;
  }

  /**
   * Drops every frame, and every connection that has ended; live connections stay (with their
   * counters reset) so that their later frames still have a row to belong to.
   */
  clear(): void {
    this.lastConnection = undefined;
    this.resetFrames();
    this.notRecorded = 0;
    this.evictedFrames = 0;
    this.evictedBytes = 0;
    for (const state of this.documents.values()) {
      state.lost = 0;
      state.rejected = 0;
      state.unattributed = 0;
    }
    this.epoch++;
    const live = this.connectionList.filter(
      (connection) => connection.state !== 'closed' && connection.state !== 'failed',
    );
    this.connectionList.length = 0;
    this.connections.clear();
    for (const connection of live) {
      connection.sent = { count: 0, bytes: 0 };
      connection.received = { count: 0, bytes: 0 };
      connection.errors = 0;
      this.connectionList.push(connection);
      this.connections.set(connection.key, connection);
    }
    this.revision++;
  }

  /**
   * A new page in the top frame, without "preserve log": what documents that started before it
   * recorded goes, as in DevTools. Its own iframes started after it, so they stay.
   */
  private forgetDocumentsBefore(startedAt: number): void {
    const forgotten = new Set<string>();
    for (const [documentId, state] of this.documents) {
      if (state.info.startedAt < startedAt && !state.imported) forgotten.add(documentId);
    }
    if (forgotten.size === 0) return;
    this.lastConnection = undefined;
    for (const documentId of forgotten) {
      this.documents.delete(documentId);
      this.forgotten.add(documentId);
    }
    // Its held frames went on when the page went away (the hook releases them on pagehide).
    for (const [key, held] of this.held) {
      if (forgotten.has(held.documentId)) this.held.delete(key);
    }
    const kept = this.frames.filter(
      (frame) => !forgotten.has(this.connections.get(frame.connectionKey)?.documentId ?? ''),
    );
    this.resetFrames();
    for (const frame of kept) this.appendFrame(frame);
    const connections = this.connectionList.filter(
      (connection) => !forgotten.has(connection.documentId),
    );
    this.connectionList.length = 0;
    this.connectionList.push(...connections);
    for (const key of [...this.connections.keys()]) {
      if (forgotten.has(this.connections.get(key)!.documentId)) this.connections.delete(key);
    }
    this.epoch++;
  }

  /** When the newest top-frame document started (older connections are from earlier pages). */
  get currentPageStartedAt(): number | undefined {
    let startedAt: number | undefined;
    for (const { info, imported } of this.documents.values()) {
      if (!imported && info.frameId === 0 && info.startedAt > (startedAt ?? 0))
        startedAt = info.startedAt;
    }
    return startedAt;
  }

  /** The next sequence number this session needs from a document. */
  cursorOf(documentId: string): number {
    return this.documents.get(documentId)?.nextSeq ?? 0;
  }

  cursors(): Cursors {
    const cursors: Cursors = {};
    for (const [documentId, state] of this.documents) cursors[documentId] = state.nextSeq;
    return cursors;
  }

  get lost(): number {
    let lost = 0;
    for (const state of this.documents.values()) lost += state.lost;
    return lost;
  }

  get rejected(): number {
    let rejected = 0;
    for (const state of this.documents.values()) rejected += state.rejected;
    return rejected;
  }

  /** Events that named a connection this session does not know. */
  get unattributed(): number {
    let count = 0;
    for (const state of this.documents.values()) count += state.unattributed ?? 0;
    return count;
  }

  /** Frames the hooks' backlogs dropped before this panel saw them, over all connections. */
  get droppedFrames(): number {
    let count = 0;
    for (const connection of this.connectionList) count += connection.droppedFrames ?? 0;
    return count;
  }

  /**
   * Applies a document's events. `span`, when given, is the stretch of the sequence the batch
   * covers, including events the relay refused (they take a number but are not in `events`).
   */
  applyEvents(
    documentId: string,
    events: SequencedEvent[],
    lost: number,
    rejected: number,
    span?: { firstSeq: number; endSeq: number },
  ): void {
    if (this.forgotten.has(documentId)) return;
    const document = this.documentState(documentId);
    document.rejected += rejected;
    countLost(document, span?.firstSeq ?? events[0]?.seq ?? document.nextSeq, lost);
    for (const { seq, event } of events) {
      if (seq < document.nextSeq) continue;
      document.nextSeq = seq + 1;
      this.apply(document, event);
    }
    if (span && span.endSeq > document.nextSeq) document.nextSeq = span.endSeq;
    this.revision++;
  }

  /**
   * Applies an events message's records (decode-records.ts) as they are read: each frame becomes
   * its one Frame object with no event object in between (the panel's hot path). Records that
   * do not decode count as rejected.
   */
  applyRecords(
    documentId: string,
    firstSeq: number,
    records: unknown,
    pieces: readonly string[],
    lost: number,
    rejected: number,
    connections: readonly ConnectionSummaryMessage[] = [],
  ): void {
    if (this.forgotten.has(documentId)) return;
    const document = this.documentState(documentId);
    this.applySummaries(document, firstSeq, connections);
    countLost(document, firstSeq, lost);
    /** A record seen before (a resent backlog) is skipped; a new one moves the cursor. */
    const isNew = (seq: number): boolean => {
      if (seq < document.nextSeq) return false;
      document.nextSeq = seq + 1;
      return true;
    };
    const { documentId: id } = document.info;
    const sink: RecordSink = {
      sent: (seq, socketId, time, payload, origin, readyState, bufferedAmount) => {
        if (!isNew(seq)) return;
        const connection = this.connectionOf(id, socketId);
        if (connection)
          this.applySent(connection, time, payload, origin, readyState, bufferedAmount);
        else document.unattributed = (document.unattributed ?? 0) + 1;
      },
      received: (seq, socketId, time, payload, origin) => {
        if (!isNew(seq)) return;
        const connection = this.connectionOf(id, socketId);
        if (connection) this.applyReceived(connection, time, payload, origin);
        else document.unattributed = (document.unattributed ?? 0) + 1;
      },
      event: (seq, event) => {
        if (isNew(seq)) this.apply(document, event);
      },
    };
    const { endSeq, malformed } = readRecords(firstSeq, records, pieces, sink);
    document.rejected += rejected + malformed;
    if (endSeq > document.nextSeq) document.nextSeq = endSeq;
    this.revision++;
  }

  /**
   * Takes in what the hook still knew of connections whose events its backlog dropped before
   * `firstSeq`: the lifecycle events this session missed (from its cursor on), in their order,
   * and, per connection, how many frames are gone.
   */
  private applySummaries(
    document: DocumentState,
    firstSeq: number,
    summaries: readonly ConnectionSummaryMessage[],
  ): void {
    if (summaries.length === 0) return;
    const missed: Array<{ seq: number; event: LifecycleEvent }> = [];
    for (const summary of summaries) {
      for (const sequenced of summary.events) {
        if (sequenced.seq >= document.nextSeq && sequenced.seq < firstSeq) missed.push(sequenced);
      }
    }
    missed.sort((a, b) => a.seq - b.seq);
    for (const { event } of missed) this.apply(document, event);
    const { documentId } = document.info;
    for (const summary of summaries) {
      const connection = this.connectionOf(documentId, summary.id);
      const seen = connection?.framesSeen ?? 0;
      if (!connection || summary.droppedFrames <= seen) continue;
      connection.droppedFrames = (connection.droppedFrames ?? 0) + summary.droppedFrames - seen;
      connection.framesSeen = summary.droppedFrames;
    }
  }

  private documentState(documentId: string): DocumentState {
    let state = this.documents.get(documentId);
    if (!state) {
      state = {
        info: { documentId, url: '', startedAt: 0, frameId: -1 },
        nextSeq: 0,
        lost: 0,
        rejected: 0,
      };
      this.documents.set(documentId, state);
    }
    return state;
  }

  /** A connection by its document and the hook's id (the last one found, without a new key). */
  private connectionOf(documentId: string, id: number): Connection | undefined {
    const last = this.lastConnection;
    if (last !== undefined && last.id === id && last.documentId === documentId) return last;
    const connection = this.connections.get(`${documentId}#${id}`);
    if (connection) this.lastConnection = connection;
    return connection;
  }

  private apply(document: DocumentState, event: WireEvent): void {
    if (event.type === 'created') {
      const key = `${document.info.documentId}#${event.id}`;
      const connection: Connection = {
        key,
        documentId: document.info.documentId,
        id: event.id,
        frameId: document.info.frameId,
        pageUrl: document.info.url,
        requestedUrl: event.requestedUrl,
        url: event.url,
        protocols: event.protocols,
        protocol: '',
        extensions: '',
        state: 'connecting',
        createdAt: event.time,
        errors: 0,
        sent: { count: 0, bytes: 0 },
        received: { count: 0, bytes: 0 },
        peakBufferedAmount: 0,
      };
      this.connections.set(key, connection);
      this.connectionList.push(connection);
      this.lastConnection = connection;
      return;
    }
    const connection = this.connectionOf(document.info.documentId, event.id);
    if (!connection) {
      // The hook describes every connection whose creation its backlog dropped, so this is one
      // the user cleared: counted where the panel shows losses.
      document.unattributed = (document.unattributed ?? 0) + 1;
      return;
    }
    // Frames share their connection's key string rather than each holding a copy.
    const { key } = connection;
    switch (event.type) {
      case 'opened':
        connection.state = 'open';
        connection.openedAt = event.time;
        connection.protocol = event.protocol;
        connection.extensions = event.extensions;
        return;
      case 'held':
        this.held.set(`${document.info.documentId}#${event.heldId}`, {
          key: `${document.info.documentId}#${event.heldId}`,
          documentId: document.info.documentId,
          heldId: event.heldId,
          connectionKey: key,
          direction: event.direction,
          time: event.time,
          payload: event.payload,
        });
        return;
      case 'released':
        this.held.delete(`${document.info.documentId}#${event.heldId}`);
        return;
      case 'sent':
        this.applySent(
          connection,
          event.time,
          event.payload,
          event.origin,
          event.readyState,
          event.bufferedAmount,
        );
        return;
      case 'received':
        this.applyReceived(connection, event.time, event.payload, event.origin);
        return;
      case 'error':
        connection.errors++;
        this.addFrame(makeFrame({ connectionKey: key, kind: 'error', time: event.time }));
        return;
      case 'close-requested':
        if (connection.state !== 'closed' && connection.state !== 'failed')
          connection.state = 'closing';
        connection.closeRequest = {
          code: event.code,
          reason: event.reason,
          time: event.time,
          byUser: event.byUser,
        };
        this.addFrame(
          makeFrame({
            connectionKey: key,
            kind: 'close-requested',
            time: event.time,
            code: event.code,
            reason: event.reason,
          }),
        );
        return;
      case 'closed':
        connection.state = connection.openedAt === undefined ? 'failed' : 'closed';
        connection.closedAt = event.time;
        connection.close = {
          code: event.code,
          reason: event.reason,
          wasClean: event.wasClean,
          initiator: event.initiator,
        };
        this.addFrame(
          makeFrame({
            connectionKey: key,
            kind: 'closed',
            time: event.time,
            code: event.code,
            reason: event.reason,
          }),
        );
        return;
    }
  }

  private applySent(
    connection: Connection,
    time: number,
    payload: WirePayload,
    origin: FrameOrigin,
    readyState: ReadyState,
    bufferedAmount: number,
  ): void {
    connection.framesSeen = (connection.framesSeen ?? 0) + 1;
    // A dropped frame never left: it is logged, not counted.
    if (origin !== 'dropped') {
      connection.sent.count++;
      connection.sent.bytes += payload.originalSize;
    }
    connection.peakBufferedAmount = Math.max(connection.peakBufferedAmount, bufferedAmount);
    this.addFrame(
      makeFrame({
        connectionKey: connection.key,
        kind: 'sent',
        time,
        payload,
        origin,
        readyState,
      }),
    );
  }

  private applyReceived(
    connection: Connection,
    time: number,
    payload: WirePayload,
    origin: FrameOrigin,
  ): void {
    connection.framesSeen = (connection.framesSeen ?? 0) + 1;
    if (origin !== 'dropped') {
      connection.received.count++;
      connection.received.bytes += payload.originalSize;
    }
    this.addFrame(
      makeFrame({ connectionKey: connection.key, kind: 'received', time, payload, origin }),
    );
  }

  private resetFrames(): void {
    this.frames.length = 0;
    this.payloadBytes = 0;
    this.evictedUpTo = 0;
  }

  private addFrame(frame: Frame): void {
    if (this.paused) {
      this.notRecorded++;
      return;
    }
    this.appendFrame(frame);
  }

  private appendFrame(frame: Frame): void {
    frame.index = this.frames.length;
    this.frames.push(frame);
    if (frame.payload) {
      this.payloadBytes += payloadContentLength(frame.payload);
      if (this.payloadBytes > this.memoryBudget) this.evictOldestPayloads();
    }
  }

  /** Adds a session read from a HAR file: its documents, connections and frames, marked imported. */
  addImported(imported: ImportedSession): void {
    for (const document of imported.documents) {
      this.documents.set(document.documentId, {
        info: document,
        nextSeq: 0,
        lost: 0,
        rejected: 0,
        imported: true,
      });
    }
    for (const connection of imported.connections) {
      this.connections.set(connection.key, connection);
      this.connectionList.push(connection);
    }
    for (const frame of imported.frames) this.appendFrame(frame);
    this.revision++;
  }

  /** Empties the oldest frames' payloads until the session fits its memory budget again. */
  evictOldestPayloads(): void {
    const { frames } = this;
    while (this.payloadBytes > this.memoryBudget && this.evictedUpTo < frames.length) {
      const frame = frames[this.evictedUpTo++]!;
      if (!frame.payload || frame.payloadEvicted) continue;
      const length = payloadContentLength(frame.payload);
      frame.payload =
        frame.payload.kind === 'text'
          ? { ...frame.payload, text: '' }
          : { ...frame.payload, base64: '' };
      frame.payloadEvicted = true;
      this.payloadBytes -= length;
      this.evictedFrames++;
      this.evictedBytes += frame.payload.size;
    }
  }
}

/** Counts what a batch from `firstSeq` lost: what the relay says, or a gap it did not report. */
function countLost(document: DocumentState, firstSeq: number, lost: number): void {
  document.lost += firstSeq > document.nextSeq ? Math.max(lost, firstSeq - document.nextSeq) : lost;
}

/** Memory a payload's content takes, roughly: one unit per character of text or base64. */
function payloadContentLength(payload: WirePayload): number {
  return payload.kind === 'text' ? payload.text.length * 2 : payload.base64.length;
}
