import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  fillField,
  type OpenPanel,
  openPanel,
  openSection,
  selectConnection,
  waitForConnections,
  waitForFrames,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const PATH = '/echo-conversation';
const RPC_PATH = '/json-rpc-pipelined';

/**
 * A page that holds a conversation with the test server, each frame sent once the reply to the
 * one before came, then hangs up: `count?` answers with the server's count of frames, which a
 * replay makes larger; the rest is echoed. On a second socket it sends two JSON-RPC requests at
 * once (both replies come after the second), then hangs up.
 */
const PAGE = `<!doctype html><title>conversation</title><script>
  window.replies = [];
  const rpc = new Promise((resolve) => {
    const ws = new WebSocket('ws://' + location.host + '${RPC_PATH}');
    let answers = 0;
    ws.onopen = () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'first' }));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'second' }));
    };
    ws.onmessage = () => { if (++answers === 2) { ws.close(1000, 'done'); resolve(); } };
  });
  window.done = rpc.then(() => new Promise((resolve) => {
    const ws = new WebSocket('ws://' + location.host + '${PATH}');
    const script = ['hello', 'count?', new Uint8Array([1, 2, 3]), 'bye'];
    let next = 0;
    const step = () => {
      if (next < script.length) ws.send(script[next++]);
      else { ws.close(1000, 'done'); resolve(); }
    };
    ws.onopen = step;
    ws.onmessage = (event) => { replies.push(typeof event.data === 'string' ? event.data : 'binary'); step(); };
  }));
</script>`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CONVERSATION = ['hello', 'count?', [1, 2, 3], 'bye'];

