/**
 * Isolated-world content script, `document_start`, every frame: the only bridge between the
 * page hook and the extension. Wires the browser's ports and the hook's channel to the relay
 * (src/relay/relay-router.ts), which subscribes to the hook's log while a panel listens,
 * validates what arrives, and forwards it.
 */
import browser from '../src/browser';
import { HAND_OVER_EVENT } from '../src/protocol/capture-events';
import { DEFAULT_LIMITS, LIMITS_STORAGE_KEY, limitsFromStorage } from '../src/protocol/limits';
import { RELAY_PORT } from '../src/protocol/port-messages';
import { RULES_STORAGE_KEY } from '../src/protocol/socket-rules';
import { awaitHookPort } from '../src/relay/channel-rendezvous';
import { RelayRouter } from '../src/relay/relay-router';
import { hookRulesOf } from '../src/rules/compile-rule';
import { rulesFromStorage } from '../src/rules/rules-storage';

/** Random bytes in a document id. */
const DOCUMENT_ID_BYTES = 16;

const relay = new RelayRouter({
  document: { documentId: randomId(), url: location.href, startedAt: Date.now() },
  limits: DEFAULT_LIMITS,
  // In Firefox every batch is handed over in place: its content script reads the page's objects
  // there. Chrome's isolated world gets a copy of an event's detail, so batches come on the port.
  handOverAlways: hasXrays(window),
  extensionId: browser.runtime.id,
  connectBackground: () => browser.runtime.connect({ name: RELAY_PORT }),
});

// The hook's private port comes on a node only the hook and this relay hold (see CHANNEL_MARK),
// never on window: no page script sees it, and none can offer a port of its own.
awaitHookPort(document, (port, node) => {
  port.onmessage = (message) => relay.fromHook(withoutXrays(message.data));
  node.addEventListener(HAND_OVER_EVENT, (event: Event) => {
    // `detail` read through the browser's own getter (Firefox's Xray view of the event; Chrome's
    // isolated world has its own), never one the page put on CustomEvent.prototype.
    relay.fromHook(withoutXrays((event as CustomEvent).detail));
  });
  relay.hookConnected(port);
});

// User-set limits, from extension storage; they apply to this document as soon as they are read
// and whenever they change.
function applyLimits(stored: unknown): void {
  relay.core.setLimits(limitsFromStorage(stored));
}

// The user's rules (socket-rules.ts), compiled, likewise: the hook applies them in the page.
function applyRules(stored: unknown): void {
  relay.core.setRules(hookRulesOf(rulesFromStorage(stored)));
}

browser.storage.local
  .get([LIMITS_STORAGE_KEY, RULES_STORAGE_KEY])
  .then((stored) => {
    applyRules(stored[RULES_STORAGE_KEY]);
    applyLimits(stored[LIMITS_STORAGE_KEY]);
  })
  .catch(() => undefined);
browser.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local') return;
  if (changes[LIMITS_STORAGE_KEY]) applyLimits(changes[LIMITS_STORAGE_KEY].newValue);
  if (changes[RULES_STORAGE_KEY]) applyRules(changes[RULES_STORAGE_KEY].newValue);
});

/**
 * Firefox hands a content script the page's objects behind Xray wrappers, which make every
 * element read slow; the relay reads a batch without them (`wrappedJSObject`). What it reads is
 * still only data (a structured clone only the hook could post) and is checked as before.
 * Chrome's isolated world gets its own copy already.
 */
function withoutXrays(data: unknown): unknown {
  return (data as { wrappedJSObject?: unknown } | null)?.wrappedJSObject ?? data;
}

function hasXrays(value: object): boolean {
  return typeof (value as { wrappedJSObject?: unknown }).wrappedJSObject === 'object';
}

/** A random id; crypto.randomUUID is missing in some windows (an http://localhost popup). */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(DOCUMENT_ID_BYTES));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// A panel's direct port for events. Only the extension's own pages can connect to a content script.
browser.runtime.onConnect.addListener((port) => relay.portOpened(port));

relay.connectBackground();
