import type { LifecycleEvent } from './capture-events';
import type { Handshake } from './handshake';
import type { SteppedRecords } from './microsecond-steps';
import type { PackedRecords } from './packed-records';
import type { CommandResult, PageCommand } from './page-commands';
import type { SequencedEvent } from './relay-events';

/** Port names: the background tells a relay from a panel by them. */
export const RELAY_PORT = 'sockscope-relay';
export const PANEL_PORT = 'sockscope-panel';
/**
 * A panel's direct port to the relay of one frame of its tab (`tabs.connect`), so that events,
 * the bulk of all traffic, skip the background, which would parse and re-serialize every
 * message. Where a panel cannot open one, events keep going through the background.
 */
export const DATA_PORT = 'sockscope-data';

/** Identifies one document's recorder: a frame can load many documents over time. */
export interface DocumentInfo {
  documentId: string;
  url: string;
  /** Epoch ms when the relay started in this document. */
  startedAt: number;
}

/** Where a panel has got to, per document: the next sequence number it expects. */
export type Cursors = Record<string, number>;

/** A document's events, as the relay sends them and the background passes them to panels. */
export interface EventsMessage {
  type: 'events';
  /** Set by the background from the port it came on; a relay's own value is not trusted. */
  documentId: string;
  /** The sequence number of the first record. */
  firstSeq: number;
  /**
   * The records (event-records.ts): with frame times stepped on JSON ports
   * (microsecond-steps.ts), packed on cloning ones (packed-records.ts), flat where neither fits.
   */
  records: unknown[] | SteppedRecords | PackedRecords;
  /** Events that the backlog dropped before the panel could see them (since the cursor). */
  lost: number;
  /** Page messages the relay refused as malformed, since the last report. */
  rejected: number;
  /**
   * With a batch that lost events: the connections the hook still knows whose events were
   * among them, so that the panel lists them and says how many of their frames are gone.
   */
  connections?: ConnectionSummaryMessage[];
}

/** A connection summary (capture-events.ts ConnectionSummary), checked by the relay. */
export interface ConnectionSummaryMessage {
  id: number;
  /** Lifecycle events of the stretch the reader missed, oldest first. */
  events: SequencedEvent<LifecycleEvent>[];
  /** Frames of this connection the hook's log has dropped since the document loaded. */
  droppedFrames: number;
}

/**
 * A piece of a long payload, sent just before the events message that holds the payload's record
 * (which says how many pieces it takes: event-records.ts, WIRE_PIECES). Chrome's extension
 * messaging costs the sending page's thread and the browser process two to three times as much
 * per byte for one message of a megabyte as for pieces of 64 KiB (measured: 10-14 against 5 ms
 * per MiB of base64 each). `index` counts the pieces that go before one events message.
 */
export interface PayloadPieceMessage {
  type: 'payload-piece';
  /** Set by the background from the port it came on, as for events. */
  documentId: string;
  index: number;
  data: string;
}

// ---- relay -> background -------------------------------------------------------------------

export type RelayToBackground =
  | { type: 'hello'; document: DocumentInfo }
  | EventsMessage
  | PayloadPieceMessage
  | { type: 'command-result'; result: CommandResult };

// ---- background -> relay -------------------------------------------------------------------

/**
 * `cloneProbe` tells the relay how the extension's ports serialize: it arrives as a typed array
 * only where they carry structured clones (Firefox), as a plain object where they carry JSON
 * (Chrome, whose opt-in to structured clones costs the page's thread more: see the README's
 * Performance). Binary payloads then travel as bytes rather than base64.
 */
export interface SubscribeMessage {
  type: 'subscribe';
  fromSeq: number;
  cloneProbe: Uint8Array;
}

export type BackgroundToRelay =
  | SubscribeMessage
  | { type: 'unsubscribe' }
  | { type: 'command'; commandId: number; command: PageCommand };

// ---- relay <-> panel, on a data port -------------------------------------------------------

export type RelayToPanel =
  | { type: 'data-hello'; documentId: string }
  | EventsMessage
  | PayloadPieceMessage
  | { type: 'command-result'; documentId: string; result: CommandResult };

/** The panel takes the port, and says from where it needs this document's events. */
export interface PanelToRelay {
  type: 'accept';
  cursor: number;
}

// ---- panel -> background -------------------------------------------------------------------

export type PanelToBackground =
  | { type: 'attach'; tabId: number; cursors: Cursors }
  /** A command for one document of the attached tab (the hub refuses any other). */
  | { type: 'command'; documentId: string; commandId: number; command: PageCommand };

// ---- background -> panel -------------------------------------------------------------------

export interface FrameDocument extends DocumentInfo {
  frameId: number;
}

export type BackgroundToPanel =
  | { type: 'document'; document: FrameDocument }
  /** A handshake of the panel's tab, new or updated (the same requestId replaces it). */
  | { type: 'handshake'; handshake: Handshake }
  | EventsMessage
  | PayloadPieceMessage
  | { type: 'command-result'; documentId: string; result: CommandResult };
