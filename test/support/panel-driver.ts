/**
 * Opens Sockscope's panel the way a user would and reads what it shows: in Chromium the real
 * DevTools panel of the inspected page; in Firefox (whose DevTools automation cannot reach) the
 * same panel as a standalone extension page attached to the tab.
 */
import type { Frame, Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './launch-browser';

export interface ConnectionRow {
  url: string;
  state: string;
  closeCode: string;
  closeReason: string;
  closeInitiator: string;
  protocol: string;
  sent: number;
  received: number;
  sentBytes: number;
  receivedBytes: number;
  errors: number;
  frameId: number;
  /** Frames the page's backlog dropped before the panel saw them. */
  droppedFrames: number;
}

export interface FrameRow {
  index: number;
  kind: string;
  text: string;
}

export interface OpenPanel {
  frame: Frame;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Navigates an extension page; Firefox never reports the load of moz-extension pages. */
async function gotoExtensionPage(
  launched: LaunchedBrowser,
  page: Page,
  url: string,
): Promise<void> {
  if (launched.name === 'firefox') {
    await page.goto(url, { waitUntil: [] as never }).catch(() => undefined);
  } else {
    await page.goto(url);
  }
  await page.waitForFunction(() => document.readyState === 'complete', { timeout: 20_000 });
}

/** Runs a function in an extension page (with the extension's privileges), then closes it. */
export async function inExtensionPage<T>(launched: LaunchedBrowser, body: string): Promise<T> {
  const helper = await launched.browser.newPage();
  try {
    await gotoExtensionPage(
      launched,
      helper,
      `${launched.extensionOrigin}/extension/panel.html?tabId=-1`,
    );
    return (await helper.evaluate(`(async () => {
      const api = globalThis.browser ?? globalThis.chrome;
      ${body}
    })()`)) as T;
  } finally {
    await helper.close();
  }
}

/** Sets the user's limits in extension storage (null: back to the defaults). */
export async function setStoredLimits(
  launched: LaunchedBrowser,
  limits: object | null,
): Promise<void> {
  await inExtensionPage(
    launched,
    limits === null
      ? `await api.storage.local.remove('limits');`
      : `await api.storage.local.set({ limits: ${JSON.stringify(limits)} });`,
  );
}

/** The browser's tab id of a page, asked of the extension itself (pages cannot know it). */
export async function tabIdOf(launched: LaunchedBrowser, page: Page): Promise<number> {
  const url = page.url();
  const id = await inExtensionPage<number>(
    launched,
    `const tabs = await api.tabs.query({});
     return tabs.find((tab) => tab.url === ${JSON.stringify(url)})?.id ?? -1;`,
  );
  if (id < 0) throw new Error(`no tab shows ${url}`);
  return id;
}

export async function openStandalonePanel(
  launched: LaunchedBrowser,
  page: Page,
): Promise<OpenPanel> {
  const tabId = await tabIdOf(launched, page);
  // A window of its own, as DevTools beside the page: the inspected page stays visible (a tab
  // opened in front of it would hide it, and browsers deprioritize hidden pages).
  const panelPage = await launched.browser.newPage({ type: 'window' });
  await panelPage.setViewport({ width: 1200, height: 900 }).catch(() => undefined);
  await gotoExtensionPage(
    launched,
    panelPage,
    `${launched.extensionOrigin}/extension/panel.html?tabId=${tabId}`,
  );
  await panelPage.waitForSelector('[data-testid="totals"]');
  return { frame: panelPage.mainFrame(), close: () => panelPage.close() };
}

/** The size of DevTools' area in CSS pixels (the panel gets it less DevTools' tab strip). */
export interface DevToolsSize {
  width: number;
  height: number;
}

/**
 * Gives DevTools a size: undocked, its window is the whole DevTools area, as it is when docked at
 * the bottom (the width of the browser window, the height of the dock) or at the side.
 */
export async function resizeDevTools(devtools: Page, size: DevToolsSize): Promise<void> {
  await devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    UI.DockController.DockController.instance().setDockSide('undocked');
  })()`);
  await devtools.setViewport(size);
}

/** Opens real DevTools on the page and selects the "WebSockets" panel (Chromium only). */
export async function openDevToolsPanel(
  launched: LaunchedBrowser,
  page: Page,
  size: DevToolsSize = { width: 1280, height: 720 },
): Promise<OpenPanel> {
  const devtools = await page.openDevTools();
  await launched.browser.waitForTarget(
    (target) => target.url().endsWith('/extension/devtools.html'),
    {
      timeout: 20_000,
    },
  );
  const panelId = `${launched.extensionOrigin}WebSockets`;
  for (let attempt = 0; ; attempt++) {
    // A string, not a function: the test runner rewrites import() in functions it compiles.
    const shown = await devtools
      .evaluate(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        const inspector = UI.InspectorView.InspectorView.instance();
        if (!inspector.tabbedPane.tabIds().includes(${JSON.stringify(panelId)})) return false;
        await inspector.showPanel(${JSON.stringify(panelId)});
        return true;
      })()`)
      .catch(() => false);
    if (shown) break;
    if (attempt > 100) throw new Error('the WebSockets panel never appeared in DevTools');
    await sleep(100);
  }
  await resizeDevTools(devtools, size);
  let frame: Frame | undefined;
  for (let attempt = 0; !frame; attempt++) {
    frame = devtools
      .frames()
      .find((candidate) => candidate.url().includes('/extension/panel.html'));
    if (!frame && attempt > 100) throw new Error('the panel frame never loaded');
    if (!frame) await sleep(100);
  }
  await frame.waitForSelector('[data-testid="totals"]');
  return { frame, close: () => devtools.close() };
}

