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
  /**
   * Set for a handshake of no tab: a shared or service worker's, of this origin (the browser's
   * initiator). Shown in the panels of tabs whose page has that origin; never joined to a hook's
   * connection.
   */
  workerOrigin?: string;
  /**
   * Firefox: the URL of the document or worker that made the request (webRequest's `originUrl`).
   * For a shared or service worker's socket, the worker's script; for a dedicated worker's, the
   * page that started the worker (Firefox names no dedicated worker's script: measured in
   * Firefox ESR 153). Chrome gives only an origin (`initiator`), not kept here.
   */
  originUrl?: string;
  /**
   * Firefox: the URL of the document the request belongs to (webRequest's `documentUrl`): a
   * shared or service worker's script for their sockets, else the page or frame.
   */
  documentUrl?: string;
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
