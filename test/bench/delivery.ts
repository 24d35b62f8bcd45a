/**
 * Delivery benchmark: how fast small frames can go from the page to an open panel with nothing
 * lost (frames counted at the panel equal frames sent), and how long the panel lags behind the
 * page's last frame after a burst.
 */
import type { Frame } from 'puppeteer-core';
import { type BrowserName, launchBrowser } from '../support/launch-browser';
import { openStandalonePanel } from '../support/panel-driver';
import { startTestServer } from '../support/ws-test-server';

export interface RatePhase {
  /** Frames per second the page tried to send. */
  rate: number;
  sent: number;
  /** Achieved rate in the page. */
  achievedRate: number;
  /** Every frame reached the panel, with no loss notice. */
  lossless: boolean;
  /** From the page's last send to the panel showing it, in ms. */
  lagMs: number;
}

export interface DeliveryResult {
  browser: BrowserName;
  phases: RatePhase[];
  /** The highest rate of `phases` that was lossless. */
  maxLosslessRate: number;
  burstFrames: number;
  /** From the last frame of a synchronous burst to the panel showing all of it, in ms. */
  burstLagMs: number;
}

async function panelFrameCount(frame: Frame): Promise<number> {
  const text = await frame.$eval('[data-testid="totals"]', (element) => element.textContent ?? '');
  return Number(/(\d+) frames/.exec(text)?.[1] ?? -1);
}

async function waitForCount(frame: Frame, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await panelFrameCount(frame)) >= expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

export async function measureDelivery(
  browserName: BrowserName,
  { rates, seconds, burstFrames }: { rates: number[]; seconds: number; burstFrames: number },
): Promise<DeliveryResult> {
  const server = await startTestServer({ '/': '<!doctype html><title>delivery</title>' });
  const launched = await launchBrowser(browserName);
  try {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(async (url: string) => {
      const ws = new WebSocket(url);
      (window as unknown as { sink: WebSocket }).sink = ws;
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
    }, `${server.wsOrigin}/sink-delivery`);
    const panel = await openStandalonePanel(launched, page);
    let total = 0;
    const phases: RatePhase[] = [];
    for (const rate of rates) {
      const { sent, lastSend, elapsedMs } = await page.evaluate(
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
          return {
            sent,
            lastSend: performance.timeOrigin + performance.now(),
            elapsedMs: performance.now() - start,
          };
        },
        rate,
        seconds,
      );
      total += sent;
      const arrived = await waitForCount(panel.frame, total, 15_000);
      const lagMs = Date.now() - lastSend;
      const lossNotice = await panel.frame.$('[data-testid="loss-notice"]');
      const count = await panelFrameCount(panel.frame);
      phases.push({
        rate,
        sent,
        achievedRate: sent / (elapsedMs / 1000),
        lossless: arrived && count === total && !lossNotice,
        lagMs,
      });
    }
    const lastSend = await page.evaluate((n: number) => {
      const ws = (window as unknown as { sink: WebSocket }).sink;
      for (let i = 0; i < n; i++) ws.send('z');
      return performance.timeOrigin + performance.now();
    }, burstFrames);
    total += burstFrames;
    await waitForCount(panel.frame, total, 60_000);
    const burstLagMs = Date.now() - lastSend;
    await panel.close();
    const lossless = phases.filter((phase) => phase.lossless);
    return {
      browser: browserName,
      phases,
      maxLosslessRate: Math.max(0, ...lossless.map((phase) => phase.achievedRate)),
      burstFrames,
      burstLagMs,
    };
  } finally {
    await launched.close();
    await server.close();
  }
}
