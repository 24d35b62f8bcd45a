/**
 * The HAR 1.2 shape Sockscope writes: one entry per connection, in the form Chrome DevTools
 * exports (`_resourceType: "websocket"`, `_webSocketMessages`), plus `_`-prefixed fields for what
 * Chrome's shape lacks. Tools that follow Chrome ignore the extra fields.
 */
import type { CloseInitiator, FrameOrigin, ReadyState } from '../../protocol/capture-events';
import type { RuleEffect } from '../../protocol/socket-rules';
import type { ConnectionState, DirectionStats } from '../session-model';
import type { HarHandshakeExtras } from './har-handshake';
import type { HarInitiator } from './har-initiator';

/** One frame as Chrome writes it; `time` in epoch seconds, `data` base64 when opcode is 2. */
export interface HarWebSocketMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: 1 | 2;
  data: string;
  /** Byte length the page sent or received, when the payload cap kept less. */
  _originalSize?: number;
  /** Who caused the frame, when not the page itself: replayed, edited, composed, delivered, or
   * dropped (held by intercept and dropped: it never reached the server or the page). */
  _origin?: FrameOrigin;
  /** readyState when the page called send(), when not OPEN (such frames never left). */
  _readyState?: ReadyState;
  /** The payload's content was dropped by the panel's memory budget before export. */
  _payloadDropped?: true;
  /** The page's stack at send(), as the browser printed it (the send-stack setting). */
  _sentBy?: string;
  /** The rule that made, changed, delayed or dropped the frame, and how (socket-rules.ts). */
  _rule?: string;
  _ruleEffect?: RuleEffect;
}

export interface HarConnectionExtras {
  _sockscopeVersion: 1;
  _connectionId: number;
  _documentId: string;
  _frameId: number;
  _pageUrl: string;
  _requestedUrl: string;
  _requestedProtocols: string[];
  _selectedProtocol: string;
  _extensions: string;
  _state: ConnectionState;
  /** Exact epoch milliseconds (startedDateTime has only milliseconds). */
  _createdAt: number;
  _openedAt?: number;
  _closedAt?: number;
  /** The `close()` call; `byUser` when the user closed it from the panel. */
  _closeRequest?: { time: number; code: number | null; reason: string; byUser?: boolean };
  _close?: { code: number; reason: string; wasClean: boolean; initiator: CloseInitiator };
  /** A rule closed or failed the connection. */
  _endedByRule?: { name: string; effect: RuleEffect };
  /** The mock rule that answered the connection (it never reached the network). */
  _mockedBy?: string;
  /** Epoch ms of each error event. */
  _errors: number[];
  /** The protocol decoder the panel read this connection with (src/decoders/registry.ts). */
  _decoder?: string;
  _peakBufferedAmount: number;
  _sent: DirectionStats;
  _received: DirectionStats;
}

export interface HarEntry extends HarConnectionExtras {
  _resourceType: 'websocket';
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: 'GET';
    url: string;
    httpVersion: string;
    headers: Array<{ name: string; value: string }>;
    queryString: Array<{ name: string; value: string }>;
    cookies: [];
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    headers: Array<{ name: string; value: string }>;
    cookies: [];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: {
    blocked: number;
    dns: number;
    connect: number;
    send: number;
    wait: number;
    receive: number;
    ssl: number;
  };
  _webSocketMessages: HarWebSocketMessage[];
  /** The handshake's times and error, where the browser reported it (har-handshake.ts). */
  _handshake?: HarHandshakeExtras;
  /** Where the page opened it, in Chrome's shape (har-initiator.ts). */
  _initiator?: HarInitiator;
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad: number; onLoad: number };
}

export interface HarLog {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: HarPage[];
    entries: HarEntry[];
  };
}

export const HAR_CREATOR = { name: 'Sockscope', version: '0.1.0' };
