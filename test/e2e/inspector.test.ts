import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  type OpenPanel,
  openPanel,
  readConnections,
  typeFilter,
  waitForConnections,
  waitForFrameCount,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const JSON_FRAME = '{"type":"price","symbol":"ACME","nested":{"list":[10,20,30]}}';

/** A page that opens an echo socket and exposes a `say(...)` helper for the test. */
const PAGE = `<!doctype html><title>inspector</title><script>
  window.socket = new WebSocket('ws://' + location.host + '/echo-inspector');
  window.socket.binaryType = 'arraybuffer';
  window.echoes = 0;
  window.socket.onmessage = () => window.echoes++;
  window.ready = new Promise((resolve) => window.socket.addEventListener('open', resolve));
</script>`;

async function say(page: Page, frames: Array<string | number[]>): Promise<void> {
  await page.evaluate(async (frames: Array<string | number[]>) => {
    const scope = window as unknown as { socket: WebSocket; ready: Promise<void>; echoes: number };
    await scope.ready;
    const target = scope.echoes + frames.length;
    for (const frame of frames)
      scope.socket.send(typeof frame === 'string' ? frame : new Uint8Array(frame));
    while (scope.echoes < target) await new Promise((resolve) => setTimeout(resolve, 10));
  }, frames);
}

