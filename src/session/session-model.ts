import type { DecodeOutcome } from '../decoders/decoder';
import type { CloseInitiator, FrameOrigin, ReadyState } from '../protocol/capture-events';
import type { Handshake } from '../protocol/handshake';
import type { FrameDocument } from '../protocol/port-messages';
import type { RuleEffect } from '../protocol/socket-rules';
import type { ConnectionLabel } from './connection-labels';
import type { StackFrame } from './stack-frames';

/** Browsers number a tab's top-level document's frame 0. */
export const TOP_FRAME_ID = 0;

/**
 * A connection's key in a session: the hook numbers connections per document, so the document id
 * makes it unique.
 */
export function connectionKey(documentId: string, id: number): string {
  return `${documentId}#${id}`;
}

/** Where and when a connection began: what {@link newConnection} needs. */
export type ConnectionStart = Pick<
  Connection,
  'documentId' | 'id' | 'frameId' | 'pageUrl' | 'requestedUrl' | 'url' | 'protocols' | 'createdAt'
>;

/** A connection that has just begun: connecting, nothing sent or received. */
export function newConnection(start: ConnectionStart): Connection {
  return {
    key: connectionKey(start.documentId, start.id),
    ...start,
    protocol: '',
    extensions: '',
    state: 'connecting',
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
  };
}

/** A held frame's key in a session: the hook numbers held frames per document. */
export function heldFrameKey(documentId: string, heldId: number): string {
  return `${documentId}#${heldId}`;
}

/**
 * A frame's payload as the panel keeps it: text as its string, binary as its bytes, whichever
 * way it travelled (bytes over ports that clone, base64 over JSON ports, decoded once on
 * arrival: frame-payload.ts). `size` is the byte length kept; `originalSize` the byte length the
 * page sent or received (larger when the payload cap cut it).
 */
export type FramePayload = TextPayload | BinaryPayload;

export interface TextPayload {
  kind: 'text';
  text: string;
  size: number;
  originalSize: number;
}

/**
 * Bytes as a Uint8Array: what the hex dump, the text decoder, search and base64 encoding read,
 * and a view over a whole buffer that arrived as an ArrayBuffer costs no copy.
 */
export interface BinaryPayload {
  kind: 'binary';
  bytes: Uint8Array;
  size: number;
  originalSize: number;
  /**
   * Data that came as base64 but does not decode (only a faulty relay sends it): kept as it came
   * so the panel can show it, with no bytes.
   */
  undecodable?: string;
  /** Its searched bytes as filters see them (searchable-text.ts), once a filter has asked. */
  searchedHex?: string;
}

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed' | 'failed';

export interface DirectionStats {
  count: number;
  bytes: number;
}

export interface Connection {
  /** Unique in the session: {@link connectionKey} of its document and the hook's id. */
  key: string;
  documentId: string;
  id: number;
  frameId: number;
  pageUrl: string;
  requestedUrl: string;
  url: string;
  protocols: string[];
  protocol: string;
  extensions: string;
  state: ConnectionState;
  createdAt: number;
  openedAt?: number;
  closedAt?: number;
  closeRequest?: { code: number | null; reason: string; time: number; byUser?: boolean };
  close?: { code: number; reason: string; wasClean: boolean; initiator: CloseInitiator };
  errors: number;
  sent: DirectionStats;
  received: DirectionStats;
  peakBufferedAmount: number;
  /**
   * Frames the page hook's backlog dropped before this panel saw them (a panel opened late on
   * a busy socket): the counters above count only what the panel received.
   */
  droppedFrames?: number;
  /** Frames of this connection the panel has taken in, or learned were dropped (never reset). */
  framesSeen?: number;
  /**
   * The handshake response of an imported HAR entry, when it is not what `openedAt` implies
   * (Chrome's files say 101 but carry no `_openedAt`): exported again as the file said it.
   */
  harResponse?: { status: number; statusText: string };
  /**
   * Its handshake as the browser reported it (webRequest, joined by handshake-join.ts), or as
   * an imported file gave it.
   */
  handshake?: Handshake;
  /** Where the page opened it: its stack at `new WebSocket()`, innermost call first. */
  initiator?: StackFrame[];
  /** The stack of the page's last send() (the setting's), until its frame takes it. */
  nextSendStack?: string;
  /** A rule touches the next frame (the hook marks it just before). */
  nextRuleMark?: FrameRule;
  /** A rule closed or failed it: its error and close frames are marked. */
  endedByRule?: FrameRule;
  /** The mock rule that answered it (it never reached the network). */
  mockedBy?: string;
  /**
   * Set for a connection only DevTools' network log shows (network-sockets.ts): a worker's
   * socket or a WebSocketStream. The script that opened it, or '' when the log does not say.
   */
  worker?: string;
  /**
   * Set for a connection only the browser's handshake report shows (handshake-only.ts): opened
   * where the page hook cannot see, with no DevTools log to read its frames from.
   */
  handshakeOnly?: true;
  /** Set for connections loaded from a HAR file: the file's name. */
  imported?: string;
  /** The decoder an imported file says the connection was read with (HAR `_decoder`). */
  decoder?: string;
  /**
   * How the panel names it, unique in the session (connection-labels.ts): set by the session
   * whenever its connections or documents change, since a label depends on the others.
   */
  label?: ConnectionLabel;
}

/** Which rule touched a frame, and how (socket-rules.ts). */
export interface FrameRule {
  name: string;
  effect: RuleEffect;
}

export type FrameKind = 'sent' | 'received' | 'error' | 'close-requested' | 'closed';

export interface Frame {
  /**
   * Position in the session's frame list, which is in time order: a late frame placed before
   * others shifts them, and their index with them (frame-log.ts).
   */
  index: number;
  connectionKey: string;
  kind: FrameKind;
  time: number;
  payload?: FramePayload;
  origin?: FrameOrigin;
  /** For sends: the readyState when the page called send(). */
  readyState?: ReadyState;
  code?: number | null;
  reason?: string;
  /** The payload's content was dropped to stay within the panel's memory budget. */
  payloadEvicted?: boolean;
  /** For sends, while the setting asks: the page's stack at send() (parsed when shown). */
  sentBy?: string;
  /** The rule that made, changed, delayed, dropped or ended it. */
  rule?: FrameRule;
  /**
   * Its decoded form, once the panel's decoding (protocol-decoding.ts) read it: kept on the frame,
   * since a filter over a million frames looked up in a WeakMap spent most of its time there.
   */
  decoded?: DecodeOutcome;
}

export interface DocumentState {
  info: FrameDocument;
  /** The next sequence number expected from this document's relay. */
  nextSeq: number;
  /** Events the relay's backlog dropped before this panel saw them. */
  lost: number;
  /** Malformed page messages the relay refused. */
  rejected: number;
  /** Events for a connection this panel does not know (one the user cleared, say). */
  unattributed?: number;
  /** Loaded from a file, not live: navigation never forgets it. */
  imported?: boolean;
}

/** A frame intercept holds until the user forwards, edits or drops it. */
export interface HeldFrame {
  /** Unique in the session: {@link heldFrameKey} of its document and the hook's held id. */
  key: string;
  documentId: string;
  heldId: number;
  connectionKey: string;
  direction: 'outgoing' | 'incoming';
  time: number;
  payload: FramePayload;
}
