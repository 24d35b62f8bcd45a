/**
 * Page-side memory with the panel closed: the page's JS heap (which includes the relay's isolated
 * world and its backlog) after sending N small frames, with vs without the extension (Chromium,
 * which reports heap size precisely when asked to).
 */
import type { Page } from 'puppeteer-core';
import { launchBrowser } from '../support/launch-browser';
import { startTestServer } from '../support/ws-test-server';

export interface PageMemoryResult {
  frames: number;
  /** Heap growth in bytes after sending the frames and a garbage collection. */
  withoutExtension: number;
  withExtension: number;
}

async function heapGrowth(page: Page, url: string, frames: number): Promise<number> {
  return page.evaluate(
    async (url: string, frames: number) => {
      const scope = globalThis as unknown as {
        gc?: () => void;
        performance: Performance & { memory: { usedJSHeapSize: number } };
      };
      const settle = async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        scope.gc?.();
        return scope.performance.memory.usedJSHeapSize;
      };
      const ws = new WebSocket(url);
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      const before = await settle();
      const payload = 'm'.repeat(64);
      for (let sent = 0; sent < frames; ) {
        for (let i = 0; i < 10_000 && sent < frames; i++, sent++) ws.send(payload);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const after = await settle();
      ws.close();
      return after - before;
    },
    url,
    frames,
  );
}

export async function measurePageMemory(frames: number): Promise<PageMemoryResult> {
  const server = await startTestServer({ '/': '<!doctype html><title>memory</title>' });
  const args = ['--enable-precise-memory-info', '--js-flags=--expose-gc'];
  const results: number[] = [];
  try {
    for (const withExtension of [false, true]) {
      const launched = await launchBrowser('chromium', { withExtension, chromiumArgs: args });
      try {
        const page = await launched.browser.newPage();
        await page.goto(`${server.origin}/`);
        await page.evaluate('globalThis.__name = (f) => f');
        results.push(await heapGrowth(page, `${server.wsOrigin}/sink-memory`, frames));
      } finally {
        await launched.close();
      }
    }
  } finally {
    await server.close();
  }
  return { frames, withoutExtension: results[0]!, withExtension: results[1]! };
}
