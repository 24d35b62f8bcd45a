/**
 * The panel page: inside DevTools it inspects `devtools.inspectedWindow.tabId`; opened as a
 * standalone page (`panel.html?tabId=N`) it inspects tab N.
 */
import { render } from 'preact';
import browser from '../src/browser';
import { App } from '../src/panel/App';
import { type DataPort, PanelConnection, type PanelPort } from '../src/panel/panel-connection';
import { PanelState } from '../src/panel/panel-state';
import { RulesStore } from '../src/panel/rules/rules-store';
import { NetworkSockets } from '../src/session/network-sockets';
import '../src/panel/panel.css';
import { type DevToolsSearchMessage, devtoolsSearchChannel } from '../src/protocol/devtools-search';
import { LIMITS_STORAGE_KEY } from '../src/protocol/limits';
import { DATA_PORT, PANEL_PORT } from '../src/protocol/port-messages';

const devtools = browser.devtools as typeof browser.devtools | undefined;
const inDevTools = Boolean(devtools?.inspectedWindow);
const tabId = inDevTools
  ? devtools!.inspectedWindow.tabId
  : Number(new URLSearchParams(location.search).get('tabId'));

// Inside DevTools follow its theme; as a standalone page, the system's.
const dark = inDevTools
  ? devtools?.panels?.themeName === 'dark'
  : matchMedia('(prefers-color-scheme: dark)').matches;
if (dark) document.documentElement.classList.add('theme-dark');

/** Where the "hide frames matching" patterns are kept (extension storage, this computer only). */
const HIDE_PATTERNS_STORAGE_KEY = 'hidePatterns';
/** Where the panel's region sizes and folded sidebar are kept. */
const LAYOUT_STORAGE_KEY = 'panelLayout';
/** Where the frame table's columns (widths, hidden, sort) are kept. */
const COLUMNS_STORAGE_KEY = 'frameColumns';
/** Where the "Decode as" choices per URL pattern are kept. */
const DECODE_AS_STORAGE_KEY = 'decodeAs';
/** Where the protobuf schema and the message type per URL pattern are kept. */
const PROTO_SCHEMA_KEY = 'protoSchema';
const PROTO_MAPPINGS_KEY = 'protoMappings';

/** What DevTools' network log gives (a HAR log; its entries are checked where read). */
interface NetworkLog {
  entries?: unknown[];
}

/** How often DevTools' network log is read for sockets the hook cannot see, at most. */
const NETWORK_POLL_MS = 1000;
/** ... and reading it takes at most 1/this of the time... */
const NETWORK_POLL_DUTY = 50;
/**
 * ... but it is read at least this often: one slow read (DevTools still starting took over a
 * second, measured) must not put the next off for a minute.
 */
const NETWORK_POLL_MAX_MS = 5000;
/** A look at the log that has not answered after this long is left behind... */
const NETWORK_POLL_TIMEOUT_MS = 5000;
/** ... and no new one starts while this many are unanswered. */
const NETWORK_POLL_STUCK = 3;

