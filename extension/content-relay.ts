/**
 * Isolated-world content script, `document_start`, every frame: the only bridge between the
 * page hook and the extension. Takes the hook's private port; while a panel listens, subscribes
 * to the hook's log, validates what arrives, and forwards it to the background over a runtime
 * port that reconnects.
 */
import browser, { type Runtime } from '../src/browser';
import type { RelayToHook } from '../src/protocol/capture-events';
import { HAND_OVER_EVENT } from '../src/protocol/capture-events';
import { DEFAULT_LIMITS, LIMITS_STORAGE_KEY, limitsFromStorage } from '../src/protocol/limits';
import {
  type BackgroundToRelay,
  DATA_PORT,
  type PanelToRelay,
  RELAY_PORT,
  type RelayToBackground,
  type RelayToPanel,
} from '../src/protocol/port-messages';
import { awaitHookPort } from '../src/relay/channel-rendezvous';
import { RelayCore } from '../src/relay/relay-core';

let runtimePort: Runtime.Port | undefined;
let waitTimer: ReturnType<typeof setTimeout> | undefined;
/** How long a new subscription waits for its panel's data port before going without it. */
const DATA_PORT_WAIT_MS = 500;
let hookPort: MessagePort | undefined;
/** What the relay told the hook before its port arrived (it arrives at document_start). */
const waitingForHook: RelayToHook[] = [];

const relay = new RelayCore(
  { documentId: randomId(), url: location.href, startedAt: Date.now() },
  DEFAULT_LIMITS,
  (message: RelayToBackground) => runtimePort?.postMessage(message),
  (message: RelayToHook) => {
    if (hookPort) hookPort.postMessage(message);
    else waitingForHook.push(message);
  },
);

/**
 * The hook hands batches over in place (see the `hand-over` message) as the detail of an event on
 * the channel's node: in Firefox every batch (its content script reads the page's objects in
 * place); in Chrome, whose isolated world gets a copy of the detail, only the last ones as the
 * document goes away. Otherwise batches come through the private port.
 */
const handOverAlways = hasXrays(window);
relay.acknowledgeBatches = !handOverAlways;
waitingForHook.push({ type: 'hand-over', always: handOverAlways });

// The hook's private port comes on a node only the hook and this relay hold (see CHANNEL_MARK),
// never on window: no page script sees it, and none can offer a port of its own.
awaitHookPort(document, (port, node) => {
  hookPort = port;
  hookPort.onmessage = (message) => relay.receiveFromPage(withoutXrays(message.data));
  node.addEventListener(HAND_OVER_EVENT, (event: Event) => {
    // `detail` read through the browser's own getter (Firefox's Xray view of the event; Chrome's
    // isolated world has its own), never one the page put on CustomEvent.prototype.
    relay.receiveFromPage(withoutXrays((event as CustomEvent).detail));
  });
  for (const message of waitingForHook.splice(0)) hookPort.postMessage(message);
});

// User-set limits, from extension storage; they apply to this document as soon as they are read
// and whenever they change.
function applyLimits(stored: unknown): void {
  relay.setLimits(limitsFromStorage(stored));
}

browser.storage.local
  .get(LIMITS_STORAGE_KEY)
  .then((stored) => applyLimits(stored[LIMITS_STORAGE_KEY]))
  .catch(() => undefined);
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes[LIMITS_STORAGE_KEY])
    applyLimits(changes[LIMITS_STORAGE_KEY].newValue);
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
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function connect(): void {
  let port: Runtime.Port;
  try {
    port = browser.runtime.connect({ name: RELAY_PORT });
  } catch {
    return; // The extension was reloaded or removed: this document's relay is orphaned.
  }
  runtimePort = port;
  port.onMessage.addListener((message: unknown) => {
    const command = message as BackgroundToRelay;
    if (command.type === 'subscribe') {
      // The panel that asked opens a data port to this frame, unless it cannot (a browser may
      // give DevTools panels no tabs.connect): then events go through the background.
      relay.binaryAsBytes = ArrayBuffer.isView(command.cloneProbe);
      relay.subscribe(command.fromSeq, true);
      clearTimeout(waitTimer);
      waitTimer = setTimeout(() => relay.stopWaiting(), DATA_PORT_WAIT_MS);
    } else if (command.type === 'unsubscribe') relay.unsubscribe();
    else if (command.type === 'command') {
      const message: RelayToHook = {
        type: 'command',
        commandId: command.commandId,
        command: command.command,
      };
      if (hookPort) hookPort.postMessage(message);
      else {
        port.postMessage({
          type: 'command-result',
          result: {
            commandId: command.commandId,
            ok: false,
            error: 'Sockscope is not running in this page.',
          },
        } satisfies RelayToBackground);
      }
    }
  });
  port.onDisconnect.addListener(() => {
    runtimePort = undefined;
    relay.unsubscribe();
    // The background restarted (or the extension went away): reconnect; buffered events wait.
    setTimeout(connect, 50);
  });
  port.postMessage(relay.hello());
}

// A panel's direct port for events (see DATA_PORT). Only the extension's own pages can connect
// to a content script; the browser sets the sender.
browser.runtime.onConnect.addListener((port) => {
  if (port.name !== DATA_PORT || port.sender?.id !== browser.runtime.id) return;
  const send = (message: RelayToPanel) => port.postMessage(message);
  port.onMessage.addListener((message: unknown) => {
    const answer = message as PanelToRelay;
    if (answer?.type !== 'accept' || !Number.isSafeInteger(answer.cursor)) return;
    clearTimeout(waitTimer);
    relay.dataPortAccepted(send, Math.max(0, answer.cursor));
  });
  port.onDisconnect.addListener(() => relay.dataPortClosed(send));
  send({ type: 'data-hello', documentId: relay.document.documentId });
});

connect();
