import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  inExtensionPage,
  type OpenPanel,
  openPanel,
  openSection,
  readFrames,
  selectConnection,
  typeFilter,
  waitForFrameCount,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/** A Socket.IO-shaped socket (echoed) and a JSON-RPC one (answered by the server). */
const PAGE = `<!doctype html><title>decoders</title><script>
  const base = 'ws://' + location.host;
  window.done = Promise.all([
    new Promise((resolve) => {
      const io = new WebSocket(base + '/socket.io/?EIO=4&transport=websocket');
      io.onopen = () => io.send('42["chat",{"text":"hi"}]');
      io.onmessage = resolve;
    }),
    new Promise((resolve) => {
      // A protobuf Tick { symbol = "ACME" (1), seq = 7 (2) }, echoed back.
      const proto = new WebSocket(base + '/echo-proto');
      proto.onopen = () => proto.send(new Uint8Array([0x0a, 4, 0x41, 0x43, 0x4d, 0x45, 0x10, 7]));
      proto.onmessage = resolve;
    }),
    new Promise((resolve) => {
      const rpc = new WebSocket(base + '/json-rpc');
      rpc.onopen = () => rpc.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sum', params: [1, 2] }));
      rpc.onmessage = resolve;
    }),
  ]);
</script>`;

describe.each(e2eBrowsers())('protocol decoders in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;

  beforeAll(async () => {
    server = await startTestServer({ '/': PAGE });
    launched = await launchBrowser(browserName);
    await inExtensionPage(
      launched,
      `await api.storage.local.remove(['decodeAs', 'protoSchema', 'protoMappings']);`,
    );
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => (window as unknown as { done: Promise<void> }).done);
    panel = await openPanel(launched, page);
    await waitForFrameCount(panel.frame, ({ total }) => total === 6);
  });
  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it('shows each frame as its protocol reads it, detected from the URL and the frames', async () => {
    const texts = (await readFrames(panel.frame)).map((frame) => frame.text);
    expect(texts.filter((text) => text.includes('EVENT chat'))).toHaveLength(2);
    expect(texts.some((text) => text.includes('request sum [1,2]'))).toBe(true);
    expect(texts.some((text) => text.includes('result "sum"'))).toBe(true);
  });

  it('filters by a decoded field: the event name, the JSON-RPC method', async () => {
    await typeFilter(panel.frame, 'event:chat');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 2);
    await typeFilter(panel.frame, 'method:sum');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 1);
    await typeFilter(panel.frame, '');
    await waitForFrameCount(panel.frame, ({ shown, total }) => total === 6 && shown === 6);
  });

  it('pairs a request with its reply and says how long the reply took', async () => {
    await clickFrameRow(panel.frame, 'request sum');
    await panel.frame.waitForSelector('[data-testid="decoded"]');
    const type = await panel.frame.$eval('[data-testid="decoded-type"]', (el) => el.textContent);
    expect(type).toBe('request');
    const pairing = await panel.frame.$eval('[data-testid="pairing"]', (el) => el.textContent);
    expect(pairing).toMatch(/^reply after /);
    // The reply is marked in the table, with its delay in the Latency column.
    const partner = await panel.frame.$eval('.frame-row.partner', (row) => ({
      text: (row as HTMLElement).innerText,
      latency: row.querySelector('.latency')?.textContent ?? '',
    }));
    expect(partner.text).toContain('result "sum"');
    expect(partner.latency).toMatch(/^\+/);
    await panel.frame.click('[data-testid="pair-link"]');
    await panel.frame.waitForFunction(
      () => document.querySelector('[data-testid="decoded-type"]')?.textContent === 'result',
    );
  });

  it('reads protobuf frames by a .proto schema the user loads, for that URL and direction', async () => {
    const port = new URL(server.origin).port;
    await selectConnection(panel.frame, `ws://127.0.0.1:${port}/echo-proto`);
    await openSection(panel.frame, 'connection-actions');
    await panel.frame.select('[data-testid="decode-as"]', 'protobuf-schema');
    const dir = mkdtempSync(join(tmpdir(), 'proto-'));
    const file = join(dir, 'tick.proto');
    writeFileSync(
      file,
      'syntax = "proto3";\npackage demo;\nmessage Tick { string symbol = 1; int32 seq = 2; }\n',
    );
    const input = (await panel.frame.waitForSelector('[data-testid="proto-files"]'))!;
    await (input as ElementHandle<HTMLInputElement>).uploadFile(file);
    await panel.frame.waitForSelector('[data-testid="proto-type-sent"]');
    await panel.frame.select('[data-testid="proto-type-sent"]', 'demo.Tick');
    await panel.frame.select('[data-testid="proto-type-received"]', 'demo.Tick');
    await panel.frame.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="frame"]')].some((row) =>
        (row as HTMLElement).innerText.includes('symbol="ACME"'),
      ),
    );
    const texts = (await readFrames(panel.frame)).map((frame) => frame.text);
    expect(
      texts.filter((text) => text.includes('symbol="ACME"') && text.includes('seq=7')),
    ).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
    await selectConnection(panel.frame, null);
  });

  it('reads a connection raw when the user says so, and remembers it for that URL', async () => {
    const port = new URL(server.origin).port;
    await selectConnection(
      panel.frame,
      `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`,
    );
    await openSection(panel.frame, 'connection-actions');
    await panel.frame.select('[data-testid="decode-as"]', 'none');
    await panel.frame.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="frame"]')].some((row) =>
        (row as HTMLElement).innerText.includes('42["chat"'),
      ),
    );
    // The choice is saved as it is made; wait for the write before closing, as a user would.
    for (let attempt = 0; ; attempt++) {
      const saved = await inExtensionPage<string>(
        launched,
        `return JSON.stringify((await api.storage.local.get('decodeAs')).decodeAs ?? {});`,
      );
      if (saved.includes('"none"')) break;
      if (attempt > 50) throw new Error(`the choice was never saved: ${saved}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await panel.close();
    panel = await openPanel(launched, page);
    await waitForFrameCount(panel.frame, ({ total }) => total === 6);
    const texts = (await readFrames(panel.frame)).map((frame) => frame.text);
    expect(texts.filter((text) => text.includes('42["chat"'))).toHaveLength(2);
    expect(texts.some((text) => text.includes('request sum [1,2]'))).toBe(true);
  });
});
