/**
 * `npm run bench [-- --smoke] [--out FILE] [--browsers chromium,firefox] [--small-echoes N] [--pairs N]`
 * Prints one report and writes the full results as JSON (default bench-results.json):
 * page cost (with vs without, panel closed and open, and Chrome's own capture), delivery to an
 * open panel, page-side memory, and the panel with a million frames.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BrowserName } from '../support/launch-browser';
import { type DeliveryResult, measureDelivery } from './delivery';
import { measurePageCost, type PageCostResult, type PageRatios } from './page-cost';
import { measurePageMemory } from './page-memory';
import { measurePanel } from './panel-bench';
import type { Ratio } from './ratio';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
    browsers: { type: 'string', default: 'chromium,firefox' },
    'small-echoes': { type: 'string' },
    pairs: { type: 'string' },
  },
});

const browsers = values.browsers.split(',') as BrowserName[];
const smoke = values.smoke;
const sizes = smoke
  ? {
      burstFrames: 3000,
      smallEchoes: 500,
      bigEchoes: 2,
      pairs: 2,
      sockets: 50,
      socketRounds: 2,
      inPageFrames: 500,
    }
  : {
      burstFrames: 10_000,
      smallEchoes: 100_000,
      bigEchoes: 20,
      pairs: 5,
      sockets: 100,
      socketRounds: 15,
      inPageFrames: 2000,
    };
// A full run takes about 10 minutes per browser and panel state; these shorten it.
if (values['small-echoes']) sizes.smallEchoes = Number(values['small-echoes']);
if (values.pairs) sizes.pairs = Number(values.pairs);

const pageCost: PageCostResult[] = [];
for (const browser of browsers) {
  for (const panelOpen of [false, true]) {
    console.error(`page cost: ${browser}, panel ${panelOpen ? 'open' : 'closed'} ...`);
    pageCost.push(await measurePageCost(browser, { ...sizes, panelOpen }));
  }
}
const delivery: DeliveryResult[] = [];
for (const browser of browsers) {
  console.error(`delivery: ${browser} ...`);
  delivery.push(
    await measureDelivery(browser, {
      rates: smoke ? [2_000] : [10_000, 25_000, 50_000, 100_000],
      seconds: smoke ? 0.5 : 2,
      burstFrames: smoke ? 2_000 : 100_000,
    }),
  );
}
console.error('page memory (Chromium) ...');
const memory = browsers.includes('chromium')
  ? await measurePageMemory(smoke ? 20_000 : 1_000_000)
  : undefined;
const panelFrames = smoke ? 20_000 : 1_000_000;
console.error(`panel with ${panelFrames} frames (Chromium) ...`);
const panel = await measurePanel(panelFrames);

const fmt = (ratio: Ratio) =>
  `${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)})`;
const row = (label: string, ratios: PageRatios, construct: Ratio | undefined) =>
  `${label.padEnd(26)} ${fmt(ratios.sendLoop).padEnd(18)} ${fmt(ratios.receiveBurst).padEnd(18)} ${fmt(ratios.smallEcho).padEnd(18)} ${fmt(ratios.bigEcho).padEnd(18)} ${construct ? fmt(construct) : '—'}`;
console.log(
  `\n1. Page cost, median (min-max) of ${sizes.pairs} interleaved pairs (new + close(): of ${sizes.socketRounds} alternating rounds of ${sizes.sockets}); 1.00 = no cost, above = slower`,
);
console.log(
  `${''.padEnd(26)} ${'send loop'.padEnd(18)} ${'receive burst'.padEnd(18)} ${'64 B echoes'.padEnd(18)} ${'1 MiB echoes'.padEnd(18)} new + close()`,
);
for (const r of pageCost) {
  console.log(
    row(
      `${r.browser}, panel ${r.panelOpen ? 'open' : 'closed'}`,
      r.ratios,
      r.inPage.construction.ratio,
    ),
  );
  if (r.chromeCaptureRatios && !r.panelOpen)
    console.log(row(`${r.browser}, Chrome's capture`, r.chromeCaptureRatios, undefined));
}
const us = (ns: number) => `${(ns / 1000).toFixed(1)}`;
const added = (ratio: Ratio) =>
  `+${us(ratio.median)} µs (${us(ratio.min)} to ${us(ratio.max)})`.padEnd(28);
console.log(
  `\n   The hook's cost per operation, timed in the page (${sizes.socketRounds} alternating rounds; ${sizes.inPageFrames} sends or messages, ${sizes.sockets} sockets per round), with minus without, median (min to max):`,
);
console.log(
  `${''.padEnd(26)} ${'send() 64 B'.padEnd(28)} ${'message dispatch'.padEnd(28)} ${'new + close()'.padEnd(28)} ${"of which the initiator's stack".padEnd(30)} the page making the hook's calls itself`,
);
for (const r of pageCost) {
  const { send, dispatch, construction, stack, floor } = r.inPage;
  console.log(
    `${`${r.browser}, panel ${r.panelOpen ? 'open' : 'closed'}`.padEnd(26)} ${added(send.addedNs)} ${added(dispatch.addedNs)} ${added(construction.addedNs)} ${added(stack.addedNs).padEnd(30)} ${added(floor.addedNs)}`,
  );
}
const ms = (n: number) => `${n.toFixed(0)} ms`;
const wire = (withExtension: number, without: number) =>
  `to the server ${ms(withExtension)}, ${ms(without)} without the extension`;
console.log(
  "\n2. Delivery to an open panel (64-byte frames); lag = the page's last send to the panel showing it",
);
for (const d of delivery) {
  const phases = d.phases
    .map(
      (p) =>
        `${p.rate}/s: ${p.lossless ? 'lossless' : 'LOSS'}, achieved ${p.achievedRate.toFixed(0)}/s, lag ${ms(p.lagMs)} (${wire(p.wireLagMs, p.wireLagWithoutMs)})`,
    )
    .join('; ');
  console.log(`${d.browser}: max lossless ${d.maxLosslessRate.toFixed(0)} frames/s; ${phases}`);
  console.log(
    `${d.browser}: lag after a ${d.burstFrames}-frame burst: ${ms(d.burstLagMs)} (${wire(d.burstWireLagMs, d.burstWireLagWithoutMs)})`,
  );
}
if (memory) {
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `\n3. Page heap growth after ${memory.frames.toLocaleString('en')} frames, panel closed (Chromium): ${mib(memory.withoutExtension)} without, ${mib(memory.withExtension)} with the extension`,
  );
}
console.log(`\n4. Panel with ${panel.frames.toLocaleString('en')} frames (Chromium):`);
console.log(`  load ${ms(panel.loadMs)}, first render ${ms(panel.firstRenderMs)}`);
console.log(
  `  text filter ${ms(panel.textFilterMs)} (${panel.textFilterMatches} matches; bare scan ${ms(panel.textScanMs)})`,
);
console.log(
  `  binary frames' searched hex built ahead (the panel's idle time) ${ms(panel.searchAheadMs)}; regex filter then ${ms(panel.regexFilterMs)} first, ${ms(panel.regexFilterWarmMs)} after (${panel.regexFilterMatches} matches)`,
);
console.log(
  `  scroll frame time median ${panel.scrollFrameMsMedian.toFixed(1)} ms, p95 ${panel.scrollFrameMsP95.toFixed(1)} ms`,
);
if (panel.bytesPer100k !== null)
  console.log(`  memory ${(panel.bytesPer100k / 1024 / 1024).toFixed(1)} MiB per 100,000 frames`);
console.log(
  `  decoding as many Socket.IO frames ahead (the panel's idle time) ${ms(panel.decodeAheadMs)}; decoded-field filter (event:chat) then ${ms(panel.decodedFilterMs)} first, ${ms(panel.decodedFilterWarmMs)} after (${panel.decodedFilterMatches} matches)`,
);
console.log(
  `  the session store taking them in time order ${ms(panel.inOrderLoadMs)}; merged from two documents' overlapping batches ${ms(panel.mergeLoadMs)}`,
);

writeFileSync(
  values.out,
  `${JSON.stringify({ date: new Date().toISOString(), sizes, pageCost, delivery, memory, panel }, null, 2)}\n`,
);
console.log(`\nJSON: ${values.out}`);
