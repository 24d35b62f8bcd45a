import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import { openPanel, readConnections, waitForConnections } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * Sends in chunks of 500, one chunk per task, and starts navigating away after 2,000 while it
 * goes on sending: the last sends happen just before the document goes away.
 */
const SENDER = `<!doctype html><title>sender</title><script>
  const ws = new WebSocket('ws://' + location.host + '/sink-navigation');
  let sent = 0;
  ws.onopen = () => {
    const chunk = () => {
      for (let i = 0; i < 500; i++) ws.send('frame ' + sent++);
      // What the page did, for the test to read on the next page.
      sessionStorage.setItem('sent', String(sent));
      if (sent === 2000) location.href = '/next';
      setTimeout(chunk, 0);
    };
    chunk();
  };
</script>`;

describe.each(e2eBrowsers())('navigation in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    server = await startTestServer({
      '/': '<!doctype html><title>start</title>',
      '/sender': SENDER,
      '/next': '<!doctype html><title>next</title>',
    });
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it('shows every send() a page made just before it navigated away (Preserve log on)', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/?navigation`);
    const panel = await openPanel(launched, page);
    await panel.frame.click('[data-testid="preserve-log"]');
    await page.goto(`${server.origin}/sender`);
    await page.waitForFunction(() => document.title === 'next', { timeout: 20_000 });
    const sendCalls = Number(await page.evaluate(() => sessionStorage.getItem('sent')));
    const serverCount = await settledCount(() => sentToServer(server));
    expect(serverCount).toBeGreaterThanOrEqual(2000);
    // Every send() the page made is in the panel (a browser may drop what was still queued
    // when the page went away, so the server can have fewer).
    const rows = await waitForConnections(
      panel.frame,
      (rows) => rows.find((row) => row.url.endsWith('/sink-navigation'))?.sent === sendCalls,
      10_000,
    ).catch(() => readConnections(panel.frame));
    const row = rows.find((row) => row.url.endsWith('/sink-navigation'));
    expect(row?.sent).toBe(sendCalls);
    expect(sendCalls).toBeGreaterThanOrEqual(serverCount);
    await panel.close();
    await page.close();
  });
});

function sentToServer(server: TestServer): number {
  return server.received.filter((frame) => frame.path === '/sink-navigation').length;
}

/** The count once it has stopped changing for half a second. */
async function settledCount(read: () => number): Promise<number> {
  let last = -1;
  let count = read();
  while (count !== last) {
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 500));
    count = read();
  }
  return count;
}
