import type { Handshake, HandshakeHeader } from '../protocol/handshake';

/** The part of a webRequest event's details a handshake is built from. */
export interface WebRequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  documentId?: string;
  url: string;
  timeStamp: number;
  /** Chrome: the origin that made the request. */
  initiator?: string;
  /** Firefox: the URL of the document or worker that made it. */
  originUrl?: string;
  /** Firefox: the URL of the document it belongs to (a shared or service worker's script). */
  documentUrl?: string;
  requestHeaders?: { name: string; value?: string; binaryValue?: number[] }[];
  responseHeaders?: { name: string; value?: string; binaryValue?: number[] }[];
  statusCode?: number;
  statusLine?: string;
  error?: string;
}

export type WebRequestStage = 'start' | 'send' | 'response' | 'complete' | 'error';

/** How many handshakes a tab keeps (the oldest go first): a page reconnecting in a loop. */
export const HANDSHAKES_PER_TAB = 1000;

/** The tab id under which handshakes of no tab (shared and service workers') are reported. */
export const NO_TAB = -1;

/**
 * Builds each tab's WebSocket handshakes from webRequest events, and reports every change, so
 * that the hub can pass it on to the tab's panels. Requests of no tab (tabId -1: a shared or
 * service worker's) are kept apart, with the web origin that made them (the extension's own
 * requests have none and are not kept), and reported under NO_TAB.
 */
export class HandshakeRecorder {
  private readonly tabs = new Map<number, Map<string, Handshake>>();

  constructor(private readonly onChange: (tabId: number, handshake: Handshake) => void) {}

  record(stage: WebRequestStage, details: WebRequestDetails): void {
    let workerOrigin: string | undefined;
    if (details.tabId < 0) {
      workerOrigin = webOriginOf(details.initiator ?? details.originUrl);
      if (!workerOrigin) return;
    }
    const tabId = workerOrigin ? NO_TAB : details.tabId;
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = new Map();
      this.tabs.set(tabId, tab);
    }
    let handshake = tab.get(details.requestId);
    if (!handshake) {
      handshake = {
        requestId: details.requestId,
        frameId: details.frameId,
        url: details.url,
        startedAt: details.timeStamp,
      };
      if (workerOrigin) handshake.workerOrigin = workerOrigin;
      if (details.documentId) handshake.documentId = details.documentId;
      tab.set(details.requestId, handshake);
      if (tab.size > HANDSHAKES_PER_TAB) tab.delete(tab.keys().next().value!);
    }
    // Where Firefox says who made it: a shared or service worker's script URL, which its
    // handshake is the one report of. Every event of a request carries the same.
    if (details.originUrl) handshake.originUrl ??= details.originUrl;
    if (details.documentUrl) handshake.documentUrl ??= details.documentUrl;
    switch (stage) {
      case 'start':
        break;
      case 'send':
        if (details.requestHeaders) handshake.requestHeaders = headersOf(details.requestHeaders);
        handshake.sentAt = details.timeStamp;
        break;
      case 'response':
      case 'complete':
        if (details.statusCode !== undefined) handshake.status = details.statusCode;
        if (details.statusLine) handshake.statusLine = details.statusLine;
        if (details.responseHeaders) handshake.responseHeaders = headersOf(details.responseHeaders);
        handshake.respondedAt ??= details.timeStamp;
        if (stage === 'complete') handshake.endedAt = details.timeStamp;
        break;
      case 'error':
        handshake.error = details.error ?? 'unknown error';
        handshake.endedAt = details.timeStamp;
        break;
    }
    this.onChange(tabId, handshake);
  }

  /** A tab's handshakes, and those of no tab from `origin` (the tab's page's), if given. */
  handshakesOf(tabId: number, origin?: string): Handshake[] {
    const own = [...(this.tabs.get(tabId)?.values() ?? [])];
    if (!origin) return own;
    const workers = [...(this.tabs.get(NO_TAB)?.values() ?? [])];
    return [...own, ...workers.filter((handshake) => handshake.workerOrigin === origin)];
  }

  forgetTab(tabId: number): void {
    this.tabs.delete(tabId);
  }
}

/** An http(s) URL's or origin's origin; undefined for anything else (an extension's). */
export function webOriginOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol, origin } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? origin : undefined;
  } catch {
    return undefined;
  }
}

function headersOf(
  headers: { name: string; value?: string; binaryValue?: number[] }[],
): HandshakeHeader[] {
  return headers.map(({ name, value, binaryValue }) => ({
    name,
    value: value ?? String.fromCharCode(...(binaryValue ?? [])),
  }));
}