export function openPanel(launched: LaunchedBrowser, page: Page): Promise<OpenPanel> {
  return launched.name === 'chromium'
    ? openDevToolsPanel(launched, page)
    : openStandalonePanel(launched, page);
}

export async function readConnections(frame: Frame): Promise<ConnectionRow[]> {
  return frame.$$eval('[data-testid="connection"]', (rows) =>
    rows.map((row) => {
      const data = (row as HTMLElement).dataset;
      return {
        url: data.url ?? '',
        state: data.state ?? '',
        closeCode: data.closeCode ?? '',
        closeReason: data.closeReason ?? '',
        closeInitiator: data.closeInitiator ?? '',
        protocol: data.protocol ?? '',
        sent: Number(data.sent),
        received: Number(data.received),
        sentBytes: Number(data.sentBytes),
        receivedBytes: Number(data.receivedBytes),
        errors: Number(data.errors),
        frameId: Number(data.frameId),
        droppedFrames: Number(data.droppedFrames ?? 0),
      };
    }),
  );
}

/** Waits until the panel's connections satisfy `done`, and returns them. */
export async function waitForConnections(
  frame: Frame,
  done: (rows: ConnectionRow[]) => boolean,
  timeoutMs = 30_000,
): Promise<ConnectionRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await readConnections(frame);
  while (!done(rows)) {
    if (Date.now() > deadline) {
      throw new Error(
        `panel never showed the expected connections; last seen:\n${JSON.stringify(rows, null, 1)}`,
      );
    }
    await sleep(100);
    rows = await readConnections(frame);
  }
  return rows;
}