describe.each(e2eBrowsers())('replaying a conversation in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;
  const received = (path = PATH) =>
    server.received
      .filter((frame) => frame.path === path)
      .map((frame) => (frame.isBinary ? [...frame.data] : frame.data.toString()));
  const waitFor = async (check: () => Promise<boolean> | boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  };
  const steps = () =>
    panel.frame.$$eval('[data-testid="replay-step"]', (elements) =>
      elements.map((element) => (element as HTMLElement).dataset.status ?? ''),
    );
  const textOf = (selector: string) =>
    panel.frame.$eval(selector, (element) => element.textContent ?? '').catch(() => '');
  const summary = () => textOf('[data-testid="replay-summary"]');
  /** Replays the selected connection's conversation, as a user would, with a timeout per step. */
  const replay = async (seconds: string, path = PATH) => {
    await selectConnection(panel.frame, `${server.wsOrigin}${path}`);
    await openSection(panel.frame, 'connection-actions');
    // The last replay's view, closed first: the new one must not be read for it.
    if (await panel.frame.$('[data-testid="replay-view"]')) {
      await panel.frame.click('[data-testid="replay-close"]');
      await waitFor(async () => !(await panel.frame.$('[data-testid="replay-view"]')), 'a close');
    }
    await fillField(panel.frame, '[data-testid="replay-timeout"]', seconds);
    await panel.frame.click('[data-testid="replay-conversation"]');
    await panel.frame.waitForSelector('[data-testid="replay-view"]');
  };

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE });
    launched = await launchBrowser(browserName);
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => (window as unknown as { done: Promise<void> }).done);
    panel = await openPanel(launched, page);
    await waitForConnections(
      panel.frame,
      (rows) => rows.length === 2 && rows.every((row) => row.state === 'closed'),
    );
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it('sends the recorded frames again on a new socket and shows where the replies differ', async () => {
    const recordedCount = (
      await page.evaluate(() => (window as unknown as { replies: string[] }).replies)
    )[1]!;
    expect(recordedCount).toMatch(/^count:\d+$/);
    await replay('3');
    await waitFor(async () => (await summary()).includes('match'), 'the replay to finish');
    expect(await steps()).toEqual(['same', 'different', 'same', 'same']);
    expect(await summary()).toBe('3 of 4 steps match; 1 differs');
    expect(await panel.frame.$('[data-testid="replay-stop"]')).toBeNull();

    // The server heard the conversation again, in order, after the page had hung up: on a new
    // connection, which the panel lists with the frames it carried.
    expect(received()).toEqual([...CONVERSATION, ...CONVERSATION]);
    const rows = await waitForConnections(panel.frame, (rows) => rows.length === 3);
    expect(rows[2]).toMatchObject({ url: `${server.wsOrigin}${PATH}`, sent: 4, received: 4 });

    // Only the server's count differs: its digits are marked, on each side.
    const step = '[data-testid="replay-step"][data-status="different"]';
    expect(await textOf(`${step} .replay-sent`)).toContain('count?');
    const newCount = server.received.findLastIndex((frame) => frame.data.toString() === 'count?');
    expect(await textOf(`${step} [data-testid="replay-diff-removed"]`)).toBe(
      recordedCount.slice('count:'.length),
    );
    expect(await textOf(`${step} [data-testid="replay-diff-added"]`)).toBe(String(newCount + 1));
    const sameStep = '[data-testid="replay-step"][data-status="same"]';
    expect(await panel.frame.$(`${sameStep} [data-testid="replay-diff-added"]`)).toBeNull();
    expect(await textOf(`${sameStep}:nth-child(3) [data-reply="same"]`)).toContain('01 02 03');

    // The frames it sent are logged as the user's, like any replay.
    await selectConnection(panel.frame, null);
    const frames = await waitForFrames(
      panel.frame,
      (frames) => frames.filter((frame) => frame.text.includes('(replayed)')).length === 4,
    );
    expect(frames.filter((frame) => frame.kind === 'sent')).toHaveLength(10);
  });

  it('marks a step whose replies do not come in time, and stops when asked', async () => {
    // Incoming frames held by intercept never reach the page: the replay waits for them in vain.
    await openSection(panel.frame, 'intercept');
    await panel.frame.select('[data-testid="intercept-scope"]', 'all');
    await panel.frame.click('[data-testid="intercept-incoming"]');
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.startsWith('Intercepting'),
    );
    const before = received().length;
    await replay('2');
    expect(await textOf('[data-testid="replay-view"] .hint')).toContain('timeout per step 2.0 s');
    await waitFor(async () => (await steps()).length === 1, 'the first step to time out');
    await panel.frame.waitForSelector('[data-testid="replay-step-running"]');
    await panel.frame.click('[data-testid="replay-stop"]');
    await waitFor(async () => !(await panel.frame.$('[data-testid="replay-stop"]')), 'the stop');
    expect(await steps()).toEqual(['timeout', 'missing']);
    expect(await summary()).toBe('0 of 4 steps match; 1 timed out; 1 lacks replies; 2 not run');
    // Stopped between the second step's send and the third's: nothing more went out.
    await server.roundTrip(PATH);
    expect(received().slice(before)).toEqual(CONVERSATION.slice(0, 2));

    await panel.frame.click('[data-testid="replay-close"]');
    await waitFor(async () => !(await panel.frame.$('[data-testid="replay-view"]')), 'the close');
    await openSection(panel.frame, 'intercept');
    await panel.frame.click('[data-testid="intercept-incoming"]');
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.startsWith('Intercept is off'),
    );
  });

  it("waits for each request's own reply where the protocol pairs them, not for a count", async () => {
    // Recorded, both replies followed the second request: by count, the first had none.
    await replay('3', RPC_PATH);
    await waitFor(async () => (await summary()).includes('match'), 'the replay to finish');
    expect(await steps()).toEqual(['same', 'same']);
    expect(await summary()).toBe('2 of 2 steps match');
    const requests = received(RPC_PATH);
    expect(requests.slice(2)).toEqual(requests.slice(0, 2));
    expect(await textOf('[data-testid="replay-step"]:first-child [data-reply="same"]')).toContain(
      '"result":"first"',
    );
  });
});
