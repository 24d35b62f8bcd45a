import type { FrameOrigin, ReadyState } from '../protocol/capture-events';
import type { ConnectionSummaryMessage } from '../protocol/port-messages';
import type { WireEvent } from '../protocol/relay-events';
import { countUnattributed } from './document-cursors';
import type { FrameLog } from './frame-log';
import { framePayloadOf } from './frame-payload';
import { makeFrame } from './make-frame';
import {
  type Connection,
  connectionKey,
  type DocumentState,
  type Frame,
  type FramePayload,
  type HeldFrame,
  heldFrameKey,
  newConnection,
} from './session-model';
import { parseStack } from './stack-frames';

/**
 * The connections a session lists and what each of their events does: a connection's state,
 * counters and close details, the frames intercept holds on it, and the frame the event adds to
 * the log.
 */
export class ConnectionLifecycle {
  readonly connections = new Map<string, Connection>();
  /** The connections in the order they were created (the connection table's rows). */
  readonly connectionList: Connection[] = [];
  /** Frames intercept holds right now, in the order they were held. */
  readonly held = new Map<string, HeldFrame>();
  /** The connection the last event was for: traffic comes in runs on one socket. */
  private lastConnection: Connection | undefined;
  /**
   * Counts changes to what a connection's label shows after its creation (a mock rule marking
   * it): the mark can come in a later batch than the connection, whose label must change then.
   */
  labelChanges = 0;

  constructor(private readonly frameLog: FrameLog) {}

  /** A connection by its document and the hook's id (the last one found, without a new key). */
  connectionOf(documentId: string, id: number): Connection | undefined {
    const last = this.lastConnection;
    if (last !== undefined && last.id === id && last.documentId === documentId) return last;
    const connection = this.connections.get(connectionKey(documentId, id));
    if (connection) this.lastConnection = connection;
    return connection;
  }

  /** Frames the hooks' backlogs dropped before this panel saw them, over all connections. */
  get droppedFrames(): number {
    let count = 0;
    for (const connection of this.connectionList) count += connection.droppedFrames ?? 0;
    return count;
  }

  /** Applies one of a document's events other than a frame (a frame's record goes to sent/received). */
  apply(document: DocumentState, event: WireEvent): void {
    const { documentId } = document.info;
    if (event.type === 'created') {
      this.create(document, event);
      return;
    }
    const connection = this.connectionOf(documentId, event.id);
    if (!connection) {
      // The hook describes every connection whose creation its backlog dropped, so this is one
      // the user cleared: counted where the panel shows losses.
      countUnattributed(document);
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
      case 'held': {
        const heldKey = heldFrameKey(documentId, event.heldId);
        this.held.set(heldKey, {
          key: heldKey,
          documentId,
          heldId: event.heldId,
          connectionKey: key,
          direction: event.direction,
          time: event.time,
          payload: framePayloadOf(event.payload),
        });
        return;
      }
      case 'released':
        this.held.delete(heldFrameKey(documentId, event.heldId));
        return;
      case 'sent':
        this.sent(
          connection,
          event.time,
          framePayloadOf(event.payload),
          event.origin,
          event.readyState,
          event.bufferedAmount,
        );
        return;
      case 'received':
        this.received(connection, event.time, framePayloadOf(event.payload), event.origin);
        return;
      case 'send-stack':
        connection.nextSendStack = event.stack;
        return;
      case 'rule-mark': {
        const mark = { name: event.rule, effect: event.effect };
        if (event.effect === 'mocked endpoint') {
          connection.mockedBy = event.rule;
          this.labelChanges++;
        } else if (event.effect === 'closed by rule' || event.effect === 'failed by rule')
          connection.endedByRule = mark;
        else connection.nextRuleMark = mark;
        return;
      }
      case 'error': {
        connection.errors++;
        const frame = makeFrame({ connectionKey: key, kind: 'error', time: event.time });
        if (connection.endedByRule) frame.rule = connection.endedByRule;
        this.frameLog.add(frame);
        return;
      }
      case 'close-requested':
        if (connection.state !== 'closed' && connection.state !== 'failed')
          connection.state = 'closing';
        connection.closeRequest = {
          code: event.code,
          reason: event.reason,
          time: event.time,
          byUser: event.byUser,
        };
        this.frameLog.add(
          makeFrame({
            connectionKey: key,
            kind: 'close-requested',
            time: event.time,
            code: event.code,
            reason: event.reason,
          }),
        );
        return;
      case 'closed': {
        connection.state = connection.openedAt === undefined ? 'failed' : 'closed';
        connection.closedAt = event.time;
        connection.close = {
          code: event.code,
          reason: event.reason,
          wasClean: event.wasClean,
          initiator: event.initiator,
        };
        const frame = makeFrame({
          connectionKey: key,
          kind: 'closed',
          time: event.time,
          code: event.code,
          reason: event.reason,
        });
        if (connection.endedByRule) frame.rule = connection.endedByRule;
        this.frameLog.add(frame);
        return;
      }
    }
  }

