import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  type OpenPanel,
  openPanel,
  openSection,
  selectConnection,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/** The page's own script: `new WebSocket` on line 3, column 21, inside openChat. */
const OPENER = `// The page's code that opens sockets.
function openChat(path) {
  window.chat = new WebSocket('ws://' + location.host + path);
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
});
