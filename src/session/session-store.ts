import type { Handshake } from '../protocol/handshake';
import type { ConnectionSummaryMessage, Cursors, FrameDocument } from '../protocol/port-messages';
import { connectionLabels } from './connection-labels';
import { ConnectionLifecycle } from './connection-lifecycle';
import { type RecordSink, readRecords } from './decode-records';
import {
  countLost,
  countUnattributed,
  DocumentCursors,
  missedLifecycleEvents,
  takeSeq,
} from './document-cursors';
import { FrameLog } from './frame-log';
import { HANDSHAKE_CLOCK_SKEW_MS, HandshakeJoin } from './handshake-join';
import { connectionFromHandshake, followHandshake, type HandshakePlace } from './handshake-only';
import type { ImportedSession } from './har/har-import';
import {
  type Connection,
  type ConnectionState,
  type DocumentState,
  type Frame,
  type HeldFrame,
  TOP_FRAME_ID,
} from './session-model';

/** Where handshake-only connections live when no document of the tab is known yet. */
const HANDSHAKE_DOCUMENT = 'handshakes';

/**
 * The panel's model of a tab's traffic: documents with their cursors (document-cursors.ts),
 * connections and what their events do (connection-lifecycle.ts), and the frame log within its
 * memory budget (frame-log.ts). Events come in one way: an events message's records
 * ({@link SessionStore.applyRecords}).
 */
export class SessionStore {
  private readonly documentCursors = new DocumentCursors();
  private readonly frameLog = new FrameLog();
  private readonly lifecycle = new ConnectionLifecycle(this.frameLog);
  private readonly handshakeJoin = new HandshakeJoin();
  /** Handshake-only connections made: their ids are the negatives of this count. */
  private handshakeOnlyCount = 0;
  /** Increases on every change; views compare it to know when to re-render. */
  revision = 0;
  /** Increases when frames are removed (clear, navigation): derived views must start over. */
  epoch = 0;
  /** Keep earlier documents' connections when the top frame navigates (as DevTools' option). */
  preserveLog = false;

  get documents(): Map<string, DocumentState> {
    return this.documentCursors.documents;
  }

  get connections(): Map<string, Connection> {
    return this.lifecycle.connections;
  }

  get connectionList(): Connection[] {
    return this.lifecycle.connectionList;
  }

  /**
   * In time order (frame-log.ts), arrival order among equal times; emptied in place: views may
   * hold on to the array.
   */
  get frames(): Frame[] {
    return this.frameLog.frames;
  }

  /** Frames intercept holds right now, in the order they were held. */
  get held(): Map<string, HeldFrame> {
    return this.lifecycle.held;
  }

  /** While paused, connections are still followed but their frames are counted, not kept. */
  get paused(): boolean {
    return this.frameLog.paused;
  }

  set paused(paused: boolean) {
    this.frameLog.paused = paused;
  }

  /** Payload bytes the panel keeps; beyond it the oldest frames lose their payload content. */
  get memoryBudget(): number {
    return this.frameLog.memoryBudget;
  }

  set memoryBudget(bytes: number) {
    this.frameLog.memoryBudget = bytes;
  }

  get payloadBytes(): number {
    return this.frameLog.payloadBytes;
  }

  get notRecorded(): number {
    return this.frameLog.notRecorded;
  }

  get evictedFrames(): number {
    return this.frameLog.evictedFrames;
  }

  get evictedBytes(): number {
    return this.frameLog.evictedBytes;
  }

  /** Events the relays' backlogs dropped before this panel saw them. */
  get lost(): number {
    return this.documentCursors.lost;
  }

  /** Malformed page messages and records refused. */
  get rejected(): number {
    return this.documentCursors.rejected;
  }

  /** Events that named a connection this session does not know. */
  get unattributed(): number {
    return this.documentCursors.unattributed;
  }

  /** Frames the hooks' backlogs dropped before this panel saw them, over all connections. */
  get droppedFrames(): number {
    return this.lifecycle.droppedFrames;
  }

  /** When the newest top-frame document started (older connections are from earlier pages). */
  /** The page the inspected tab shows now (its top-frame document), once its relay said hello. */
  get currentPage(): FrameDocument | undefined {
    return this.documentCursors.currentPage;
  }

  get currentPageStartedAt(): number | undefined {
    return this.documentCursors.currentPageStartedAt;
  }

  /** Whether this session takes events of a document (not one forgotten on navigation). */
  follows(documentId: string): boolean {
    return this.documentCursors.follows(documentId);
  }

