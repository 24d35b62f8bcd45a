import type { LifecycleEvent } from '../protocol/capture-events';
import type { ConnectionSummaryMessage, Cursors, FrameDocument } from '../protocol/port-messages';
import type { SequencedEvent } from '../protocol/relay-events';
import { type DocumentState, TOP_FRAME_ID } from './session-model';

/** The frame id of a document known only from its events, before it is announced. */
const UNANNOUNCED_FRAME_ID = -1;

/**
 * The documents a session follows and, per document, the next sequence number it needs and what
 * it lost on the way. Events are taken once each, by sequence number, so a backlog resent after a
 * reconnect or to a second panel never duplicates anything.
 */
export class DocumentCursors {
  readonly documents = new Map<string, DocumentState>();
  /**
   * Documents forgotten on navigation: their late events (a relay still flushing as its page
   * goes away) are not this session's any more, and must not bring them back.
   */
  private readonly forgotten = new Set<string>();

  /** Whether the session takes events of a document (not one forgotten on navigation). */
  follows(documentId: string): boolean {
    return !this.forgotten.has(documentId);
  }

  has(documentId: string): boolean {
    return this.documents.has(documentId);
  }

  /** Records what the background says of a document, new or already known. */
  announce(info: FrameDocument): void {
    const existing = this.documents.get(info.documentId);
    if (existing) existing.info = info;
    else this.documents.set(info.documentId, { info, nextSeq: 0, lost: 0, rejected: 0 });
  }

  /** A document read from a HAR file: never forgotten on navigation, never given a cursor. */
  addImported(info: FrameDocument): void {
    this.documents.set(info.documentId, { info, nextSeq: 0, lost: 0, rejected: 0, imported: true });
  }

  /**
   * The state a document's events go to, created for a document not announced yet (its events
   * can come first); undefined for a document forgotten on navigation.
   */
  stateFor(documentId: string): DocumentState | undefined {
    if (this.forgotten.has(documentId)) return undefined;
    let state = this.documents.get(documentId);
    if (!state) {
      state = {
        info: { documentId, url: '', startedAt: 0, frameId: UNANNOUNCED_FRAME_ID },
        nextSeq: 0,
        lost: 0,
        rejected: 0,
      };
      this.documents.set(documentId, state);
    }
    return state;
  }

  /**
   * Forgets every live document that started before `startedAt` (a new page in the top frame):
   * their late events are refused from now on. Gives the ids forgotten.
   */
  forgetStartedBefore(startedAt: number): Set<string> {
    const forgotten = new Set<string>();
    for (const [documentId, state] of this.documents) {
      if (state.info.startedAt < startedAt && !state.imported) forgotten.add(documentId);
    }
    for (const documentId of forgotten) {
      this.documents.delete(documentId);
      this.forgotten.add(documentId);
    }
    return forgotten;
  }

  /** Zeroes what every document lost, refused or could not attribute (the user cleared). */
  resetCounts(): void {
    for (const state of this.documents.values()) {
      state.lost = 0;
      state.rejected = 0;
      state.unattributed = 0;
    }
  }

  /** The next sequence number the session needs from a document. */
  cursorOf(documentId: string): number {
    return this.documents.get(documentId)?.nextSeq ?? 0;
  }

  cursors(): Cursors {
    const cursors: Cursors = {};
    for (const [documentId, state] of this.documents) cursors[documentId] = state.nextSeq;
    return cursors;
  }

  /** The newest live top-frame document: the page the tab shows now. */
  get currentPage(): FrameDocument | undefined {
    let page: FrameDocument | undefined;
    for (const { info, imported } of this.documents.values()) {
      if (!imported && info.frameId === TOP_FRAME_ID && info.startedAt > (page?.startedAt ?? 0))
        page = info;
    }
    return page;
  }

  /** When the current page started (older connections are earlier pages'). */
  get currentPageStartedAt(): number | undefined {
    return this.currentPage?.startedAt;
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

  get unattributed(): number {
    let count = 0;
    for (const state of this.documents.values()) count += state.unattributed ?? 0;
    return count;
  }
}

/** Whether `seq` is new to the document (not from a resent backlog); a new one moves its cursor. */
export function takeSeq(state: DocumentState, seq: number): boolean {
  if (seq < state.nextSeq) return false;
  state.nextSeq = seq + 1;
  return true;
}

/**
 * Counts what a batch from `firstSeq` lost: what the relay says, or the gap between the cursor
 * and the batch where that is larger (a loss the relay did not report).
 */
export function countLost(state: DocumentState, firstSeq: number, lost: number): void {
  state.lost += firstSeq > state.nextSeq ? Math.max(lost, firstSeq - state.nextSeq) : lost;
}

/** Counts an event for a connection the session does not list (one the user cleared). */
export function countUnattributed(state: DocumentState): void {
  state.unattributed = (state.unattributed ?? 0) + 1;
}

/**
 * The lifecycle events of connection summaries (what the hook still knew of connections its
 * backlog dropped events of) that lie between the document's cursor and `firstSeq`, in order:
 * the ones this session missed.
 */
export function missedLifecycleEvents(
  state: DocumentState,
  firstSeq: number,
  summaries: readonly ConnectionSummaryMessage[],
): SequencedEvent<LifecycleEvent>[] {
  const missed: SequencedEvent<LifecycleEvent>[] = [];
  for (const summary of summaries) {
    for (const sequenced of summary.events) {
      if (sequenced.seq >= state.nextSeq && sequenced.seq < firstSeq) missed.push(sequenced);
    }
  }
  return missed.sort((a, b) => a.seq - b.seq);
}
