/**
 * Page-cost benchmark: the same workload in a browser without the extension (A) and one with it
 * (B), interleaved A B A B over several pairs, reported as ratios B/A of the page's own timings.
 */
import type { Page } from 'puppeteer-core';
import { type BrowserName, type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import { type OpenPanel, openStandalonePanel } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

export interface PageCostOptions {
  /** Frames in each burst (sent by the page, and sent to it). */
  burstFrames: number;
  /** Sequential 64-byte echo round trips. */
  echoRoundTrips: number;
  pairs: number;
  panelOpen: boolean;
}

export interface PageTimings {
  /** The page's synchronous loop of `burstFrames` sends, in ms. */
  sendLoopMs: number;
  /** From asking the server for a burst to the page's last message event, in ms. */
  receiveBurstMs: number;
  /** Sequential echo round trips per second. */
  echoPerSecond: number;
}

export interface Ratio {
  min: number;
  median: number;
  max: number;
}

export interface PageCostResult {
  browser: BrowserName;
  panelOpen: boolean;
  options: PageCostOptions;
  without: PageTimings[];
  with: PageTimings[];
  /** with / without for times (above 1 = slower with the extension); without / with for rates. */
  ratios: { sendLoop: Ratio; receiveBurst: Ratio; echo: Ratio };
  /** Extra time per frame in the page's send loop, in nanoseconds (median of pairs). */
  hookNsPerSend: number;
}

async function runWorkload(
  page: Page,
  wsOrigin: string,
  options: PageCostOptions,
): Promise<PageTimings> {
  return page.evaluate(
    async (wsOrigin: string, burstFrames: number, echoRoundTrips: number) => {
      const open = (path: string) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(wsOrigin + path);
          ws.onopen = () => resolve(ws);
          ws.onerror = reject;
        });
      const payload = 'x'.repeat(64);
      const sink = await open('/sink-bench');
      const sendStart = performance.now();
      for (let i = 0; i < burstFrames; i++) sink.send(payload);
      const sendLoopMs = performance.now() - sendStart;
      let received = 0;
      const receiveStart = performance.now();
      await new Promise<void>((resolve) => {
        sink.onmessage = () => {
          if (++received === burstFrames) resolve();
        };
        sink.send(`burst:${burstFrames}:64`);
      });
      const receiveBurstMs = performance.now() - receiveStart;
      sink.close();
      const echo = await open('/echo-bench');
      const echoStart = performance.now();
      for (let i = 0; i < echoRoundTrips; i++) {
        await new Promise((resolve) => {
          echo.onmessage = resolve;
          echo.send(payload);
        });
      }
      const echoPerSecond = echoRoundTrips / ((performance.now() - echoStart) / 1000);
      echo.close();
      return { sendLoopMs, receiveBurstMs, echoPerSecond };
    },
    wsOrigin,
    options.burstFrames,
    options.echoRoundTrips,
  );
}

function ratioOf(values: number[]): Ratio {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

export async function measurePageCost(
  browserName: BrowserName,
  options: PageCostOptions,
): Promise<PageCostResult> {
  const server: TestServer = await startTestServer({ '/': '<!doctype html><title>bench</title>' });
  const launched: LaunchedBrowser[] = [];
  let panel: OpenPanel | undefined;
  try {
    const without = await launchBrowser(browserName, { withExtension: false });
    launched.push(without);
    const withExt = await launchBrowser(browserName, { withExtension: true });
    launched.push(withExt);
    const pageWithout = await without.browser.newPage();
    const pageWith = await withExt.browser.newPage();
    await pageWithout.goto(`${server.origin}/`);
    await pageWith.goto(`${server.origin}/?with`);
    // tsx compiles the page functions with a `__name` helper; give both pages the same no-op.
    for (const page of [pageWithout, pageWith]) await page.evaluate('globalThis.__name = (f) => f');
    if (options.panelOpen) panel = await openStandalonePanel(withExt, pageWith);
    // One unmeasured round each, so both browsers have warmed their JIT and connections.
    const warmUp = {
      ...options,
      burstFrames: Math.min(1000, options.burstFrames),
      echoRoundTrips: 100,
    };
    await runWorkload(pageWithout, server.wsOrigin, warmUp);
    await runWorkload(pageWith, server.wsOrigin, warmUp);
    const a: PageTimings[] = [];
    const b: PageTimings[] = [];
    for (let pair = 0; pair < options.pairs; pair++) {
      a.push(await runWorkload(pageWithout, server.wsOrigin, options));
      b.push(await runWorkload(pageWith, server.wsOrigin, options));
    }
    const pairs = a.map((timings, i) => [timings, b[i]!] as const);
    return {
      browser: browserName,
      panelOpen: options.panelOpen,
      options,
      without: a,
      with: b,
      ratios: {
        sendLoop: ratioOf(pairs.map(([x, y]) => y.sendLoopMs / x.sendLoopMs)),
        receiveBurst: ratioOf(pairs.map(([x, y]) => y.receiveBurstMs / x.receiveBurstMs)),
        echo: ratioOf(pairs.map(([x, y]) => x.echoPerSecond / y.echoPerSecond)),
      },
      hookNsPerSend: ratioOf(
        pairs.map(([x, y]) => ((y.sendLoopMs - x.sendLoopMs) * 1e6) / options.burstFrames),
      ).median,
    };
  } finally {
    await panel?.close().catch(() => undefined);
    for (const browser of launched) await browser.close();
    await server.close();
  }
}
