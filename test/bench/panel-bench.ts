/**
 * Panel benchmark: builds a page with the panel's real UI, loads N synthetic frames into it in
 * Chromium, and reports load and first-render time, filter times, scroll frame time and memory.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import preact from '@preact/preset-vite';
import puppeteer from 'puppeteer-core';
import { build } from 'vite';
import { findBrowser } from '../support/find-browser';
import type { PanelBenchResult } from './panel-bench-page';

export type { PanelBenchResult };

const OUT_DIR = resolve('dist/bench');

export async function measurePanel(frameCount: number): Promise<PanelBenchResult> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: resolve('test/bench'),
    base: './',
    plugins: [preact()],
    build: {
      outDir: OUT_DIR,
      emptyOutDir: true,
      rollupOptions: { input: resolve('test/bench/panel-bench.html') },
    },
  });
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    try {
      const body = readFileSync(join(OUT_DIR, path === '/' ? 'panel-bench.html' : path));
      const type = path.endsWith('.js')
        ? 'text/javascript'
        : path.endsWith('.css')
          ? 'text/css'
          : 'text/html';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const browser = await puppeteer.launch({
    executablePath: findBrowser('chromium'),
    headless: true,
    pipe: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
    protocolTimeout: 600_000,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'runPanelBench' in window);
    return await page.evaluate(
      (count: number) =>
        (
          window as unknown as { runPanelBench(n: number): Promise<PanelBenchResult> }
        ).runPanelBench(count),
      frameCount,
    );
  } finally {
    await browser.close();
    server.close();
  }
}
