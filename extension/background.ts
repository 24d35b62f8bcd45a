/** Background (service worker in Chrome, event page in Firefox): routes ports per tab. */
import browser from '../src/browser';
import {
  HandshakeRecorder,
  type WebRequestDetails,
  type WebRequestStage,
} from '../src/hub/handshake-recorder';
import type { HubPort } from '../src/hub/hub-port';
import { TabHub } from '../src/hub/tab-hub';

const handshakes = new HandshakeRecorder((tabId, handshake) =>
  hub.handshakeChanged(tabId, handshake),
);
const hub = new TabHub(browser.runtime.getURL(''), (tabId) => handshakes.handshakesOf(tabId));
browser.runtime.onConnect.addListener((port) => hub.connect(port as HubPort<unknown, unknown>));
browser.tabs.onRemoved.addListener((tabId) => handshakes.forgetTab(tabId));

// Handshakes, as the browser reports them (listeners at the top level, so that a handshake wakes
// a background the browser had stopped). Chrome shows the Origin and Cookie headers only with
// "extraHeaders", an option Firefox refuses.
const filter = { urls: ['ws://*/*', 'wss://*/*'], types: ['websocket' as const] };
const extraHeaders = Object.values(
  (browser.webRequest as unknown as { OnSendHeadersOptions?: Record<string, string> })
    .OnSendHeadersOptions ?? {},
).includes('extraHeaders');
const withExtra = <T extends string>(option: T): T[] =>
  extraHeaders ? [option, 'extraHeaders' as T] : [option];
const recordAs = (stage: WebRequestStage) => (details: unknown) =>
  handshakes.record(stage, details as WebRequestDetails);

browser.webRequest.onBeforeRequest.addListener(recordAs('start'), filter);
browser.webRequest.onSendHeaders.addListener(recordAs('send'), filter, withExtra('requestHeaders'));
browser.webRequest.onHeadersReceived.addListener(
  recordAs('response'),
  filter,
  withExtra('responseHeaders'),
);
browser.webRequest.onCompleted.addListener(
  recordAs('complete'),
  filter,
  withExtra('responseHeaders'),
);
browser.webRequest.onErrorOccurred.addListener(recordAs('error'), filter);
