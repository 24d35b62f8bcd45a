import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  type OpenPanel,
  openPanel,
  openSection,
  readFrames,
  selectConnection,
  waitForConnections,
  waitForFrames,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/** A page with two sockets that logs what its listeners see, in order. */
const PAGE = `<!doctype html><title>actions</title><script>
  window.seen = [];
  window.open = (path) => {
    const ws = new WebSocket('ws://' + location.host + path);
    ws.onmessage = (event) => seen.push(['onmessage', path, describe(event.data), event.isTrusted]);
    ws.addEventListener('message', (event) => seen.push(['listener', path, describe(event.data)]));
    return new Promise((resolve) => ws.addEventListener('open', () => resolve(ws)));
  };
  const describe = (data) => typeof data === 'string' ? data : Object.prototype.toString.call(data).slice(8, -1) + ':' + (data.size ?? data.byteLength);
  window.ready = Promise.all([open('/echo-main'), open('/sink-other')]).then(([main, other]) => { window.main = main; window.other = other; });
</script>`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(e2eBrowsers())('acting on traffic in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;
  const received = (path: string) =>
    server.received
      .filter((frame) => frame.path === path)
      .map((frame) => (frame.isBinary ? [...frame.data] : frame.data.toString()));
  const waitFor = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    while (!check()) {
      if (Date.now() > deadline) {
        const got = server.received.map((frame) => [
          frame.path,
          frame.isBinary ? [...frame.data] : frame.data.toString(),
        ]);
        throw new Error(`timed out waiting for ${what}; the server got ${JSON.stringify(got)}`);
      }
      await sleep(50);
    }
  };
  const notice = () =>
    panel.frame
      .$eval('[data-testid="notice"]', (element) => element.textContent ?? '')
      .catch(() => '');
  const click = async (testId: string) => {
    // Controls inside a collapsed section are opened first, as a user would.
    if (testId.startsWith('intercept-')) await openSection(panel.frame, 'intercept');
    if (
      ['close-connection', 'reconnect-replay', 'send-to-server', 'deliver-to-page'].includes(testId)
    ) {
      await openSection(panel.frame, 'connection-actions');
    }
    // A held frame's actions are in the details pane: select a held row first, as a user would.
    if (['held-forward', 'held-edit', 'held-drop'].includes(testId)) {
      if (!(await panel.frame.$('[data-testid="held-details"]'))) {
        await panel.frame.click('[data-testid="held-frame"]');
        await panel.frame
          .waitForSelector('[data-testid="held-details"]', { timeout: 10_000 })
          .catch(async (error: Error) => {
            // Says what the click selected instead, for a failure seen only under load.
            const seen = await panel.frame.evaluate(() => ({
              details: document.querySelector('.details-region')?.textContent?.slice(0, 200),
              selectedRows: [...document.querySelectorAll('[aria-selected="true"]')].map((row) =>
                row.textContent?.slice(0, 80),
              ),
            }));
            throw new Error(`${error.message}; the panel showed ${JSON.stringify(seen)}`);
          });
      }
    }
    await panel.frame.click(`[data-testid="${testId}"]`);
  };
  /** Replaces a field's content as a user would: select all, delete, type. */
  const fill = async (testId: string, text: string) => {
    const field = (await panel.frame.$(`[data-testid="${testId}"]`))!;
    await field.focus();
    await field.evaluate((element) => (element as HTMLInputElement).select());
    await field.press('Backspace');
    if (text) await field.type(text);
  };
  const compose = async (text: string, encoding = 'text') => {
    await openSection(panel.frame, 'connection-actions');
    await panel.frame.select('[data-testid="composer-encoding"]', encoding);
    await fill('composer-text', text);
  };

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE });
    launched = await launchBrowser(browserName);
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => (window as unknown as { ready: Promise<void> }).ready);
    await page.evaluate(() =>
      (window as unknown as { main: WebSocket }).main.send('from the page'),
    );
    panel = await openPanel(launched, page);
    await waitForConnections(panel.frame, (rows) => rows.length === 2 && rows[0]!.received === 1);
    await selectConnection(panel.frame, `${server.wsOrigin}/echo-main`);
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it('composes text and binary frames to the server, marked as composed', async () => {
    await compose('composed text');
    await click('send-to-server');
    await compose('de ad be ef', 'hex');
    await click('send-to-server');
    await waitFor(() => received('/echo-main').length === 3, 'the composed frames');
    expect(received('/echo-main').slice(1)).toEqual(['composed text', [0xde, 0xad, 0xbe, 0xef]]);
    await waitForConnections(panel.frame, (rows) => rows[0]!.sent === 3);
    const frames = await readFrames(panel.frame);
    expect(frames.filter((frame) => frame.text.includes('(composed)'))).toHaveLength(2);
  });

  it('replays a recorded frame byte for byte, and edits one before resending', async () => {
    await clickFrameRow(panel.frame, 'from the page');
    await click('replay');
    await waitFor(() => received('/echo-main').length === 4, 'the replayed frame');
    expect(received('/echo-main')[3]).toBe('from the page');
    await clickFrameRow(panel.frame, 'from the page');
    await click('edit-resend');
    await panel.frame.waitForFunction(
      () =>
        (document.querySelector('[data-testid="composer-text"]') as HTMLTextAreaElement | null)
          ?.value === 'from the page',
    );
    await panel.frame.type('[data-testid="composer-text"]', ', edited');
    await click('send-to-server');
    await waitFor(() => received('/echo-main').length === 5, 'the edited frame');
    expect(received('/echo-main')[4]).toBe('from the page, edited');
    await waitForFrames(
      panel.frame,
      (rows) =>
        rows.some((frame) => frame.text.includes('(replayed)')) &&
        rows.some((frame) => frame.text.includes('(edited)')),
    );
  });

  it('delivers text and binary to the page as the server would, in native listener order', async () => {
    await page.evaluate(() => {
      (window as unknown as { seen: unknown[] }).seen.length = 0;
    });
    await compose('pretend server text');
    await click('deliver-to-page');
    await compose('01 02 03', 'hex');
    await click('deliver-to-page');
    // Commands are asynchronous: switch binaryType only once that frame has arrived.
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 4);
    await page.evaluate(() => {
      (window as unknown as { main: WebSocket }).main.binaryType = 'arraybuffer';
    });
    await click('deliver-to-page');
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 6);
    const seen = await page.evaluate(() =>
      (window as unknown as { seen: unknown[][] }).seen.map((entry) => entry.slice(0, 3)),
    );
    expect(seen).toEqual([
      ['onmessage', '/echo-main', 'pretend server text'],
      ['listener', '/echo-main', 'pretend server text'],
      ['onmessage', '/echo-main', 'Blob:3'],
      ['listener', '/echo-main', 'Blob:3'],
      ['onmessage', '/echo-main', 'ArrayBuffer:3'],
      ['listener', '/echo-main', 'ArrayBuffer:3'],
    ]);
    const delivered = (rows: { text: string }[]) =>
      rows.filter((frame) => frame.text.includes('(delivered)'));
    await waitForFrames(panel.frame, (rows) => delivered(rows).length >= 3);
    expect(delivered(await readFrames(panel.frame))).toHaveLength(3);
  });

  it('holds outgoing frames in order on their socket, lets other sockets go, and edits, drops or forwards them', async () => {
    await openSection(panel.frame, 'intercept');
    await panel.frame.type('[data-testid="intercept-query"]', 'hold');
    await click('intercept-outgoing');
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.startsWith('Intercepting'),
    );
    await page.evaluate(() => {
      const scope = window as unknown as { main: WebSocket; other: WebSocket };
      scope.main.send('hold me');
      scope.main.send('after the held one');
      scope.other.send('other socket, not held');
      scope.main.send('hold and drop me');
    });
    await waitFor(
      () => received('/sink-other').includes('other socket, not held'),
      'the other socket',
    );
    await panel.frame.waitForSelector('[data-testid="held-frame"]');
    await server.roundTrip('/echo-main');
    expect(received('/echo-main')).not.toContain('hold me');
    expect(received('/echo-main')).not.toContain('after the held one');
    const held = await panel.frame.$$('[data-testid="held-frame"]');
    expect(held).toHaveLength(2);
    await click('held-edit');
    await panel.frame.type('[data-testid="held-editor"]', ' (edited)');
    await click('held-send-edited');
    await waitFor(
      () => received('/echo-main').includes('after the held one'),
      'the frames behind the held one',
    );
    const order = received('/echo-main');
    expect(order.indexOf('hold me (edited)')).toBeLessThan(order.indexOf('after the held one'));
    await panel.frame.waitForFunction(
      () => document.querySelectorAll('[data-testid="held-frame"]').length === 1,
    );
    await click('held-drop');
    await panel.frame.waitForFunction(
      () => document.querySelectorAll('[data-testid="held-frame"]').length === 0,
    );
    await server.roundTrip('/echo-main');
    expect(received('/echo-main')).not.toContain('hold and drop me');
    await waitForFrames(panel.frame, (rows) =>
      rows.some(
        (frame) => frame.text.includes('(dropped)') && frame.text.includes('hold and drop me'),
      ),
    );
    await click('intercept-outgoing');
  });

  it('holds incoming frames before the page sees them', async () => {
    await openSection(panel.frame, 'intercept');
    await fill('intercept-query', '');
    await click('intercept-incoming');
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.startsWith('Intercepting'),
    );
    await page.evaluate(() => {
      const scope = window as unknown as { main: WebSocket; seen: unknown[] };
      scope.seen.length = 0;
      scope.main.send('echo this back');
    });
    await panel.frame.waitForSelector('[data-testid="held-frame"][data-direction="incoming"]');
    expect(await page.evaluate(() => (window as unknown as { seen: unknown[] }).seen.length)).toBe(
      0,
    );
    await click('held-forward');
    await page.waitForFunction(() => (window as unknown as { seen: unknown[] }).seen.length === 2);
    const seen = await page.evaluate(() =>
      (window as unknown as { seen: unknown[][] }).seen.map((entry) => entry.slice(0, 3)),
    );
    expect(seen[0]).toEqual(['onmessage', '/echo-main', 'echo this back']);
    await click('intercept-incoming');
  });

  it('refuses an invalid close code before sending anything, then closes with code and reason', async () => {
    await openSection(panel.frame, 'connection-actions');
    await fill('close-code', '1005');
    await click('close-connection');
    const error = await panel.frame.$eval(
      '[data-testid="action-error"]',
      (element) => element.textContent,
    );
    expect(error).toContain('Close code 1005 is not allowed');
    await fill('close-code', '4002');
    await panel.frame.type('[data-testid="close-reason"]', 'closed from the panel');
    await click('close-connection');
    const [row] = await waitForConnections(panel.frame, (rows) => rows[0]!.closeCode === '4002');
    expect(row).toMatchObject({ closeReason: 'closed from the panel', closeInitiator: 'client' });
  });

  it('refuses to compose on a closed connection, and reconnects to replay its sent frames', async () => {
    await openSection(panel.frame, 'connection-actions');
    const disabled = await panel.frame.$eval(
      '[data-testid="send-to-server"]',
      (element) => (element as HTMLButtonElement).disabled,
    );
    expect(disabled).toBe(true);
    const before = received('/echo-main').length;
    await click('reconnect-replay');
    await waitForConnections(panel.frame, (rows) => rows.length === 3);
    await waitFor(
      () => received('/echo-main').slice(before).includes('composed text'),
      'the replayed frames',
    );
    const replayed = received('/echo-main').slice(before);
    expect(replayed[0]).toBe('from the page');
    expect(replayed).toContain('composed text');
    expect(await notice()).toContain('replayed');
  });

  it('releases held frames when the panel closes', async () => {
    await selectConnection(panel.frame, null);
    await openSection(panel.frame, 'intercept');
    // With no connection selected, intercept holds nothing until "all connections" is chosen.
    const offWithoutSelection = await panel.frame.$eval(
      '[data-testid="intercept-outgoing"]',
      (element) => (element as HTMLInputElement).disabled,
    );
    expect(offWithoutSelection).toBe(true);
    await panel.frame.select('[data-testid="intercept-scope"]', 'all');
    await click('intercept-outgoing');
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.startsWith('Intercepting'),
    );
    await page.evaluate(() =>
      (window as unknown as { other: WebSocket }).other.send('held until the panel closes'),
    );
    await panel.frame.waitForSelector('[data-testid="held-frame"]');
    expect(received('/sink-other')).not.toContain('held until the panel closes');
    await panel.close();
    await waitFor(
      () => received('/sink-other').includes('held until the panel closes'),
      'the release on panel close',
    );
  });
});