export async function selectConnection(frame: Frame, url: string | null): Promise<void> {
  const selector =
    url === null
      ? '[data-testid="all-connections"]'
      : `[data-testid="connection"][data-url="${url}"]`;
  if (url !== null) {
    // The panel renders the selection on its next frame, not within the click; a click that a
    // layout change (the panel settling to its size) moved off the row is made again.
    for (let attempt = 1; ; attempt++) {
      // A row the panel re-rendered between finding and clicking it is found again.
      await frame.click(selector).catch((error: Error) => {
        if (!/detached/i.test(error.message)) throw error;
      });
      const selected = await frame
        .waitForSelector(`${selector}[aria-selected="true"]`, { timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (selected) return;
      if (attempt === 3) throw new Error(`clicking the connection ${url} never selected it`);
    }
  }
  await frame.click(selector);
  await frame.waitForFunction(
    () => !document.querySelector('[data-testid="connection"][aria-selected="true"]'),
  );
}

/** Every row of the (windowed) frame table, read by scrolling it from top to bottom. */
export async function readFrames(frame: Frame): Promise<FrameRow[]> {
  const rows = new Map<number, FrameRow>();
  await frame.$eval('[data-testid="frame-viewport"]', (element) => {
    element.scrollTop = 0;
  });
  for (;;) {
    await sleep(50);
    const { visible, atEnd } = await frame.$eval('[data-testid="frame-viewport"]', (element) => {
      const visible = [...element.querySelectorAll('[data-testid="frame"]')].map((row) => ({
        index: Number((row as HTMLElement).dataset.index),
        kind: (row as HTMLElement).dataset.kind ?? '',
        text: (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
      }));
      const atEnd = element.scrollTop + element.clientHeight >= element.scrollHeight - 1;
      element.scrollTop += Math.max(20, element.clientHeight - 40);
      return { visible, atEnd };
    });
    for (const row of visible) rows.set(row.index, row);
    if (atEnd) break;
  }
  return [...rows.values()].sort((a, b) => a.index - b.index);
}

/** Reads the frame table until its rows satisfy `done` (frames reach the panel after the page). */
export async function waitForFrames(
  frame: Frame,
  done: (rows: FrameRow[]) => boolean,
  timeoutMs = 15_000,
): Promise<FrameRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await readFrames(frame);
    if (done(rows)) return rows;
    if (Date.now() > deadline) {
      throw new Error(
        `the frame table never showed the expected rows; last seen:\n${JSON.stringify(rows, null, 1)}`,
      );
    }
    await sleep(100);
  }
}

/** The "N of M frames" count the filter bar shows, as numbers. */
export async function readFrameCount(
  frame: Frame,
): Promise<{ shown: number; total: number; busy: boolean }> {
  const text = await frame.$eval(
    '[data-testid="frame-count"]',
    (element) => element.textContent ?? '',
  );
  const match = /(\d+) of (\d+) frames/.exec(text);
  if (!match) throw new Error(`unexpected frame count "${text}"`);
  return { shown: Number(match[1]), total: Number(match[2]), busy: text.includes('filtering') };
}

/** Waits until the filter bar's count satisfies `done`. */
export async function waitForFrameCount(
  frame: Frame,
  done: (count: { shown: number; total: number }) => boolean,
  timeoutMs = 20_000,
): Promise<{ shown: number; total: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { busy, ...count } = await readFrameCount(frame);
    if (!busy && done(count)) return count;
    if (Date.now() > deadline) throw new Error(`frame count stayed at ${JSON.stringify(count)}`);
    await sleep(100);
  }
}

/** Types into the filter box as a user would (replacing what was there). */
export async function typeFilter(frame: Frame, text: string): Promise<void> {
  await fillField(frame, '[data-testid="filter-input"]', text);
}

/**
 * Replaces a text field's value by typing, as a user would, and checks what it holds: keys typed
 * while the panel settles its layout can land elsewhere, and are typed again. The old value is
 * selected from the keyboard's side (focus, select), not by a triple click, whose mouse events
 * can interleave under load.
 */
export async function fillField(frame: Frame, selector: string, text: string): Promise<void> {
  let value = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const field = await frame.$(selector);
    if (!field) throw new Error(`no field ${selector}`);
    await field.evaluate((element) => {
      (element as HTMLInputElement).focus();
      (element as HTMLInputElement).select();
    });
    await field.press('Backspace');
    if (text) await field.type(text);
    value = await field.evaluate((element) => (element as HTMLInputElement).value);
    if (value === text) return;
  }
  throw new Error(`${selector} holds ${JSON.stringify(value)}, not ${JSON.stringify(text)}`);
}

/** Clicks the first frame row whose text contains `text` (scrolling the table as needed). */
export async function clickFrameRow(frame: Frame, text: string): Promise<void> {
  await frame.$eval('[data-testid="frame-viewport"]', (element) => {
    element.scrollTop = 0;
  });
  for (let attempt = 0; attempt < 200; attempt++) {
    await sleep(50);
    const clicked = await frame.$$eval(
      '[data-testid="frame"]',
      (rows, wanted) => {
        const row = rows.find((candidate) =>
          (candidate as HTMLElement).innerText.includes(wanted as string),
        );
        if (!row) return false;
        (row as HTMLElement).click();
        return true;
      },
      text,
    );
    if (clicked) return;
    const atEnd = await frame.$eval('[data-testid="frame-viewport"]', (element) => {
      const end = element.scrollTop + element.clientHeight >= element.scrollHeight - 1;
      element.scrollTop += Math.max(20, element.clientHeight - 40);
      return end;
    });
    if (atEnd) break;
  }
  throw new Error(`no frame row shows "${text}"`);
}