describe.each(e2eBrowsers())('inspector panel in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE });
    launched = await launchBrowser(browserName);
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await say(page, [JSON_FRAME, 'hello plain text', Array.from({ length: 32 }, (_, i) => i)]);
    panel = await openPanel(launched, page);
    await waitForFrameCount(panel.frame, ({ total }) => total === 6);
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it("names the inspected page's host in the toolbar", async () => {
    const host = await panel.frame.$eval('[data-testid="page-host"]', (el) => el.textContent);
    expect(host).toBe(new URL(server.origin).host);
  });

  it('hides frames matching a saved pattern, in this panel and the next one', async () => {
    // 'hello plain text' goes out and comes back: two frames hidden.
    await panel.frame.click('[data-testid="hide-patterns-toggle"]');
    // The popup renders on the panel's next frame, not within the click.
    await panel.frame.waitForSelector('[data-testid="hide-pattern-input"]');
    await panel.frame.type('[data-testid="hide-pattern-input"]', 'HELLO plain');
    await panel.frame.click('[data-testid="hide-pattern-add"]');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 4);
    await panel.close();
    panel = await openPanel(launched, page);
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 4);
    await panel.frame.click('[data-testid="hide-patterns-toggle"]');
    const saved = await panel.frame.$$eval('[data-testid="hide-pattern"] code', (items) =>
      items.map((item) => item.textContent),
    );
    expect(saved).toEqual(['HELLO plain']);
    await panel.frame.type('[data-testid="hide-pattern-input"]', '/(/');
    await panel.frame.click('[data-testid="hide-pattern-add"]');
    await panel.frame.waitForSelector('[data-testid="hide-pattern-error"]');
    await panel.frame.click('[data-testid="hide-pattern-remove"]');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 6);
    await panel.frame.click('[data-testid="hide-patterns-toggle"]');
  });

  it('shows several frame types at once, chosen from the type filter', async () => {
    await panel.frame.click('[data-testid="filter-type"]');
    await panel.frame.click('[data-testid="filter-type-text"]');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 2);
    await panel.frame.click('[data-testid="filter-type-text"]');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 6);
    await panel.frame.click('[data-testid="filter-type"]');
  });

  it('filters by regular expression and direction, and shows an invalid expression inline', async () => {
    const { frame } = panel;
    await frame.click('[data-testid="filter-regex"]');
    await typeFilter(frame, '"symbol":\\s*"AC');
    expect(await waitForFrameCount(frame, ({ shown }) => shown === 2)).toEqual({
      shown: 2,
      total: 6,
    });
    await frame.select('[data-testid="filter-direction"]', 'sent');
    expect(await waitForFrameCount(frame, ({ shown }) => shown === 1)).toEqual({
      shown: 1,
      total: 6,
    });
    await typeFilter(frame, '("unclosed');
    await frame.waitForSelector('[data-testid="filter-error"]');
    await frame.click('[data-testid="filter-invert"]');
    await typeFilter(frame, 'ACME');
    // Sent frames that do not mention ACME: the text and the binary one.
    expect(await waitForFrameCount(frame, ({ shown }) => shown === 2)).toEqual({
      shown: 2,
      total: 6,
    });
    expect(await frame.$('[data-testid="filter-error"]')).toBeNull();
    await frame.click('[data-testid="filter-invert"]');
    await frame.click('[data-testid="filter-regex"]');
    await frame.select('[data-testid="filter-direction"]', 'all');
    await typeFilter(frame, '');
    await waitForFrameCount(frame, ({ shown }) => shown === 6);
  });

  it('reads a JSON frame as a collapsible tree', async () => {
    const { frame } = panel;
    await clickFrameRow(frame, '"symbol":"ACME"');
    await frame.waitForSelector('[data-testid="json-tree"]');
    const paths = () =>
      frame.$$eval('[data-testid="json-tree"] [data-path]', (nodes) =>
        nodes.map((node) => (node as HTMLElement).dataset.path),
      );
    expect(await paths()).toEqual(['$', '$.type', '$.symbol', '$.nested', '$.nested.list']);
    // With the keyboard, as a keyboard user would (and independent of where DevTools' small
    // headless window clips the panel).
    await frame.focus('[aria-label="Expand $.nested.list"]');
    await frame.page().keyboard.press('Enter');
    await frame.waitForSelector('[data-path="$.nested.list[2]"]');
    expect(await paths()).toContain('$.nested.list[2]');
    const leaf = await frame.$eval(
      '[data-path="$.nested.list[2]"]',
      (node) => (node as HTMLElement).innerText,
    );
    expect(leaf).toContain('2: 30');
    await frame.click('[data-testid="view-text"]');
    await frame.waitForSelector('[data-testid="payload-text"]');
    const text = await frame.$eval('[data-testid="payload-text"]', (node) => node.textContent);
    expect(text).toBe(JSON_FRAME);
  });

  it('reads a binary frame as a hex dump with offsets and ASCII', async () => {
    const { frame } = panel;
    await clickFrameRow(frame, '00 01 02 03');
    await frame.waitForSelector('[data-testid="hex-dump"] .virtual-line');
    const lines = await frame.$$eval('[data-testid="hex-dump"] .virtual-line', (nodes) =>
      nodes.map((node) => node.textContent),
    );
    expect(lines[0]).toBe(
      '00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|',
    );
    expect(lines[1]).toBe(
      '00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|',
    );
    await frame.click('[data-testid="view-base64"]');
    await frame.waitForSelector('[data-testid="payload-base64"]');
    const base64 = await frame.$eval('[data-testid="payload-base64"]', (node) => node.textContent);
    expect(base64).toBe(Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'));
    await frame.click('[data-testid="close-details"]');
  });

  it('moves through frames with the keyboard and opens the filter with Ctrl+F', async () => {
    const { frame } = panel;
    await frame.focus('[data-testid="frame-viewport"]');
    const keyboard = frame.page().keyboard;
    await keyboard.press('Home');
    await keyboard.press('ArrowDown');
    await frame.waitForSelector('[data-testid="details"]');
    const selected = await frame.$eval(
      '[data-testid="frame"][aria-selected="true"]',
      (row) => (row as HTMLElement).dataset.index,
    );
    expect(selected).toBe('1');
    await keyboard.press('Escape');
    expect(await frame.$('[data-testid="details"]')).toBeNull();
    // Inside Chromium's DevTools, Ctrl+F belongs to DevTools' own search box, which forwards its
    // query to the panel (see devtools.ts); the standalone panel handles the shortcut itself.
    if (browserName === 'chromium') return;
    await keyboard.down('Control');
    await keyboard.press('f');
    await keyboard.up('Control');
    const focused = await frame.evaluate(
      () => (document.activeElement as HTMLElement | null)?.dataset.testid,
    );
    expect(focused).toBe('filter-input');
  });

  it('pauses and resumes recording, saying how many frames it did not record', async () => {
    // The connection's counters keep the socket's true totals; only the frame list pauses.
    const { frame } = panel;
    await frame.click('[data-testid="record-toggle"]');
    await say(page, ['while paused 1', 'while paused 2']);
    await frame.waitForFunction(() =>
      document
        .querySelector('[data-testid="loss-notice"]')
        ?.textContent?.includes('4 frames not recorded while paused'),
    );
    await frame.click('[data-testid="record-toggle"]');
    await say(page, ['after resume']);
    await waitForFrameCount(frame, ({ total }) => total === 8);
    const [connection] = await readConnections(frame);
    expect(connection).toMatchObject({ sent: 6, received: 6 });
  });

  it('clears frames, and keeps or forgets earlier pages across a reload as "Preserve log" says', async () => {
    const { frame } = panel;
    await frame.click('[data-testid="clear"]');
    await waitForFrameCount(frame, ({ total }) => total === 0);
    await say(page, ['after clear']);
    await waitForFrameCount(frame, ({ total }) => total === 2);

    await frame.click('[data-testid="preserve-log"]');
    await page.reload();
    await say(page, ['on the new page']);
    const preserved = await waitForConnections(
      frame,
      (rows) => rows.length === 2 && rows[1]!.received === 1,
    );
    expect(preserved.map((row) => row.url)).toEqual([
      `${server.wsOrigin}/echo-inspector`,
      `${server.wsOrigin}/echo-inspector`,
    ]);
    const marks = await frame.$$eval('[data-testid="connection"]', (rows) =>
      rows.map((row) => (row as HTMLElement).dataset.earlierPage),
    );
    expect(marks).toEqual(['true', 'false']);

    await frame.click('[data-testid="preserve-log"]');
    await page.reload();
    await say(page, ['on the third page']);
    const forgotten = await waitForConnections(
      frame,
      (rows) => rows.length === 1 && rows[0]!.received === 1,
    );
    expect(forgotten[0]!.sent).toBe(1);
  });
});
