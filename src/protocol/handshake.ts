/**
 * A WebSocket handshake as the browser's webRequest API reports it (background only): what the
 * page hook cannot see. Times are epoch milliseconds, as webRequest gives them.
 */
export interface HandshakeHeader {
  name: string;
  value: string;
}

export interface Handshake {
  /** webRequest's id: each update of one handshake carries the same. */
  requestId: string;
  frameId: number;
  /** The browser's id of the document that opened it, where the browser gives one. */
  documentId?: string;
  url: string;
  startedAt: number;
  /** The request headers as sent (Chrome leaves out the Sec-WebSocket-* ones it adds later). */
  requestHeaders?: HandshakeHeader[];
  sentAt?: number;
  /** The HTTP response: 101 for a socket that opened, anything else for a refused upgrade. */
  status?: number;
  statusLine?: string;
  responseHeaders?: HandshakeHeader[];
  respondedAt?: number;
  /** The browser's error for a handshake that failed before or without a response. */
  error?: string;
  endedAt?: number;
}
