/**
 * Events the page hook records, as they travel from the page (MAIN world) to the relay.
 * Binary payloads travel as ArrayBuffer or Blob here (structured clone over a MessagePort);
 * the relay turns them into {@link WirePayload} before they leave the page's process.
 */

import type { ConnectionId } from './connection-id';
import type { CommandResult, PageCommand } from './page-commands';
import type { HookRule, RuleEffect } from './socket-rules';

export type { ConnectionId };

/** Epoch milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now()). */
export type EpochMs = number;

/** What the hook saw of a payload: the bytes or text, before encoding for the extension. */
export type PagePayload =
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: ArrayBuffer; originalSize: number }
  | { kind: 'blob'; blob: Blob };

/**
 * Who a frame comes from: the page's own traffic, or a user's command (replayed, edited,
 * composed, delivered). `dropped` marks a frame intercept held and the user dropped: it never
 * reached the server (outgoing) or the page (incoming).
 */
export const FRAME_ORIGINS = [
  'page',
  'replayed',
  'edited',
  'composed',
  'delivered',
  'dropped',
  // Rules (socket-rules.ts): a reply a rule delivered, a frame it rewrote, one it delayed.
  'mocked',
  'rewritten',
  'delayed',
] as const;

export type FrameOrigin = (typeof FRAME_ORIGINS)[number];

export function isFrameOrigin(value: unknown): value is FrameOrigin {
  for (let i = 0; i < FRAME_ORIGINS.length; i++) if (FRAME_ORIGINS[i] === value) return true;
  return false;
}

export type ReadyState = 0 | 1 | 2 | 3;

export type CloseInitiator = 'client' | 'server' | 'unknown';

export interface CreatedEvent {
  type: 'created';
  id: ConnectionId;
  time: EpochMs;
  /** The URL argument as the page gave it (stringified). */
  requestedUrl: string;
  /** The URL as the browser resolved it (`ws.url`). */
  url: string;
  protocols: string[];
  /**
   * The page's stack at `new WebSocket()`, as the browser formats it (capture/stack-capture.ts);
   * '' or absent where none was taken (the page customises stack formatting, or the panel
   * opened it). The hook always writes the field: its event literals have every field present.
   */
  initiator?: string;
}

export interface OpenedEvent {
  type: 'opened';
  id: ConnectionId;
  time: EpochMs;
  protocol: string;
  extensions: string;
}

export interface SentEvent {
  type: 'sent';
  id: ConnectionId;
  time: EpochMs;
  payload: PagePayload;
  /** readyState when send() was called: frames sent while CLOSING/CLOSED never reach the server. */
  readyState: ReadyState;
  bufferedAmount: number;
  origin: FrameOrigin;
}

export interface ReceivedEvent {
  type: 'received';
  id: ConnectionId;
  time: EpochMs;
  payload: PagePayload;
  origin: FrameOrigin;
}

/**
 * The page's stack at a `send()` (capture/stack-capture.ts), recorded only while the setting
 * asks for it, just before the frame that send recorded: the panel gives it to that frame.
 */
export interface SendStackEvent {
  type: 'send-stack';
  id: ConnectionId;
  time: EpochMs;
  stack: string;
}

/**
 * A rule (socket-rules.ts) touches the connection's next frame (recorded just after this), or
 * ends the connection (`closed by rule`, `failed by rule`: its next error and close).
 */
export interface RuleMarkEvent {
  type: 'rule-mark';
  id: ConnectionId;
  time: EpochMs;
  rule: string;
  effect: RuleEffect;
}

export interface ErrorEvent {
  type: 'error';
  id: ConnectionId;
  time: EpochMs;
}

/** The page called close(code?, reason?), or the user did from the panel: the socket goes to CLOSING. */
export interface CloseRequestedEvent {
  type: 'close-requested';
  id: ConnectionId;
  time: EpochMs;
  code: number | null;
  reason: string;
  byUser: boolean;
}

/** Intercept holds a frame before the server (outgoing) or the page (incoming) sees it. */
export interface HeldEvent {
  type: 'held';
  id: ConnectionId;
  time: EpochMs;
  heldId: number;
  direction: 'outgoing' | 'incoming';
  payload: PagePayload;
}

/** A held frame went on its way (forwarded, edited) or was dropped. */
export interface ReleasedEvent {
  type: 'released';
  id: ConnectionId;
  time: EpochMs;
  heldId: number;
  action: 'forwarded' | 'edited' | 'dropped';
}