/**
 * Opens a part of the panel as a user would: a collapsible section (its <details>), or the
 * selected connection's pane ("connection-actions": its Details button).
 */
export async function openSection(frame: Frame, testId: string): Promise<void> {
  if (testId === 'connection-actions') {
    if (await frame.$('[data-testid="connection-actions"]')) return;
    const open = await frame.waitForSelector(
      '[data-testid="connection"][aria-selected="true"] [data-testid="connection-details"]',
    );
    await open!.click();
    await frame.waitForSelector('[data-testid="connection-actions"]');
    return;
  }
  const open = await frame.$eval(
    `[data-testid="${testId}"]`,
    (element) => (element as HTMLDetailsElement).open,
  );
  if (!open) await frame.click(`[data-testid="${testId}"] > summary`);
}

/**
 * Makes a toolbar control clickable: when the panel is too narrow for it, it sits in its row's
 * "more" menu, which is opened first.
 */
export async function revealControl(frame: Frame, testId: string): Promise<void> {
  const menu = await frame.$eval(`[data-testid="${testId}"]`, (element) => {
    const holder = element.closest<HTMLElement>('.row-menu');
    return holder?.hidden ? (holder.dataset.testid ?? null) : null;
  });
  if (menu) await frame.click(`[data-testid="${menu.replace(/-menu$/, '')}"]`);
}

/**
 * Waits until the background blocks a mock rule's URLs (declarativeNetRequest session rules, a
 * moment after the rules are saved), and returns their filters.
 */
export async function waitForMockBlocking(launched: LaunchedBrowser): Promise<string[]> {
  const deadline = Date.now() + 5_000;
  let blocked: Array<{ condition: { regexFilter: string } }> = [];
  while (blocked.length === 0 && Date.now() < deadline) {
    blocked = await inExtensionPage(
      launched,
      'return api.declarativeNetRequest.getSessionRules();',
    );
  }
  return blocked.map((rule) => rule.condition.regexFilter);
}

/** Where DevTools' Sources panel stands: the shown panel, and its open script and cursor. */
export interface SourcesLocation {
  /** The id of the DevTools panel shown ("sources" when Sources is in front). */
  shownPanel: string;
  /** The script open in Sources' editor, if any. */
  url: string | null;
  /** The cursor's line and column, from 1 as stacks print them. */
  line: number | null;
  column: number | null;
}

/**
 * Reads DevTools' own UI (Chromium only): which panel is in front and, in Sources, the script
 * its editor shows and where the cursor stands. Internal modules of DevTools, as read in
 * Chromium 156.
 */
export async function readSourcesLocation(devtools: Page): Promise<SourcesLocation> {
  // A string, not a function: the test runner rewrites import() in functions it compiles.
  return (await devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    const shownPanel = UI.InspectorView.InspectorView.instance().tabbedPane.selectedTabId ?? '';
    const Sources = await import('./panels/sources/sources.js');
    const view = Sources.SourcesPanel.SourcesPanel.instance().sourcesView();
    const url = view.currentUISourceCode()?.url() ?? null;
    const state = view.currentSourceFrame()?.textEditor?.state;
    if (!state) return { shownPanel, url, line: null, column: null };
    const head = state.selection.main.head;
    const line = state.doc.lineAt(head);
    return { shownPanel, url, line: line.number, column: head - line.from + 1 };
  })()`)) as SourcesLocation;
}

/** Brings a DevTools panel to the front by its id (Chromium only). */
export async function showDevToolsPanel(devtools: Page, panelId: string): Promise<void> {
  await devtools.evaluate(`(async () => {
    const UI = await import('./ui/legacy/legacy.js');
    await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)});
  })()`);
}
