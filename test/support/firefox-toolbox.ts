/**
 * Drives Firefox's real DevTools toolbox from a test: opens it on a page's tab (docked at the
 * bottom), selects Sockscope's panel or the Console, and reads what they show.
 *
 * How: Firefox must run with `--remote-allow-system-access` (launch-browser passes it). Then
 * puppeteer's WebDriver BiDi connection reaches the browser window's chrome realm, where
 * DevTools' own loader gives `gDevTools`. The toolbox UI lives in that process, but an
 * extension's panel is a remote `<browser>`: its document is read through a frame script.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './launch-browser';

/** A row of Sockscope's connection list, as the panel in the toolbox shows it. */
export interface ToolboxConnection {
  url: string;
  state: string;
  sent: number;
  received: number;
  /** Listed from its handshake alone: the page hook did not see it. */
  handshakeOnly: boolean;
}

/** A message of the toolbox's Console, with its source link as shown. */
export interface ConsoleMessage {
  /** The row's classes: "error", "javascript" (page errors), "network", … */
  classes: string[];
  text: string;
  /** The source link's text ("opener.js:3:17"), or null when the message has none. */
  location: string | null;
  /** The link's full URL and position, as the Console holds them. */
  url: string | null;
  line: number | null;
  column: number | null;
}

export interface FirefoxToolbox {
  /** Selects an extension's panel by its label and waits until its document is loaded. */
  selectPanel(label: string): Promise<void>;
  /**
   * Runs `fn` on the selected extension panel's document (in its own process; `fn` is sent as
   * source, so it may use nothing from its closure) and returns its structured-clonable result.
   */
  inPanel<T, A = undefined>(
    fn: (document: Document, arg: A) => T | Promise<T>,
    arg?: A,
  ): Promise<T>;
  /** Sockscope's connection rows (its panel must be selected). */
  readConnections(): Promise<ToolboxConnection[]>;
  /** Selects the Web Console. */
  selectConsole(): Promise<void>;
  /** The Console's messages, oldest first (the Console must have been selected once). */
  consoleMessages(): Promise<ConsoleMessage[]>;
  close(): Promise<void>;
}

type Bidi = { send(method: string, params: object): Promise<{ result: BidiResult }> };
type BidiResult = {
  contexts?: { context: string; url: string }[];
  type?: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads until `done` holds, for at most `timeoutMs`; the error names `what` and the last read. */
export async function pollFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${what} within ${timeoutMs} ms; last seen:\n${JSON.stringify(value, null, 1)}`,
      );
    }
    await sleep(100);
  }
}

/** The WebDriver BiDi connection of a puppeteer Firefox (not in puppeteer's typings). */
function bidiOf(browser: Browser): Bidi {
  return (browser as unknown as { connection: Bidi }).connection;
}

/**
 * Runs `body` (an async function's source taking one JSON-able argument) in the browser
 * window's chrome realm, with `gDevTools` and the tab's `toolbox` (or null) in scope.
 */
async function runInChrome<T>(browser: Browser, body: string, arg: object): Promise<T> {
  const bidi = bidiOf(browser);
  const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const window = tree.contexts?.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) throw new Error('no Firefox browser window among the chrome contexts');
  const { result } = await bidi.send('script.callFunction', {
    functionDeclaration: `async (json) => {
      const arg = JSON.parse(json);
      const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
      require('devtools/client/framework/devtools-browser');
      const { gDevTools } = require('devtools/client/framework/devtools');
      const tab = gBrowser.tabs.find((t) => t.linkedBrowser.browserId === arg.browserId);
      const toolbox = tab ? gDevTools.getToolboxForTab(tab) : null;
      return JSON.stringify(await (${body})(arg));
    }`,
    target: { context: window.context },
    awaitPromise: true,
    arguments: [{ type: 'string', value: JSON.stringify(arg) }],
    resultOwnership: 'none',
  });
  if (result.type === 'exception') {
    throw new Error(`in Firefox's chrome: ${result.exceptionDetails?.text}`);
  }
  const json = result.result?.value;
  return (typeof json === 'string' ? JSON.parse(json) : undefined) as T;
}

