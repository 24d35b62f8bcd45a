/**
 * Delivery benchmark: how fast small frames can go from the page to an open panel with nothing
 * lost (frames counted at the panel equal frames sent), and how long the panel lags behind the
 * page's last frame. For scale, each phase also gives when the server received the last frame
 * (the browser's own lag), with the extension and in a browser without it.
 */
import type { Frame, Page } from 'puppeteer-core';
import { type BrowserName, launchBrowser } from '../support/launch-browser';
import { openStandalonePanel } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

export interface RatePhase {
  /** Frames per second the page tried to send. */
  rate: number;
  sent: number;
  /** Achieved rate in the page. */
  achievedRate: number;
  /** Every frame reached the panel, with no loss notice. */
  lossless: boolean;
  /** From the page's last send to the panel showing it, in ms (both clocks the browser's). */
  lagMs: number;
  /** From the page's last send to the server receiving it, in ms. */
  wireLagMs: number;
  /** The same, in a browser without the extension. */
  wireLagWithoutMs: number;
}

export interface DeliveryResult {
  browser: BrowserName;
  phases: RatePhase[];
  /** The highest rate of `phases` that was lossless. */
  maxLosslessRate: number;
  burstFrames: number;
  /** From the last frame of a synchronous burst to the panel showing all of it, in ms. */
  burstLagMs: number;
  /** From the burst's last frame to the server receiving it, with and without the extension. */
  burstWireLagMs: number;
  burstWireLagWithoutMs: number;
}

interface Options {
  rates: number[];
  seconds: number;
  burstFrames: number;
}

interface Sent {
  sent: number;
  /** Epoch ms of the last send, by the page's clock. */
  lastSend: number;
  elapsedMs: number;
}

/** Sends 64-byte frames on the page's sink socket at `rate` per second for `seconds`. */
function sendAtRate(page: Page, rate: number, seconds: number): Promise<Sent> {
  return page.evaluate(
    async (rate: number, seconds: number) => {
      const ws = (window as unknown as { sink: WebSocket }).sink;
      const payload = 'y'.repeat(64);
      const start = performance.now();
      let sent = 0;
      while (performance.now() - start < seconds * 1000) {
        const due = Math.floor(((performance.now() - start) / 1000) * rate);
        for (; sent < due; sent++) ws.send(payload);
        // Yield through a MessageChannel, not a timer: timers are clamped (and throttled
        // further should the page ever be hidden), which would pace the sender, not us.
        await new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = resolve;
          channel.port2.postMessage(0);
        });
      }
      const end = performance.now();
      return { sent, lastSend: performance.timeOrigin + end, elapsedMs: end - start };
    },
    rate,
    seconds,
  );
}

/** Sends `frames` one-byte frames in one synchronous loop. */
function sendBurst(page: Page, frames: number): Promise<Sent> {
  return page.evaluate((n: number) => {
    const ws = (window as unknown as { sink: WebSocket }).sink;
    const start = performance.now();
    for (let i = 0; i < n; i++) ws.send('z');
    const end = performance.now();
    return { sent: n, lastSend: performance.timeOrigin + end, elapsedMs: end - start };
  }, frames);
}

async function openSink(page: Page, server: TestServer): Promise<void> {
  await page.goto(`${server.origin}/`);
  await page.evaluate('globalThis.__name = (f) => f');
  await page.evaluate(async (url: string) => {
    const ws = new WebSocket(url);
    (window as unknown as { sink: WebSocket }).sink = ws;
    await new Promise((resolve) => {
      ws.onopen = resolve;
    });
  }, `${server.wsOrigin}/sink-delivery`);
}