export interface ClosedEvent {
  type: 'closed';
  id: ConnectionId;
  time: EpochMs;
  code: number;
  reason: string;
  wasClean: boolean;
  initiator: CloseInitiator;
}

export type CaptureEvent =
  | CreatedEvent
  | OpenedEvent
  | SentEvent
  | ReceivedEvent
  | SendStackEvent
  | RuleMarkEvent
  | ErrorEvent
  | CloseRequestedEvent
  | ClosedEvent
  | HeldEvent
  | ReleasedEvent;

export type CaptureEventType = CaptureEvent['type'];

/**
 * One post from the hook to the relay: consecutive events of the document's sequence, starting
 * at `firstSeq`, for the relay's subscription `subscription` (older subscriptions' posts are
 * stale). `lost` counts the events asked for that the hook's bounded log had already dropped.
 * `records` are flat records (event-records.ts) whose values are the page's own: a text
 * payload's string, a {@link PagePayload} for binary, or the {@link CaptureEvent}.
 */
export interface HookBatch {
  subscription: number;
  firstSeq: number;
  lost: number;
  records: unknown[];
  /**
   * Only on a batch with `lost` > 0: what the hook still knows of the connections whose events
   * the log dropped ({@link ConnectionSummary}), so that the panel lists them anyway.
   */
  connections?: ConnectionSummary[];
}

/** The events that make up a connection's life, as opposed to its frames and intercept holds. */
export type LifecycleEvent =
  | CreatedEvent
  | OpenedEvent
  | ErrorEvent
  | CloseRequestedEvent
  | ClosedEvent;

/**
 * What the hook keeps of a connection apart from the frame log, so that frame traffic never
 * evicts it: its lifecycle events with their sequence numbers, and how many of its frames the
 * log has dropped since the document loaded. Sent ahead of a backlog that lost events.
 */
export interface ConnectionSummary {
  id: ConnectionId;
  /** Lifecycle events of the lost stretch, oldest first, each after its sequence number. */
  events: Array<number | LifecycleEvent>;
  droppedFrames: number;
}

/**
 * How the hook and the relay find each other at document_start, when no page script has run:
 * the hook appends a comment with this text as the document's last child, and the relay (at
 * once, or when its observer sees it) takes it out of the document. From then on the comment is
 * a node no page script can reach, and events dispatched on it reach no page listener (its event
 * path is the node alone, never the window or the document): the relay says it is ready, the
 * hook answers with its private port, and every later hand-over travels there too.
 */
export const CHANNEL_MARK = 'sockscope-channel';
/** On the channel node: the relay listens and is ready for the port (a plain Event). */
export const RELAY_READY_EVENT = 'relay-ready';
/** On the channel node: a MessageEvent carrying the hook's private port. */
export const HOOK_PORT_EVENT = 'hook-port';
/** On the channel node: a CustomEvent whose detail is a batch handed over in place. */
export const HAND_OVER_EVENT = 'hand-over';

/** Messages from the relay to the hook, on the private channel. */
export type RelayToHook =
  | {
      type: 'settings';
      payloadCap: number;
      backlogEvents: number;
      backlogBytes: number;
      forwardDelayMs: number;
      /** Record the page's stack at every send() (a SendStackEvent before each frame). */
      sendStacks: boolean;
    }
  /** A panel listens: post the log from `fromSeq`, then every new event, tagged `subscription`. */
  | { type: 'subscribe'; subscription: number; fromSeq: number }
  | { type: 'unsubscribe' }
  /**
   * Before any subscription: hand batches to the relay as the `detail` of an event dispatched on
   * the channel's node (HAND_OVER_EVENT), read during the dispatch, instead of posting them.
   * With `always` (Firefox), every batch: Firefox's content script reads the page's objects in
   * place, so a batch is neither cloned twice nor carried through the parent process (which a
   * MessagePort does there, even within one page). Otherwise (Chrome) only the last batches, as
   * the document goes away: a port message posted then is never delivered, since the document
   * is gone before the relay's task runs.
   */
  | { type: 'hand-over'; always: boolean }
  /**
   * The relay has read this subscription's posts up to `endSeq` (exclusive). Posts still in
   * flight when the document goes away are handed over again, from there.
   */
  | { type: 'received'; subscription: number; endSeq: number }
  | { type: 'command'; commandId: number; command: PageCommand }
  /** The enabled rules, compiled (sent as soon as the relay read them, and on every change). */
  | { type: 'rules'; rules: HookRule[] };

/** The hook's answer to a command, on the private channel (events travel as batches). */
export interface HookCommandResult {
  result: CommandResult;
}