/** Opens the toolbox, docked at the bottom, on the tab that shows `page`. */
export async function openFirefoxToolbox(
  launched: LaunchedBrowser,
  page: Page,
): Promise<FirefoxToolbox> {
  if (launched.name !== 'firefox') throw new Error('Firefox toolbox on a Chromium browser');
  const { browser } = launched;
  const browserId = await runInChrome<number>(
    browser,
    `async ({ url }) => {
      const tab = gBrowser.tabs.find((t) => t.linkedBrowser.currentURI.spec === url);
      if (!tab) throw new Error('no tab shows ' + url);
      gBrowser.selectedTab = tab;
      await gDevTools.showToolboxForTab(tab, { hostType: 'bottom' });
      return tab.linkedBrowser.browserId;
    }`,
    { url: page.url() },
  );
  const chrome = <T>(body: string, arg: object = {}) =>
    runInChrome<T>(browser, body, { ...arg, browserId });
  await chrome(`async () => { if (!toolbox) throw new Error('the toolbox did not open'); }`);
  let panelId = '';

  const inPanel = <T, A>(fn: (document: Document, arg: A) => T | Promise<T>, arg?: A) =>
    chrome<{ value?: T; error?: string }>(
      `async ({ panelId, source, arg, name }) => {
        const frame = toolbox.doc.getElementById('toolbox-panel-iframe-' + panelId);
        const panel = frame?.contentDocument?.getElementById('webext-panels-browser');
        if (!panel) throw new Error('panel ' + panelId + ' has no document');
        const mm = panel.messageManager;
        // The frame script runs in the panel's process and answers once.
        const answer = new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the panel never answered')), 10000);
          const listener = (message) => {
            clearTimeout(timer);
            mm.removeMessageListener(name, listener);
            resolve(message.data);
          };
          mm.addMessageListener(name, listener);
        });
        mm.loadFrameScript('data:,' + encodeURIComponent('(async () => {' +
          'try { sendAsyncMessage(' + JSON.stringify(name) + ', { value: await (' + source +
          ')(content.document, ' + JSON.stringify(arg) + ') }); }' +
          'catch (error) { sendAsyncMessage(' + JSON.stringify(name) +
          ', { error: String(error?.stack ?? error) }); } })();'), false);
        return answer;
      }`,
      { panelId, source: fn.toString(), arg: arg ?? null, name: `sockscope-test:${nextCall++}` },
    ).then(({ value, error }) => {
      if (error !== undefined) throw new Error(`in the panel: ${error}`);
      return value as T;
    });

  return {
    async selectPanel(label) {
      const id = await pollFor(
        () =>
          chrome<string | null>(
            `async ({ label }) =>
              toolbox.getAdditionalTools().find((tool) => tool.label === label)?.id ?? null`,
            { label },
          ),
        (found) => found !== null,
        `the toolbox never registered a panel labelled "${label}"`,
      );
      panelId = id as string;
      await chrome(`async ({ id }) => { await toolbox.selectTool(id); }`, { id });
      // The panel's <browser> starts on about:blank, then switches process to the extension.
      await pollFor(
        () =>
          chrome<string | null>(
            `async ({ id }) => toolbox.doc.getElementById('toolbox-panel-iframe-' + id)
              ?.contentDocument?.getElementById('webext-panels-browser')?.currentURI?.spec ?? null`,
            { id },
          ),
        (url) => url?.startsWith('moz-extension:') === true,
        `panel "${label}" never loaded its extension page`,
      );
      await pollFor(
        () => inPanel((document) => document.readyState),
        (state) => state === 'complete',
        `panel "${label}" never finished loading`,
      );
    },
    inPanel,
    readConnections: () =>
      inPanel((document) =>
        Array.from(document.querySelectorAll('[data-testid="connection"]'), (row) => ({
          url: row.getAttribute('data-url') ?? '',
          state: row.getAttribute('data-state') ?? '',
          sent: Number(row.getAttribute('data-sent')),
          received: Number(row.getAttribute('data-received')),
          handshakeOnly: row.querySelector('[data-testid="handshake-only-mark"]') !== null,
        })),
      ),
    async selectConsole() {
      await chrome(`async () => { await toolbox.selectTool('webconsole'); }`);
    },
    consoleMessages: () =>
      chrome<ConsoleMessage[]>(`async () => {
        const doc = toolbox.doc.getElementById('toolbox-panel-iframe-webconsole')?.contentDocument;
        if (!doc) throw new Error('the Console was never selected');
        return Array.from(doc.querySelectorAll('.message'), (row) => {
          const link = row.querySelector('.message-location');
          return {
            classes: [...row.classList],
            text: row.querySelector('.message-body')?.textContent ?? '',
            location: link?.querySelector('.frame-link-source')?.textContent ?? null,
            url: link?.getAttribute('data-url') ?? null,
            line: link ? Number(link.getAttribute('data-line')) : null,
            column: link ? Number(link.getAttribute('data-column')) : null,
          };
        });
      }`),
    close: () => chrome(`async () => { if (toolbox) await toolbox.destroy(); }`),
  };
}

/** Names each frame script's answer apart. */
let nextCall = 0;
