import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  type OpenPanel,
  openPanel,
  openSection,
  readSourcesLocation,
  revealControl,
  type SourcesLocation,
  selectConnection,
  showDevToolsPanel,
  waitForConnections,
  waitForFrames,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * The page's own script: `new WebSocket` on line 3, column 17, inside openChat; `send` on line
 * 6, column 15, inside sendChat.
 */
const OPENER = `// The page's code that opens sockets.
function openChat(path) {
  window.chat = new WebSocket('ws://' + location.host + path);
}
function sendChat(text) {
  window.chat.send(text);
}
`;

const PAGE = `<!doctype html><title>initiator</title><script src="/opener.js"></script>
<script>
  openChat('/echo-initiator');
  // A page that customises stack formatting: Sockscope takes no stack there, unnoticed.
  window.prepareCalls = 0;
</script>`;

describe.each(e2eBrowsers())('who opened a connection, in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE, '/opener.js': OPENER });
    launched = await launchBrowser(browserName);
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    panel = await openPanel(launched, page);
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  const readOpenedBy = async (url: string) => {
    await selectConnection(panel.frame, url);
    await openSection(panel.frame, 'connection-actions');
    await panel.frame.waitForSelector('[data-testid="opened-by"]');
    return panel.frame.$$eval('[data-testid="initiator-frame"]', (rows) =>
      rows.map((row) => (row.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
  };

  it("names the page's function, script and line, not Sockscope's", async () => {
    await waitForConnections(panel.frame, (rows) => rows.length === 1);
    const frames = await readOpenedBy(`${server.wsOrigin}/echo-initiator`);
    expect(frames[0]).toBe('openChat opener.js:3:17');
    expect(frames.join('\n')).not.toMatch(/extension|page-hook/);
  });

  it('records which code sent each frame once the setting is on, and not before', async () => {
    await waitForConnections(panel.frame, (rows) => rows.length >= 1);
    const url = `${server.wsOrigin}/echo-initiator`;
    await page.evaluate(() =>
      (window as unknown as { sendChat(t: string): void }).sendChat('plain'),
    );
    await selectConnection(panel.frame, url);
    await waitForFrames(panel.frame, (rows) => rows.some((row) => row.text.includes('plain')));
    await clickFrameRow(panel.frame, 'plain');
    await panel.frame.waitForSelector('[data-testid="view-text"]');
    expect(await panel.frame.$('[data-testid="view-sent-by"]')).toBeNull();

    await revealControl(panel.frame, 'open-settings');
    await panel.frame.click('[data-testid="open-settings"]');
    await panel.frame.click('[data-testid="setting-sendStacks"]');
    await panel.frame.click('[data-testid="save-settings"]');
    await panel.frame
      .waitForSelector('[data-testid="settings"]', { hidden: true, timeout: 5000 })
      .catch(async (error) => {
        const shown = await panel.frame.$eval('[data-testid="settings"]', (e) => e.textContent);
        throw new Error(`${error.message}: ${shown}`);
      });
    // The setting reaches the open page through extension storage: sent until a frame has it.
    let tab = null;
    for (let attempt = 0; attempt < 20 && !tab; attempt++) {
      const text = `stacked ${attempt}`;
      await page.evaluate(
        (t) => (window as unknown as { sendChat(t: string): void }).sendChat(t),
        text,
      );
      await waitForFrames(panel.frame, (rows) => rows.some((row) => row.text.includes(text)));
      await clickFrameRow(panel.frame, text);
      await panel.frame.waitForSelector('[data-testid="view-text"]');
      tab = await panel.frame.$('[data-testid="view-sent-by"]');
    }
    expect(tab).not.toBeNull();
    await tab!.click();
    const frames = await panel.frame.$$eval('[data-testid="sent-by-frame"]', (rows) =>
      rows.map((row) => (row.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
    expect(frames[0]).toBe('sendChat opener.js:6:15');
    expect(frames.join('\n')).not.toMatch(/extension|page-hook/);
  });

  it('takes no stack where the page set Error.prepareStackTrace, and the page never sees it called', async () => {
    await page.evaluate(() => {
      const scope = window as unknown as { prepareCalls: number; customised: WebSocket };
      (Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = (
        _error: unknown,
        frames: unknown[],
      ) => {
        scope.prepareCalls++;
        return frames;
      };
      scope.customised = new WebSocket(`ws://${location.host}/echo-customised`);
    });
    await waitForConnections(panel.frame, (rows) => rows.length === 2);
    expect(await readOpenedBy(`${server.wsOrigin}/echo-customised`)).toEqual([]);
    const missing = await panel.frame.$eval(
      '[data-testid="opened-by-missing"]',
      (element) => element.textContent ?? '',
    );
    expect(missing).toContain('prepareStackTrace');
    expect(
      await page.evaluate(() => (window as unknown as { prepareCalls: number }).prepareCalls),
    ).toBe(0);
  });

  it.runIf(browserName === 'chromium')(
    "links a failed socket's Console error to the page's script, not Sockscope's",
    async () => {
      const devtools = panel.frame.page();
      await devtools.evaluate(`(async () => {
        const UI = await import('./ui/legacy/legacy.js');
        await UI.InspectorView.InspectorView.instance().showPanel('console');
      })()`);
      await page.evaluate(() => {
        delete (Error as unknown as { prepareStackTrace?: unknown }).prepareStackTrace;
        (window as unknown as { openChat(path: string): void }).openChat('/forbidden-console');
      });
      const anchor = await devtools.waitForFunction(() => {
        // DevTools' own UI: its console rows live in shadow roots.
        const all: Element[] = [];
        const walk = (root: Document | ShadowRoot) => {
          for (const element of root.querySelectorAll('*')) {
            if (element.classList.contains('console-message-wrapper')) all.push(element);
            if (element.shadowRoot) walk(element.shadowRoot);
          }
        };
        walk(document);
        const failed = all.find((row) => row.textContent?.includes('/forbidden-console'));
        return failed?.querySelector('.console-message-anchor')?.textContent?.trim() || false;
      });
      expect(await anchor.jsonValue()).toBe('opener.js:3');
    },
  );

  it.runIf(browserName === 'chromium')(
    "opens the page's script at the stack's line in DevTools' Sources when its link is clicked",
    async () => {
      const devtools = panel.frame.page();
      await showDevToolsPanel(devtools, `${launched.extensionOrigin}WebSockets`);
      await panel.frame.waitForSelector('[data-testid="totals"]', { visible: true });
      const before = await readSourcesLocation(devtools);
      expect(before.shownPanel).not.toBe('sources');
      expect(before.url ?? '').not.toMatch(/opener\.js$/);

      await readOpenedBy(`${server.wsOrigin}/echo-initiator`);
      const link = await panel.frame.waitForSelector(
        '[data-testid="initiator-frame"]:first-child button.link',
      );
      expect(await link!.evaluate((element) => element.textContent)).toBe('opener.js:3:17');
      await link!.click();
      // DevTools opens the file once it has it: read until Sources shows it, or give up.
      const deadline = Date.now() + 15_000;
      let shown: SourcesLocation = await readSourcesLocation(devtools);
      while (!(shown.shownPanel === 'sources' && shown.url?.endsWith('/opener.js'))) {
        if (Date.now() > deadline) {
          throw new Error(`Sources never showed opener.js: ${JSON.stringify(shown)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        shown = await readSourcesLocation(devtools);
      }
      // Where `new WebSocket(` stands in openChat: line 3, column 17.
      expect(shown).toEqual({
        shownPanel: 'sources',
        url: `${server.origin}/opener.js`,
        line: 3,
        column: 17,
      });
      await showDevToolsPanel(devtools, `${launched.extensionOrigin}WebSockets`);
    },
  );
});