  /** A frame the page sent (or tried to: a dropped frame is logged, not counted). */
  sent(
    connection: Connection,
    time: number,
    payload: FramePayload,
    origin: FrameOrigin,
    readyState: ReadyState,
    bufferedAmount: number,
  ): void {
    connection.framesSeen = (connection.framesSeen ?? 0) + 1;
    if (origin !== 'dropped') {
      connection.sent.count++;
      connection.sent.bytes += payload.originalSize;
    }
    connection.peakBufferedAmount = Math.max(connection.peakBufferedAmount, bufferedAmount);
    const frame = makeFrame({
      connectionKey: connection.key,
      kind: 'sent',
      time,
      payload,
      origin,
      readyState,
    });
    // The hook records a send's stack just before its frame: the two are one send.
    if (connection.nextSendStack !== undefined) {
      if (origin === 'page') frame.sentBy = connection.nextSendStack;
      connection.nextSendStack = undefined;
    }
    this.takeRuleMark(connection, frame);
    this.frameLog.add(frame);
  }

  /** A frame the page received (a dropped one never reached it: logged, not counted). */
  received(connection: Connection, time: number, payload: FramePayload, origin: FrameOrigin): void {
    connection.framesSeen = (connection.framesSeen ?? 0) + 1;
    if (origin !== 'dropped') {
      connection.received.count++;
      connection.received.bytes += payload.originalSize;
    }
    const frame = makeFrame({
      connectionKey: connection.key,
      kind: 'received',
      time,
      payload,
      origin,
    });
    this.takeRuleMark(connection, frame);
    this.frameLog.add(frame);
  }

  /** The hook marks a frame a rule touched just before recording it: the two are one. */
  private takeRuleMark(connection: Connection, frame: Frame): void {
    if (connection.nextRuleMark === undefined) return;
    frame.rule = connection.nextRuleMark;
    connection.nextRuleMark = undefined;
  }

  /**
   * Takes in how many frames of each summarized connection the hook's backlog dropped: what
   * goes beyond the frames already seen (taken in or counted) is dropped before this panel.
   */
  countDropped(documentId: string, summaries: readonly ConnectionSummaryMessage[]): void {
    for (const summary of summaries) {
      const connection = this.connectionOf(documentId, summary.id);
      const seen = connection?.framesSeen ?? 0;
      if (!connection || summary.droppedFrames <= seen) continue;
      connection.droppedFrames = (connection.droppedFrames ?? 0) + summary.droppedFrames - seen;
      connection.framesSeen = summary.droppedFrames;
    }
  }

  /**
   * Drops every connection that has ended; live ones stay, their counters reset, so that their
   * later frames still have a row to belong to.
   */
  clear(): void {
    this.lastConnection = undefined;
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
  }

  /**
   * Drops the connections and held frames of documents gone with a navigation (the hook released
   * their held frames on pagehide).
   */
  forget(documentIds: ReadonlySet<string>): void {
    this.lastConnection = undefined;
    for (const [key, held] of this.held) {
      if (documentIds.has(held.documentId)) this.held.delete(key);
    }
    const kept = this.connectionList.filter(
      (connection) => !documentIds.has(connection.documentId),
    );
    this.connectionList.length = 0;
    this.connectionList.push(...kept);
    for (const [key, connection] of this.connections) {
      if (documentIds.has(connection.documentId)) this.connections.delete(key);
    }
  }

  /** Lists connections read from a HAR file. */
  /** Takes out a connection with no frames (a handshake-only one its hook connection replaced). */
  remove(connection: Connection): void {
    if (this.connections.get(connection.key) !== connection) return;
    this.connections.delete(connection.key);
    this.connectionList.splice(this.connectionList.indexOf(connection), 1);
    if (this.lastConnection === connection) this.lastConnection = undefined;
  }

  /** Adds connections made elsewhere: a HAR file's, DevTools' network log's, handshakes'. */
  addImported(connections: readonly Connection[]): void {
    for (const connection of connections) {
      this.connections.set(connection.key, connection);
      this.connectionList.push(connection);
    }
  }

  private create(document: DocumentState, event: Extract<WireEvent, { type: 'created' }>): void {
    const { documentId, frameId, url: pageUrl } = document.info;
    const connection = newConnection({
      documentId,
      id: event.id,
      frameId,
      pageUrl,
      requestedUrl: event.requestedUrl,
      url: event.url,
      protocols: event.protocols,
      createdAt: event.time,
    });
    if (typeof event.initiator === 'string' && event.initiator) {
      connection.initiator = parseStack(event.initiator);
    }
    this.connections.set(connection.key, connection);
    this.connectionList.push(connection);
    this.lastConnection = connection;
  }
}
