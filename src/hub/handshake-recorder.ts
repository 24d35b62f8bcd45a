import type { Handshake, HandshakeHeader } from '../protocol/handshake';

/** The part of a webRequest event's details a handshake is built from. */
export interface WebRequestDetails {
  requestId: string;
  tabId: number;
  frameId: number;
  documentId?: string;
  url: string;
  timeStamp: number;
  requestHeaders?: { name: string; value?: string; binaryValue?: number[] }[];
  responseHeaders?: { name: string; value?: string; binaryValue?: number[] }[];
  statusCode?: number;
  statusLine?: string;
  error?: string;
}

export type WebRequestStage = 'start' | 'send' | 'response' | 'complete' | 'error';

/** How many handshakes a tab keeps (the oldest go first): a page reconnecting in a loop. */
export const HANDSHAKES_PER_TAB = 1000;

/**
 * Builds each tab's WebSocket handshakes from webRequest events, and reports every change, so
 * that the hub can pass it on to the tab's panels. Requests of no tab (the extension's own, or a
 * service worker's: tabId -1) are not kept.
 */
export class HandshakeRecorder {
  private readonly tabs = new Map<number, Map<string, Handshake>>();

  constructor(private readonly onChange: (tabId: number, handshake: Handshake) => void) {}

  record(stage: WebRequestStage, details: WebRequestDetails): void {
    if (details.tabId < 0) return;
    let tab = this.tabs.get(details.tabId);
    if (!tab) {
      tab = new Map();
      this.tabs.set(details.tabId, tab);
    }
    let handshake = tab.get(details.requestId);
    if (!handshake) {
      handshake = {
        requestId: details.requestId,
        frameId: details.frameId,
        url: details.url,
        startedAt: details.timeStamp,
      };
      if (details.documentId) handshake.documentId = details.documentId;
      tab.set(details.requestId, handshake);
      if (tab.size > HANDSHAKES_PER_TAB) tab.delete(tab.keys().next().value!);
    }
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
    this.onChange(details.tabId, handshake);
  }

  handshakesOf(tabId: number): Handshake[] {
    return [...(this.tabs.get(tabId)?.values() ?? [])];
  }

  forgetTab(tabId: number): void {
    this.tabs.delete(tabId);
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
