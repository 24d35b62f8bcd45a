import type { Cursors, FrameDocument } from '../protocol/port-messages';
import type { SequencedEvent, WireEvent } from '../protocol/relay-events';
import type { Connection, DocumentState, Frame } from './session-model';

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
  /** Increases on every change; views compare it to know when to re-render. */
  revision = 0;

  addDocument(info: FrameDocument): void {
    const existing = this.documents.get(info.documentId);
    if (existing) existing.info = info;
    else this.documents.set(info.documentId, { info, nextSeq: 0, lost: 0, rejected: 0 });
    this.revision++;
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

  applyEvents(documentId: string, events: SequencedEvent[], lost: number, rejected: number): void {
    const document = this.documentState(documentId);
    document.rejected += rejected;
    if (events.length > 0 && events[0]!.seq > document.nextSeq) {
      // The relay says how many it lost; a gap it did not report is counted too.
      document.lost += Math.max(lost, events[0]!.seq - document.nextSeq);
    } else document.lost += lost;
    for (const { seq, event } of events) {
      if (seq < document.nextSeq) continue;
      document.nextSeq = seq + 1;
      this.apply(document, event);
    }
    this.revision++;
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

  private apply(document: DocumentState, event: WireEvent): void {
    const key = `${document.info.documentId}#${event.id}`;
    if (event.type === 'created') {
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
      return;
    }
    const connection = this.connections.get(key);
    if (!connection) return; // Its creation fell out of the backlog; the loss is already counted.
    const base = { index: this.frames.length, connectionKey: key, time: event.time };
    switch (event.type) {
      case 'opened':
        connection.state = 'open';
        connection.openedAt = event.time;
        connection.protocol = event.protocol;
        connection.extensions = event.extensions;
        return;
      case 'sent':
        connection.sent.count++;
        connection.sent.bytes += event.payload.originalSize;
        connection.peakBufferedAmount = Math.max(
          connection.peakBufferedAmount,
          event.bufferedAmount,
        );
        this.frames.push({
          ...base,
          kind: 'sent',
          payload: event.payload,
          origin: event.origin,
          readyState: event.readyState,
        });
        return;
      case 'received':
        connection.received.count++;
        connection.received.bytes += event.payload.originalSize;
        this.frames.push({
          ...base,
          kind: 'received',
          payload: event.payload,
          origin: event.origin,
        });
        return;
      case 'error':
        connection.errors++;
        this.frames.push({ ...base, kind: 'error' });
        return;
      case 'close-requested':
        if (connection.state !== 'closed' && connection.state !== 'failed')
          connection.state = 'closing';
        connection.closeRequest = { code: event.code, reason: event.reason, time: event.time };
        this.frames.push({
          ...base,
          kind: 'close-requested',
          code: event.code,
          reason: event.reason,
        });
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
        this.frames.push({ ...base, kind: 'closed', code: event.code, reason: event.reason });
        return;
    }
  }
}