const root = document.getElementById('root')!;
if (!Number.isSafeInteger(tabId) || tabId < 0) {
  root.textContent = 'No tab to inspect: open this page as panel.html?tabId=<tab id>.';
} else {
  const state = new PanelState({
    load: async () => (await browser.storage.local.get(LIMITS_STORAGE_KEY))[LIMITS_STORAGE_KEY],
    save: (limits) => browser.storage.local.set({ [LIMITS_STORAGE_KEY]: limits }),
    loadHidePatterns: async () =>
      (await browser.storage.local.get(HIDE_PATTERNS_STORAGE_KEY))[HIDE_PATTERNS_STORAGE_KEY],
    saveHidePatterns: (patterns) =>
      browser.storage.local.set({ [HIDE_PATTERNS_STORAGE_KEY]: patterns }),
    loadLayout: async () =>
      (await browser.storage.local.get(LAYOUT_STORAGE_KEY))[LAYOUT_STORAGE_KEY],
    saveLayout: (layout) => browser.storage.local.set({ [LAYOUT_STORAGE_KEY]: layout }),
    loadColumns: async () =>
      (await browser.storage.local.get(COLUMNS_STORAGE_KEY))[COLUMNS_STORAGE_KEY],
    saveColumns: (columns) => browser.storage.local.set({ [COLUMNS_STORAGE_KEY]: columns }),
    loadDecodeAs: async () =>
      (await browser.storage.local.get(DECODE_AS_STORAGE_KEY))[DECODE_AS_STORAGE_KEY],
    saveDecodeAs: (choices) => browser.storage.local.set({ [DECODE_AS_STORAGE_KEY]: choices }),
    loadProto: async () => {
      const stored = await browser.storage.local.get([PROTO_SCHEMA_KEY, PROTO_MAPPINGS_KEY]);
      return {
        schema: stored[PROTO_SCHEMA_KEY] ?? undefined,
        mappings: stored[PROTO_MAPPINGS_KEY],
      };
    },
    saveProto: ({ schema, mappings }) =>
      browser.storage.local.set({ [PROTO_SCHEMA_KEY]: schema, [PROTO_MAPPINGS_KEY]: mappings }),
  });
  void state.loadSettings();
  const connection = new PanelConnection(
    tabId,
    state.session,
    () => browser.runtime.connect({ name: PANEL_PORT }) as unknown as PanelPort,
    state.changed,
    (frameId) => browser.tabs.connect(tabId, { frameId, name: DATA_PORT }) as unknown as DataPort,
  );
  connection.start();
  state.runCommand = (documentId, command) => connection.command(documentId, command);
  // Chrome's DevTools open a script at a place; Firefox's extension API has no such call.
  const openResource = (
    devtools?.panels as
      | { openResource?: (url: string, line: number, column: number, done?: () => void) => void }
      | undefined
  )?.openResource;
  // Read in Chrome's DevTools only: measured there (a dedicated or service worker's socket and
  // its messages are in its log while DevTools is open, a shared worker's is not); Firefox's
  // toolbox is not, and the pop-out window has no log at all.
  // Chrome's own callback form: the promise webextension-polyfill passes on (it has no entry for
  // getHAR) was seen never to settle for a whole DevTools session, in about one run in five,
  // while the callback form answered in that same session.
  const network = (
    globalThis as {
      chrome?: { devtools?: { network?: { getHAR?(done: (log: NetworkLog) => void): void } } };
    }
  ).chrome?.devtools?.network;
  if (inDevTools && network?.getHAR && !navigator.userAgent.includes('Firefox/')) {
    watchNetworkLog(network as Required<typeof network>, state);
    state.networkLogWatched = true;
  }
  if (inDevTools && openResource) {
    // The API counts lines and columns from 0; stacks print them from 1.
    state.openSource = (url, line, column) => openResource(url, line - 1, column - 1);
  }
  const popOut = inDevTools
    ? () => {
        void browser.windows.create({
          url: browser.runtime.getURL(`extension/panel.html?tabId=${tabId}`),
          type: 'popup',
          width: 1000,
          height: 700,
        });
      }
    : undefined;
  if (inDevTools) {
    new BroadcastChannel(devtoolsSearchChannel(tabId)).onmessage = (
      event: MessageEvent<DevToolsSearchMessage>,
    ) => {
      state.setFilter({ query: event.data.action === 'performSearch' ? event.data.query : '' });
    };
  }
  // The user's rules (socket-rules.ts): every tab's relay reads the same storage.
  const rules = new RulesStore(browser.storage);
  rules.start();
  render(<App state={state} tabId={tabId} onPopOut={popOut} rules={rules} />, root);
}

/**
 * Sockets the page hook cannot see (workers), from DevTools' own network log: read every
 * NETWORK_POLL_MS, or less often where reading the log is slow (a page with a long log), so that
 * it takes at most 1/NETWORK_POLL_DUTY of the time, up to NETWORK_POLL_MAX_MS; five times less
 * often while hidden.
 */
function watchNetworkLog(
  network: { getHAR(done: (log: NetworkLog) => void): void },
  state: PanelState,
) {
  const sockets = new NetworkSockets(state.session);
  // Chrome's getHAR has been seen not to answer for a whole DevTools session (rarely): a look
  // that takes too long is left behind, and at most NETWORK_POLL_STUCK stay unanswered.
  let unanswered = 0;
  const look = () =>
    new Promise<NetworkLog | undefined>((resolve) => {
      unanswered++;
      const timer = setTimeout(() => resolve(undefined), NETWORK_POLL_TIMEOUT_MS);
      const answered = (log: NetworkLog | undefined) => {
        unanswered--;
        clearTimeout(timer);
        resolve(log);
      };
      try {
        network.getHAR((log) => answered(log));
      } catch {
        answered(undefined);
      }
    });
  let toldStuck = false;
  const poll = async () => {
    let interval = NETWORK_POLL_MS;
    if (unanswered >= NETWORK_POLL_STUCK && !toldStuck) {
      // Sockets of workers then show no frames: the user can tell why, and what helps.
      toldStuck = true;
      state.notice.value =
        "DevTools' network log does not answer (a Chrome fault seen in some sessions): workers' " +
        'frames are not shown until DevTools is opened again.';
    }
    if (unanswered < NETWORK_POLL_STUCK) {
      const start = performance.now();
      const log = await look();
      if (log) {
        const spent = (performance.now() - start) * NETWORK_POLL_DUTY;
        interval = Math.min(Math.max(interval, spent), NETWORK_POLL_MAX_MS);
        if (sockets.merge(log.entries ?? [], Date.now())) state.changed();
      }
    }
    setTimeout(poll, document.visibilityState === 'visible' ? interval : interval * 5);
  };
  void poll();
}