  /** The next sequence number this session needs from a document. */
  cursorOf(documentId: string): number {
    return this.documentCursors.cursorOf(documentId);
  }

  cursors(): Cursors {
    return this.documentCursors.cursors();
  }

  addDocument(info: FrameDocument): void {
    const { documentCursors } = this;
    if (!documentCursors.follows(info.documentId)) return;
    const isNewPage = !documentCursors.has(info.documentId) && info.frameId === TOP_FRAME_ID;
    if (isNewPage && !this.preserveLog) this.forgetDocumentsBefore(info.startedAt);
    documentCursors.announce(info);
    this.relabel();
    this.revision++;
  }

  /**
   * Drops every frame, and every connection that has ended; live connections stay (with their
   * counters reset) so that their later frames still have a row to belong to.
   */
  clear(): void {
    this.frameLog.clear();
    this.documentCursors.resetCounts();
    this.lifecycle.clear();
    this.forgetHandshakesOfGoneConnections();
    this.relabel();
    this.epoch++;
    this.revision++;
  }

  /**
   * Applies an events message's records (decode-records.ts) as they are read: each frame becomes
   * its one Frame object with no event object in between (the panel's hot path). Records that
   * do not decode count as rejected. `connections` describes connections whose events the hook's
   * backlog dropped before `firstSeq`.
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
    const document = this.documentCursors.stateFor(documentId);
    if (!document) return;
    const connectionCount = this.connectionList.length;
    const labelChanges = this.lifecycle.labelChanges;
    this.applySummaries(document, firstSeq, connections);
    countLost(document, firstSeq, lost);
    const { endSeq, malformed } = readRecords(firstSeq, records, pieces, this.sinkFor(document));
    // Events only add connections (the same count means the same connections) or mark one.
    const added = this.connectionList.length !== connectionCount;
    if (added) this.joinHandshakes();
    if (added || this.lifecycle.labelChanges !== labelChanges) this.relabel();
    this.endBatch(document, endSeq, rejected + malformed);
  }

  /** A handshake the browser reported (webRequest), new or updated: joined to its connection. */
  addHandshake(handshake: Handshake, now = Date.now()): void {
    const connection = this.handshakeJoin.update(handshake, now);
    if (connection?.handshakeOnly) followHandshake(connection);
    if (this.joinHandshakes()) this.relabel();
    this.revision++;
  }

  /** Whether handshakes wait for their connections: {@link settleHandshakes} has work. */
  get handshakesWaiting(): boolean {
    return this.handshakeJoin.waiting;
  }

  /**
   * Shows the sockets the page hook did not see: each handshake that no connection claimed
   * within HANDSHAKE_SETTLE_MS becomes a connection of its own (handshake-only.ts). True when
   * any did.
   */
  settleHandshakes(now = Date.now()): boolean {
    const made: Connection[] = [];
    const changed = this.handshakeJoin.settle(now, this.currentPageStartedAt, (handshake) => {
      const connection = connectionFromHandshake(
        handshake,
        this.placeOf(handshake),
        -++this.handshakeOnlyCount,
      );
      made.push(connection);
      return connection;
    });
    if (!changed) return false;
    this.lifecycle.addImported(made);
    this.relabel();
    this.revision++;
    return true;
  }

  /** The document a handshake most likely came from: its frame's newest that began before it. */
  private placeOf(handshake: Handshake): HandshakePlace {
    let best: DocumentState | undefined;
    for (const document of this.documents.values()) {
      const { info } = document;
      if (document.imported || info.frameId !== handshake.frameId) continue;
      if (info.startedAt > handshake.startedAt + HANDSHAKE_CLOCK_SKEW_MS) continue;
      if (!best || info.startedAt > best.info.startedAt) best = document;
    }
    const page = best?.info ?? this.currentPage;
    return page
      ? { documentId: page.documentId, pageUrl: page.url }
      : { documentId: HANDSHAKE_DOCUMENT, pageUrl: '' };
  }

  /** Joins handshakes and connections; a stand-in a hook connection replaces is dropped. */
  private joinHandshakes(): boolean {
    return this.handshakeJoin.join(this.connectionList, (standIn) =>
      this.lifecycle.remove(standIn),
    );
  }

  /** Adds a session read from a HAR file: its documents, connections and frames, marked imported. */
  addImported(imported: ImportedSession): void {
    for (const document of imported.documents) this.documentCursors.addImported(document);
    this.lifecycle.addImported(imported.connections);
    this.frameLog.merge(imported.frames);
    this.joinHandshakes();
    this.relabel();
    this.revision++;
  }