/** Waits until the server has `total` frames; returns when (epoch ms) the last one came. */
async function serverReceived(server: TestServer, total: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (server.receivedCount() < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return server.receivedCount() >= total ? server.lastReceivedAt() : Number.NaN;
}

/**
 * Logs, inside the panel, when its frame count changes: the time the panel shows a count is then
 * its own, not when a poll from outside (which a busy browser delays too) happens to see it.
 */
function watchPanelCount(frame: Frame): Promise<void> {
  return frame.evaluate(() => {
    const totals = document.querySelector('[data-testid="totals"]')!;
    const log: [number, number][] = [];
    (window as unknown as { countLog: typeof log }).countLog = log;
    new MutationObserver(() => {
      const count = Number(/(\d+) frames/.exec(totals.textContent ?? '')?.[1] ?? -1);
      log.push([count, performance.timeOrigin + performance.now()]);
    }).observe(totals, { subtree: true, childList: true, characterData: true });
  });
}

/** When (epoch ms, the panel's clock) the panel first showed `total` frames, or NaN. */
async function panelShown(frame: Frame, total: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shownAt = await frame.evaluate((total: number) => {
      const log = (window as unknown as { countLog: [number, number][] }).countLog;
      return log.find(([count]) => count >= total)?.[1] ?? 0;
    }, total);
    if (shownAt) return shownAt;
    if (Date.now() > deadline) return Number.NaN;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function panelFrameCount(frame: Frame): Promise<number> {
  const text = await frame.$eval('[data-testid="totals"]', (element) => element.textContent ?? '');
  return Number(/(\d+) frames/.exec(text)?.[1] ?? -1);
}

/** The browser's own lag to the server for the same phases, without the extension. */
async function measureWireWithout(browserName: BrowserName, options: Options) {
  const server = await startTestServer({ '/': '<!doctype html><title>delivery</title>' });
  const launched = await launchBrowser(browserName, { withExtension: false });
  try {
    const page = await launched.browser.newPage();
    await openSink(page, server);
    let total = 0;
    const lag = async (sending: Promise<Sent>) => {
      const { sent, lastSend } = await sending;
      total += sent;
      return (await serverReceived(server, total, 60_000)) - lastSend;
    };
    const phases: number[] = [];
    for (const rate of options.rates)
      phases.push(await lag(sendAtRate(page, rate, options.seconds)));
    return { phases, burst: await lag(sendBurst(page, options.burstFrames)) };
  } finally {
    await launched.close();
    await server.close();
  }
}

export async function measureDelivery(
  browserName: BrowserName,
  options: Options,
): Promise<DeliveryResult> {
  const { rates, seconds, burstFrames } = options;
  const without = await measureWireWithout(browserName, options);
  const server = await startTestServer({ '/': '<!doctype html><title>delivery</title>' });
  const launched = await launchBrowser(browserName);
  try {
    const page = await launched.browser.newPage();
    await openSink(page, server);
    const panel = await openStandalonePanel(launched, page);
    await watchPanelCount(panel.frame);
    let total = 0;
    const deliver = async (sending: Promise<Sent>) => {
      const { sent, lastSend, elapsedMs } = await sending;
      total += sent;
      const receivedAt = await serverReceived(server, total, 30_000);
      const shownAt = await panelShown(panel.frame, total, 30_000);
      const lossNotice = await panel.frame.$('[data-testid="loss-notice"]');
      return {
        sent,
        elapsedMs,
        lossless: shownAt > 0 && (await panelFrameCount(panel.frame)) === total && !lossNotice,
        lagMs: shownAt - lastSend,
        wireLagMs: receivedAt - lastSend,
      };
    };
    const phases: RatePhase[] = [];
    for (const [index, rate] of rates.entries()) {
      const { sent, elapsedMs, lossless, lagMs, wireLagMs } = await deliver(
        sendAtRate(page, rate, seconds),
      );
      phases.push({
        rate,
        sent,
        achievedRate: sent / (elapsedMs / 1000),
        lossless,
        lagMs,
        wireLagMs,
        wireLagWithoutMs: without.phases[index]!,
      });
    }
    const burst = await deliver(sendBurst(page, burstFrames));
    await panel.close();
    const lossless = phases.filter((phase) => phase.lossless);
    return {
      browser: browserName,
      phases,
      maxLosslessRate: Math.max(0, ...lossless.map((phase) => phase.achievedRate)),
      burstFrames,
      burstLagMs: burst.lagMs,
      burstWireLagMs: burst.wireLagMs,
      burstWireLagWithoutMs: without.burst,
    };
  } finally {
    await launched.close();
    await server.close();
  }
}
