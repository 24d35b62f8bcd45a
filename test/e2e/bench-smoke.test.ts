import { describe, expect, it } from 'vitest';
import { measureDelivery } from '../bench/delivery';
import { measurePageCost } from '../bench/page-cost';
import { measurePanel } from '../bench/panel-bench';
import { e2eBrowsers } from '../support/e2e-browsers';

// A tiny run of the benchmark, so that `npm run bench` cannot rot unnoticed. Large enough for
// Firefox's coarse performance.now() (1 ms) to measure the send loop.
describe.each(e2eBrowsers())('benchmark smoke run in %s', (browserName) => {
  it('measures the page with and without the extension and reports ratios', async () => {
    const result = await measurePageCost(browserName, {
      burstFrames: 3000,
      smallEchoes: 200,
      bigEchoes: 1,
      pairs: 1,
      panelOpen: true,
      sockets: 20,
      socketRounds: 2,
      inPageFrames: 200,
    });
    expect(result.with).toHaveLength(1);
    expect(result.without).toHaveLength(1);
    for (const ratio of Object.values(result.ratios)) {
      expect(Number.isFinite(ratio.median) && ratio.median > 0).toBe(true);
    }
    // Differences of two timings: finite, of either sign on a noisy machine. A round's own time
    // may be 0: the dispatch sums gaps below the clock's resolution (100 µs in Chromium pages).
    const { construction, send, dispatch, stack, floor } = result.inPage;
    for (const cost of [construction, send, dispatch, stack, floor]) {
      expect(Number.isFinite(cost.addedNs.median)).toBe(true);
      expect(cost.withoutUs).toHaveLength(2);
      expect(cost.withUs.every((us) => Number.isFinite(us) && us >= 0)).toBe(true);
    }
  });
});

describe('panel benchmark smoke run', () => {
  it('loads frames into the real panel UI and measures it', async () => {
    const result = await measurePanel(5_000);
    expect(result.frames).toBe(5_000);
    expect(result.textFilterMatches).toBe(5);
    expect(result.regexFilterMatches).toBeGreaterThan(0);
    expect(result.scrollFrameMsMedian).toBeGreaterThan(0);
  });
});

describe.each(e2eBrowsers())('delivery benchmark smoke run in %s', (browserName) => {
  it('counts every frame at the panel and measures the lag', async () => {
    const result = await measureDelivery(browserName, {
      rates: [1_000],
      seconds: 0.3,
      burstFrames: 500,
    });
    const [phase] = result.phases;
    expect(phase!.lossless).toBe(true);
    // The server has every frame, with the extension and without it.
    expect(phase!.wireLagMs).not.toBeNaN();
    expect(phase!.wireLagWithoutMs).not.toBeNaN();
    expect(result.burstLagMs).toBeGreaterThan(0);
    expect(result.burstWireLagWithoutMs).not.toBeNaN();
  });
});
