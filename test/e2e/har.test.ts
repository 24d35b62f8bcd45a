import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pkg from '@har-sdk/validator';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRelative } from '../../src/panel/format';
import { waitForDownload } from '../support/downloads';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  type ConnectionRow,
  clickFrameRow,
  type OpenPanel,
  openPanel,
  readFrames,
  revealControl,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const { HarValidator } = pkg as unknown as {
  HarValidator: new () => { verify(har: unknown): Promise<unknown[]> };
};

const COMPARED = [
  'url',
  'state',
  'closeCode',
  'closeReason',
  'protocol',
  'sent',
  'received',
  'sentBytes',
  'receivedBytes',
] as const;
const comparable = (row: ConnectionRow) =>
  Object.fromEntries(COMPARED.map((field) => [field, row[field]]));

describe.each(e2eBrowsers())('HAR sessions in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let downloads: string;
  let harPath: string;
  let original: ConnectionRow[];
  const panels: OpenPanel[] = [];

  beforeAll(async () => {
    server = await startTestServer({ '/': '<!doctype html><title>har</title>' });
    downloads = mkdtempSync(join(tmpdir(), 'sockscope-downloads-'));
    launched = await launchBrowser(browserName, { downloadDir: downloads });
  });
  afterAll(async () => {
    for (const panel of panels) await panel.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  async function page(path: string): Promise<Page> {
    const tab = await launched.browser.newPage();
    await tab.goto(`${server.origin}${path}`);
    return tab;
  }

  it('exports the captured session from the panel as a real download, valid HAR 1.2', async () => {
    const traffic = await page('/?capture');
    await traffic.evaluate(async (url: string) => {
      const ws = new WebSocket(url, ['chat.v1']);
      ws.binaryType = 'arraybuffer';
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      let echoes = 0;
      const echoed = new Promise<void>((resolve) => {
        ws.onmessage = () => {
          if (++echoes === 3) resolve();
        };
      });
      ws.send('{"hello":"har"}');
      ws.send(new Uint8Array([0, 1, 2, 253, 254, 255]));
      ws.send('ünïcødé 😀');
      await echoed;
      ws.close(4001, 'done here');
      await new Promise((resolve) => ws.addEventListener('close', resolve));
    }, `${server.wsOrigin}/echo-har`);
    const panel = await openPanel(launched, traffic);
    panels.push(panel);
    original = await waitForConnections(panel.frame, (rows) => rows[0]?.closeCode === '4001');
    await revealControl(panel.frame, 'export-har');
    await panel.frame.click('[data-testid="export-har"]');
    harPath = await waitForDownload(downloads);
    expect(harPath).toMatch(/127\.0\.0\.1_\d+-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.har$/);
    const har = JSON.parse(readFileSync(harPath, 'utf8'));
    expect(await new HarValidator().verify(har)).toEqual([]);
    const [entry] = har.log.entries;
    expect(entry._resourceType).toBe('websocket');
    // Three sends in one task, then their three echoes.
    const kinds = entry._webSocketMessages.map(
      (message: { type: string; opcode: number }) => `${message.type}/${message.opcode}`,
    );
    expect(kinds).toEqual(['send/1', 'send/2', 'send/1', 'receive/1', 'receive/2', 'receive/1']);
    expect(
      entry._webSocketMessages
        .filter((message: { opcode: number }) => message.opcode === 2)
        .map((message: { data: string }) => message.data),
    ).toEqual(['AAEC/f7/', 'AAEC/f7/']);
  });

  it('saves a 3 MB binary payload from its details byte for byte', async () => {
    const size = 3 * 1024 * 1024;
    const traffic = await page('/?save');
    const panel = await openPanel(launched, traffic);
    panels.push(panel);
    // Sent with the panel open: it crosses to the panel live, in pieces.
    await traffic.evaluate(
      async (url: string, size: number) => {
        const ws = new WebSocket(url);
        await new Promise((resolve) => {
          ws.onopen = resolve;
        });
        ws.send(Uint8Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 16)) & 255));
      },
      `${server.wsOrigin}/sink-save`,
      size,
    );
    await waitForConnections(panel.frame, (rows) => rows[0]?.sentBytes === size, 30_000);
    await clickFrameRow(panel.frame, '3.0 MB');
    await panel.frame.click('[data-testid="save-payload"]');
    const saved = readFileSync(await waitForDownload(downloads, '.bin'));
    expect(saved.length).toBe(size);
    const expected = Buffer.from(
      Uint8Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 16)) & 255),
    );
    expect(saved.equals(expected)).toBe(true);
  });

  it('imports the file into a fresh panel and shows the same session, marked imported', async () => {
    const fresh = await page('/?fresh');
    const panel = await openPanel(launched, fresh);
    panels.push(panel);
    const input = (await panel.frame.$(
      '[data-testid="import-har"]',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(harPath);
    const rows = await waitForConnections(panel.frame, (rows) => rows.length === 1);
    expect(rows.map(comparable)).toEqual(original.map(comparable));
    const imported = await panel.frame.$eval(
      '[data-testid="connection"]',
      (row) => (row as HTMLElement).dataset.imported,
    );
    expect(imported).toMatch(/\.har$/);
    await panel.frame.waitForFunction(() =>
      document
        .querySelector('[data-testid="notice"]')
        ?.textContent?.includes('Imported 1 connections and'),
    );
  });

  it('says what is wrong with a malformed file and keeps the panel as it was', async () => {
    const bad = join(downloads, 'broken.json');
    writeFileSync(
      bad,
      JSON.stringify({
        log: {
          entries: [
            {
              _resourceType: 'websocket',
              request: { url: 'ws://x/' },
              startedDateTime: '2026-01-01T00:00:00Z',
              _webSocketMessages: [{ type: 'send', time: 1, opcode: 2, data: '%%%' }],
            },
          ],
        },
      }),
    );
    const panel = panels.at(-1)!;
    const input = (await panel.frame.$(
      '[data-testid="import-har"]',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(bad);
    await panel.frame.waitForFunction(() =>
      document.querySelector('[data-testid="notice"]')?.textContent?.includes('Could not import'),
    );
    const notice = await panel.frame.$eval(
      '[data-testid="notice"]',
      (element) => element.textContent,
    );
    expect(notice).toContain(
      'binary data (opcode 2) is not valid base64, at log.entries[0]._webSocketMessages[0].data',
    );
    expect(await waitForConnections(panel.frame, (rows) => rows.length === 1)).toHaveLength(1);
  });

  it("imports Playwright's millisecond times as recorded, with no live duration or page mark", async () => {
    const fixture = resolve('test/fixtures/har-writers/playwright.har');
    const written = JSON.parse(readFileSync(fixture, 'utf8')).log.entries[1];
    const start = Date.parse(written.startedDateTime);
    const times: number[] = written._webSocketMessages.map(
      (message: { time: number }) => message.time,
    );
    const tab = await page('/?playwright');
    const panel = await openPanel(launched, tab);
    panels.push(panel);
    const input = (await panel.frame.$(
      '[data-testid="import-har"]',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(fixture);
    await waitForConnections(panel.frame, (rows) => rows.length === 2);
    const notice = await panel.frame.$eval(
      '[data-testid="notice"]',
      (element) => element.textContent ?? '',
    );
    expect(notice).toContain('were in milliseconds, as Playwright writes them, and were converted');

    const rowsShown = () =>
      panel.frame.$$eval('[data-testid="connection"]', (rows) =>
        rows.map((row) => ({
          earlierPage: (row as HTMLElement).dataset.earlierPage,
          pageMark: row.querySelector('.page-mark') !== null,
          imported: row.querySelector('.badge.imported') !== null,
          duration: row.querySelector('[data-testid="connection-duration"]')?.textContent,
        })),
      );
    const shown = { earlierPage: 'false', pageMark: false, imported: true, duration: '—' };
    expect(await rowsShown()).toEqual([shown, shown]);
    // Any later render (this toggle's) takes a new "now": a live duration would show it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await revealControl(panel.frame, 'relative-time');
    await panel.frame.click('[data-testid="relative-time"]');
    expect(await rowsShown()).toEqual([shown, shown]);
    const frames = await readFrames(panel.frame);
    expect(frames).toHaveLength(times.length);
    frames.forEach((frame, i) => {
      expect(frame.text).toContain(formatRelative(times[i]! - start));
    });

    const earlier = readdirSync(downloads);
    await revealControl(panel.frame, 'export-har');
    await panel.frame.click('[data-testid="export-har"]');
    const exported = JSON.parse(
      readFileSync(await waitForDownload(downloads, '.har', 20_000, earlier), 'utf8'),
    );
    const [book, refused] = exported.log.entries;
    expect(book.startedDateTime).toBe(written.startedDateTime);
    expect(
      book._webSocketMessages.map((message: { time: number }) => Math.round(message.time * 1e6)),
    ).toEqual(times.map((time) => Math.round(time * 1e3)));
    expect(book._closedAt).toBeUndefined();
    expect(book.response).toMatchObject({ status: 101, statusText: 'Switching Protocols' });
    expect(refused.response).toMatchObject({ status: 403, statusText: 'Forbidden' });
  });

  it.runIf(browserName === 'chromium')(
    "is accepted by Chrome DevTools' own HAR importer, with its WebSocket messages",
    async () => {
      const devtoolsPage = panels[0]!.frame.page();
      const text = readFileSync(harPath, 'utf8');
      const result = await devtoolsPage.evaluate(`(async () => {
      const HAR = await import('./models/har/har.js');
      const root = new HAR.HARFormat.HARRoot(JSON.parse(${JSON.stringify(text)}));
      const requests = HAR.Importer.Importer.requestsFromHARLog(root.log);
      return requests.map((request) => ({
        url: request.url(),
        type: request.resourceType().name(),
        status: request.statusCode,
        frames: request.frames().map((frame) => ({ type: frame.type, opCode: frame.opCode, text: frame.text })),
      }));
    })()`);
      expect(result).toEqual([
        {
          url: `${server.wsOrigin}/echo-har`,
          type: 'websocket',
          status: 101,
          frames: [
            { type: 'send', opCode: 1, text: '{"hello":"har"}' },
            { type: 'send', opCode: 2, text: 'AAEC/f7/' },
            { type: 'send', opCode: 1, text: 'ünïcødé 😀' },
            { type: 'receive', opCode: 1, text: '{"hello":"har"}' },
            { type: 'receive', opCode: 2, text: 'AAEC/f7/' },
            { type: 'receive', opCode: 1, text: 'ünïcødé 😀' },
          ],
        },
      ]);
    },
  );
});
