import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  openPanel,
  readFrames,
  setStoredLimits,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

describe.each(e2eBrowsers())('limits in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let pageCount = 0;

  beforeAll(async () => {
    server = await startTestServer({ '/': '<!doctype html><title>limits</title>' });
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/?page=${++pageCount}`);
    return page;
  }

  it('says how many events the backlog dropped before the panel opened', async () => {
    await setStoredLimits(launched, { backlogEvents: 50 });
    try {
      const page = await newPage();
      await page.evaluate(async (url: string) => {
        const ws = new WebSocket(url);
        await new Promise((resolve) => {
          ws.onopen = resolve;
        });
        for (let i = 0; i < 200; i++) ws.send(`frame ${i}`);
      }, `${server.wsOrigin}/sink-backlog`);
      const panel = await openPanel(launched, page);
      await panel.frame.waitForSelector('[data-testid="loss-notice"]');
      const notice = await panel.frame.$eval(
        '[data-testid="loss-notice"]',
        (element) => element.textContent,
      );
      // 202 events (created, opened, 200 sends); the backlog kept the last 50.
      expect(notice).toContain('152 events dropped');
      await panel.close();
    } finally {
      await setStoredLimits(launched, null);
    }
  });

  it('lists a connection whose creation the backlog dropped, with its newest frames and the drop', async () => {
    const page = await newPage();
    const url = `${server.wsOrigin}/sink-late`;
    await page.evaluate(async (url: string) => {
      const ws = new WebSocket(url);
      (window as unknown as { ws: WebSocket }).ws = ws;
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      for (let i = 0; i < 150_000; i++) ws.send(`before ${i}`);
    }, url);
    const panel = await openPanel(launched, page);
    const [listed] = await waitForConnections(panel.frame, (rows) => rows[0]?.sent === 100_000);
    // 150,002 events (created, opened, 150,000 sends); the default backlog keeps the last 100,000.
    expect(listed).toMatchObject({ url, state: 'open', droppedFrames: 50_000 });
    await page.evaluate(() => {
      const { ws } = window as unknown as { ws: WebSocket };
      for (let i = 0; i < 5; i++) ws.send(`after ${i}`);
    });
    await waitForConnections(panel.frame, (rows) => rows[0]?.sent === 100_005);
    // The table follows the newest frame: its last rows are in view.
    const last = await panel.frame.$$eval('[data-testid="frame"]', (rows) =>
      rows.map((row) => /(before|after) \d+/.exec((row as HTMLElement).innerText)?.[0]),
    );
    expect(last.slice(-6)).toEqual([
      'before 149999',
      'after 0',
      'after 1',
      'after 2',
      'after 3',
      'after 4',
    ]);
    const notice = await panel.frame.$eval(
      '[data-testid="loss-notice"]',
      (element) => element.textContent,
    );
    expect(notice).toContain('50002 events dropped');
    expect(notice).toContain('50000 of them frames');
    await panel.close();
  });

  it('keeps the first payloadCap bytes of a large frame and shows its original size', async () => {
    await setStoredLimits(launched, { payloadCap: 1000 });
    try {
      const page = await newPage();
      await page.evaluate(async (url: string) => {
        const ws = new WebSocket(url);
        await new Promise((resolve) => {
          ws.onopen = resolve;
        });
        ws.send(new Uint8Array(5000));
        ws.send('t'.repeat(5000));
      }, `${server.wsOrigin}/sink-cap`);
      const panel = await openPanel(launched, page);
      const [connection] = await waitForConnections(panel.frame, (rows) => rows[0]?.sent === 2);
      expect(connection!.sentBytes).toBe(10_000);
      const frames = await readFrames(panel.frame);
      expect(frames.map((frame) => frame.text.includes('4.9 KB (kept 1000 B)'))).toEqual([
        true,
        true,
      ]);
      await panel.close();
    } finally {
      await setStoredLimits(launched, null);
    }
  });
});