  /**
   * A handshake-only connection DevTools' network log shows too (network-sockets.ts): from now
   * on its frames come from the log, and it is marked with the script that opened it.
   */
  seenInNetworkLog(connection: Connection, worker: string, source: string): void {
    delete connection.handshakeOnly;
    connection.imported = source;
    connection.worker = worker;
    this.relabel();
    this.revision++;
  }

  /**
   * A connection DevTools' network log shows has opened or ended there (network-sockets.ts), the
   * end at `closedAt`: the log says when, not how, so it gets no close event.
   */
  networkSocketState(connection: Connection, state: ConnectionState, closedAt?: number): void {
    connection.state = state;
    if ((state === 'closed' || state === 'failed') && closedAt !== undefined)
      connection.closedAt ??= closedAt;
    this.revision++;
  }

  /** More frames of a connection DevTools' network log shows (network-sockets.ts). */
  addNetworkFrames(connection: Connection, frames: readonly Frame[]): void {
    for (const frame of frames) {
      if (frame.kind === 'error') connection.errors++;
      else if (frame.kind === 'sent' || frame.kind === 'received') {
        const stats = frame.kind === 'sent' ? connection.sent : connection.received;
        stats.count++;
        stats.bytes += frame.payload?.originalSize ?? 0;
      }
    }
    this.frameLog.merge(frames);
    this.revision++;
  }

  /** Empties the oldest frames' payloads until the session fits its memory budget again. */
  evictOldestPayloads(): void {
    this.frameLog.evictOldestPayloads();
  }

  /** Names every connection again: one more, one fewer, or a document changed. */
  private relabel(): void {
    const { connectionList } = this;
    const labels = connectionLabels(connectionList, this.documents, this.currentPageStartedAt);
    for (const connection of connectionList) connection.label = labels.get(connection.key);
  }

  /** Where a document's records go: each taken once, in the connection it names. */
  private sinkFor(document: DocumentState): RecordSink {
    const { lifecycle } = this;
    const { documentId } = document.info;
    return {
      sent: (seq, socketId, time, payload, origin, readyState, bufferedAmount) => {
        if (!takeSeq(document, seq)) return;
        const connection = lifecycle.connectionOf(documentId, socketId);
        if (connection)
          lifecycle.sent(connection, time, payload, origin, readyState, bufferedAmount);
        else countUnattributed(document);
      },
      received: (seq, socketId, time, payload, origin) => {
        if (!takeSeq(document, seq)) return;
        const connection = lifecycle.connectionOf(documentId, socketId);
        if (connection) lifecycle.received(connection, time, payload, origin);
        else countUnattributed(document);
      },
      event: (seq, event) => {
        if (takeSeq(document, seq)) lifecycle.apply(document, event);
      },
    };
  }

  /** Moves the cursor past a batch (refused records hold places too) and counts what it refused. */
  private endBatch(document: DocumentState, endSeq: number, rejected: number): void {
    document.rejected += rejected;
    if (endSeq > document.nextSeq) document.nextSeq = endSeq;
    this.revision++;
  }

  /**
   * Takes in what the hook still knew of connections whose events its backlog dropped before
   * `firstSeq`: the lifecycle events this session missed, and how many frames are gone.
   */
  private applySummaries(
    document: DocumentState,
    firstSeq: number,
    summaries: readonly ConnectionSummaryMessage[],
  ): void {
    if (summaries.length === 0) return;
    for (const { event } of missedLifecycleEvents(document, firstSeq, summaries))
      this.lifecycle.apply(document, event);
    this.lifecycle.countDropped(document.info.documentId, summaries);
  }

  /**
   * A new page in the top frame, without "preserve log": what documents that started before it
   * recorded goes, as in DevTools. Its own iframes started after it, so they stay.
   */
  private forgetDocumentsBefore(startedAt: number): void {
    const forgotten = this.documentCursors.forgetStartedBefore(startedAt);
    if (forgotten.size === 0) return;
    const { connections } = this.lifecycle;
    this.frameLog.keepOnly(
      (frame) => !forgotten.has(connections.get(frame.connectionKey)?.documentId ?? ''),
    );
    this.lifecycle.forget(forgotten);
    this.forgetHandshakesOfGoneConnections();
    this.epoch++;
  }

  private forgetHandshakesOfGoneConnections(): void {
    const { connections } = this.lifecycle;
    this.handshakeJoin.forget((connection) => connections.get(connection.key) === connection);
  }
}
