/**
 * Page-cost benchmark: the same workload in a browser without the extension (A) and one with it
 * (B), interleaved over several pairs (A B, B A, A B, ...), reported as ratios of the page's own
 * timings. In Chromium a third variant (C) runs in A's browser with the DevTools protocol's
 * Network domain enabled, as DevTools does while open: Chrome's own capture, the peer to beat.
 */
import type { CDPSession, Page } from 'puppeteer-core';
import { type BrowserName, type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import { type OpenPanel, openStandalonePanel } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';
import { type InPageCosts, measureInPage } from './in-page-cost';
import { type Ratio, ratioOf } from './ratio';

export interface PageCostOptions {
  /** Frames in each burst (sent by the page, and sent to it). */
  burstFrames: number;
  /** 64-byte messages echoed, pipelined (64 in flight). */
  smallEchoes: number;
  /** 1 MiB messages echoed one after another. */
  bigEchoes: number;
  pairs: number;
  panelOpen: boolean;
  /** Sockets per round of `new WebSocket()` + `close()` (see in-page-cost.ts). */
  sockets: number;
  /** Rounds of each in-page timing per browser, alternating between the two. */
  socketRounds: number;
  /** Sends and received messages per in-page round. */
  inPageFrames: number;
}

export interface PageTimings {
  /** The page's synchronous loop of `burstFrames` sends, in ms. */
  sendLoopMs: number;
  /** From asking the server for a burst to the page's last message event, in ms. */
  receiveBurstMs: number;
  /** 64-byte echo round trips per second. */
  smallEchoPerSecond: number;
  /** 1 MiB echo round trips per second. */
  bigEchoPerSecond: number;
}

export interface PageRatios {
  sendLoop: Ratio;
  receiveBurst: Ratio;
  smallEcho: Ratio;
  bigEcho: Ratio;
}

export interface PageCostResult {
  browser: BrowserName;
  panelOpen: boolean;
  options: PageCostOptions;
  without: PageTimings[];
  with: PageTimings[];
  /** Chromium only: A's browser with the Network domain enabled. */
  chromeCapture?: PageTimings[];
  /** Above 1 = the page is slower with Sockscope (times: B/A; rates: A/B). */
  ratios: PageRatios;
  /** The same for Chrome's own capture against no capture. */
  chromeCaptureRatios?: PageRatios;
  /**
   * `new WebSocket()` + `close()`, `send()` and a received message's dispatch, timed in the page
   * in rounds alternating between A and B (in-page-cost.ts): the hook's cost per operation.
   */
  inPage: InPageCosts;
}

async function runWorkload(
  page: Page,
  wsOrigin: string,
  options: PageCostOptions,
): Promise<PageTimings> {
  return page.evaluate(
    async (wsOrigin: string, burstFrames: number, smallEchoes: number, bigEchoes: number) => {
      const open = (path: string) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(wsOrigin + path);
          ws.binaryType = 'arraybuffer';
          ws.onopen = () => resolve(ws);
          ws.onerror = reject;
        });
      const small = 'x'.repeat(64);
      const sink = await open('/sink-bench');
      const sendStart = performance.now();
      for (let i = 0; i < burstFrames; i++) sink.send(small);
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
      let sent = 0;
      let echoed = 0;
      const smallStart = performance.now();
      await new Promise<void>((resolve) => {
        echo.onmessage = () => {
          echoed++;
          if (sent < smallEchoes) {
            echo.send(small);
            sent++;
          } else if (echoed === smallEchoes) resolve();
        };
        for (; sent < Math.min(64, smallEchoes); sent++) echo.send(small);
      });
      const smallEchoPerSecond = smallEchoes / ((performance.now() - smallStart) / 1000);

      // Varied bytes, like real binary payloads: encoders (base64, Chrome's capture's too) run
      // much faster over one repeated byte.
      const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 7919 + (i >> 12)) & 255);
      const bigStart = performance.now();
      for (let i = 0; i < bigEchoes; i++) {
        await new Promise((resolve) => {
          echo.onmessage = resolve;
          echo.send(big);
        });
      }
      const bigEchoPerSecond = bigEchoes / ((performance.now() - bigStart) / 1000);
      echo.close();

      return {
        sendLoopMs,
        receiveBurstMs,
        smallEchoPerSecond,
        bigEchoPerSecond,
      };
    },
    wsOrigin,
    options.burstFrames,
    options.smallEchoes,
    options.bigEchoes,
  );
}

/** The median over pairs of what the extension added to one timing, per frame, in ns. */
function ratiosOf(base: PageTimings[], other: PageTimings[]): PageRatios {
  const pairs = base.map((timings, i) => [timings, other[i]!] as const);
  return {
    sendLoop: ratioOf(pairs.map(([a, b]) => b.sendLoopMs / Math.max(a.sendLoopMs, 0.001))),
    receiveBurst: ratioOf(pairs.map(([a, b]) => b.receiveBurstMs / a.receiveBurstMs)),
    smallEcho: ratioOf(pairs.map(([a, b]) => a.smallEchoPerSecond / b.smallEchoPerSecond)),
    bigEcho: ratioOf(pairs.map(([a, b]) => a.bigEchoPerSecond / b.bigEchoPerSecond)),
  };
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
    const network: CDPSession | undefined =
      browserName === 'chromium' ? await pageWithout.createCDPSession() : undefined;
    // One unmeasured round each, so both browsers have warmed their JIT and connections.
    const warmUp = {
      ...options,
      burstFrames: Math.min(1000, options.burstFrames),
      smallEchoes: 200,
      bigEchoes: 1,
    };
    await runWorkload(pageWithout, server.wsOrigin, warmUp);
    await runWorkload(pageWith, server.wsOrigin, warmUp);
    const a: PageTimings[] = [];
    const b: PageTimings[] = [];
    const c: PageTimings[] = [];
    const runs: Array<() => Promise<void>> = [
      async () => {
        a.push(await runWorkload(pageWithout, server.wsOrigin, options));
      },
      async () => {
        b.push(await runWorkload(pageWith, server.wsOrigin, options));
      },
    ];
    if (network) {
      runs.push(async () => {
        await network.send('Network.enable', {
          maxTotalBufferSize: 100_000_000,
          maxResourceBufferSize: 10_000_000,
        });
        c.push(await runWorkload(pageWithout, server.wsOrigin, options));
        await network.send('Network.disable');
      });
    }
    for (let pair = 0; pair < options.pairs; pair++) {
      // Every other pair runs in the opposite order (A B, B A, ...): whatever favours the first
      // or the later run of a pair (the echo server's garbage, the machine's drift) weighs on
      // both sides alike.
      for (const run of pair % 2 === 0 ? runs : [...runs].reverse()) await run();
    }
    const inPage = await measureInPage(pageWithout, pageWith, server.wsOrigin, {
      sockets: options.sockets,
      frames: options.inPageFrames,
      rounds: options.socketRounds,
    });
    const result: PageCostResult = {
      browser: browserName,
      panelOpen: options.panelOpen,
      options,
      without: a,
      with: b,
      ratios: ratiosOf(a, b),
      inPage,
    };
    if (network) {
      result.chromeCapture = c;
      result.chromeCaptureRatios = ratiosOf(a, c);
    }
    return result;
  } finally {
    await panel?.close().catch(() => undefined);
    for (const browser of launched) await browser.close();
    await server.close();
  }
}
