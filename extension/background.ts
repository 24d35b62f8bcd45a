/** Background (service worker in Chrome, event page in Firefox): routes ports per tab. */
import browser from '../src/browser';
import { type BlockingRule, blockingRules } from '../src/hub/handshake-blocking';
import { HandshakeRecorder, type WebRequestDetails } from '../src/hub/handshake-recorder';
import type { HubPort } from '../src/hub/hub-port';
import { TabHub } from '../src/hub/tab-hub';
import type { Handshake } from '../src/protocol/handshake';
import { RULES_STORAGE_KEY } from '../src/protocol/socket-rules';
import { rulesFromStorage } from '../src/rules/rules-storage';

const handshakes = new HandshakeRecorder((tabId, handshake) =>
  hub.handshakeChanged(tabId, handshake),
);
const hub: TabHub = new TabHub(
  browser.runtime.getURL(''),
  (tabId): Handshake[] => handshakes.handshakesOf(tabId, hub.pageOriginOf(tabId)),
  (present) => (present ? watchHandshakes() : unwatchHandshakes()),
);
browser.runtime.onConnect.addListener((port) => hub.connect(port as HubPort<unknown, unknown>));
browser.tabs.onRemoved.addListener((tabId) => handshakes.forgetTab(tabId));

// Handshakes, as the browser reports them, only while a Sockscope panel is open: while any
// extension listens to WebSocket requests, Chrome routes every WebSocket of every page through a
// proxy in the browser process (measured: `new WebSocket()` + `close()` ~100-160 µs slower per
// socket in Chromium on two cores). With no panel open the page pays nothing for it; a socket
// opened before the panel has no handshake to show. Chrome reports the Origin and Cookie
// headers only with "extraHeaders" (no cost beyond the proxy's, measured), which Firefox refuses.
const filter = { urls: ['ws://*/*', 'wss://*/*'], types: ['websocket' as const] };
const extraHeaders = Object.values(
  (browser.webRequest as unknown as { OnSendHeadersOptions?: Record<string, string> })
    .OnSendHeadersOptions ?? {},
).includes('extraHeaders');
const withExtra = <T extends string>(option: T): T[] =>
  extraHeaders ? [option, 'extraHeaders' as T] : [option];
const onSend = (details: unknown) => handshakes.record('send', details as WebRequestDetails);
const onResponse = (details: unknown) =>
  handshakes.record('response', details as WebRequestDetails);
const onComplete = (details: unknown) =>
  handshakes.record('complete', details as WebRequestDetails);
const onError = (details: unknown) => handshakes.record('error', details as WebRequestDetails);

function watchHandshakes(): void {
  if (browser.webRequest.onSendHeaders.hasListener(onSend)) return;
  browser.webRequest.onSendHeaders.addListener(onSend, filter, withExtra('requestHeaders'));
  // Firefox reports a refused upgrade (a 403) here, then as an error, never as completed.
  browser.webRequest.onHeadersReceived.addListener(
    onResponse,
    filter,
    withExtra('responseHeaders'),
  );
  browser.webRequest.onCompleted.addListener(onComplete, filter, withExtra('responseHeaders'));
  browser.webRequest.onErrorOccurred.addListener(onError, filter);
}

function unwatchHandshakes(): void {
  browser.webRequest.onSendHeaders.removeListener(onSend);
  browser.webRequest.onHeadersReceived.removeListener(onResponse);
  browser.webRequest.onCompleted.removeListener(onComplete);
  browser.webRequest.onErrorOccurred.removeListener(onError);
}

// Mocked endpoints and handshakes a fail rule refuses never reach the network
// (src/hub/handshake-blocking.ts): session rules block them, kept in step with the stored rules.
type SessionRules = {
  getSessionRules(): Promise<Array<{ id: number }>>;
  updateSessionRules(update: { removeRuleIds: number[]; addRules: BlockingRule[] }): Promise<void>;
};
const sessionRules = (browser as unknown as { declarativeNetRequest?: SessionRules })
  .declarativeNetRequest;

async function blockHandshakes(stored: unknown): Promise<void> {
  if (!sessionRules) return;
  const existing = await sessionRules.getSessionRules();
  await sessionRules.updateSessionRules({
    removeRuleIds: existing.map((rule) => rule.id),
    addRules: blockingRules(rulesFromStorage(stored)),
  });
}

/** One update at a time: two interleaved would remove and add the same rule ids. */
let blocking = Promise.resolve();
function keepBlocking(read: () => Promise<unknown>): void {
  blocking = blocking
    .then(read)
    .then(blockHandshakes)
    .catch(() => undefined);
}
keepBlocking(async () => (await browser.storage.local.get(RULES_STORAGE_KEY))[RULES_STORAGE_KEY]);
browser.storage.onChanged.addListener((changes, area) => {
  const change = area === 'local' ? changes[RULES_STORAGE_KEY] : undefined;
  if (change) keepBlocking(async () => change.newValue);
});
