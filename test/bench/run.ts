/**
 * `npm run bench [-- --smoke] [--out FILE] [--browsers chromium,firefox]`
 * Prints one table and writes the full results as JSON (default bench-results.json).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BrowserName } from '../support/launch-browser';
import { measurePageCost, type PageCostResult } from './page-cost';
import { measurePanel } from './panel-bench';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
    browsers: { type: 'string', default: 'chromium,firefox' },
  },
});

const browsers = values.browsers.split(',') as BrowserName[];
const sizes = values.smoke
  ? { burstFrames: 3000, echoRoundTrips: 50, pairs: 2 }
  : { burstFrames: 10_000, echoRoundTrips: 5_000, pairs: 5 };

const results: PageCostResult[] = [];
for (const browser of browsers) {
  for (const panelOpen of [false, true]) {
    console.error(`measuring ${browser}, panel ${panelOpen ? 'open' : 'closed'} ...`);
    results.push(await measurePageCost(browser, { ...sizes, panelOpen }));
  }
}

const fmt = (n: number) => n.toFixed(3);
console.log(
  `\nPage cost with / without Sockscope (${sizes.pairs} interleaved pairs; 1.000 = no cost)`,
);
console.log(
  'browser   panel   send loop (min/med/max)   receive burst (min/med/max)   echo (min/med/max)   hook ns/send',
);
for (const r of results) {
  const triple = (ratio: { min: number; median: number; max: number }) =>
    `${fmt(ratio.min)}/${fmt(ratio.median)}/${fmt(ratio.max)}`;
  console.log(
    [
      r.browser.padEnd(9),
      (r.panelOpen ? 'open' : 'closed').padEnd(7),
      triple(r.ratios.sendLoop).padEnd(25),
      triple(r.ratios.receiveBurst).padEnd(29),
      triple(r.ratios.echo).padEnd(20),
      r.hookNsPerSend.toFixed(0),
    ].join(' '),
  );
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log('\nAbsolute medians (without -> with):');
for (const r of results) {
  console.log(
    `${r.browser} panel ${r.panelOpen ? 'open' : 'closed'}: send loop ${median(r.without.map((t) => t.sendLoopMs)).toFixed(1)} -> ${median(r.with.map((t) => t.sendLoopMs)).toFixed(1)} ms; ` +
      `receive burst ${median(r.without.map((t) => t.receiveBurstMs)).toFixed(1)} -> ${median(r.with.map((t) => t.receiveBurstMs)).toFixed(1)} ms; ` +
      `echo ${median(r.without.map((t) => t.echoPerSecond)).toFixed(0)} -> ${median(r.with.map((t) => t.echoPerSecond)).toFixed(0)} /s`,
  );
}
const panelFrames = values.smoke ? 20_000 : 1_000_000;
console.error(`measuring the panel with ${panelFrames} frames (Chromium) ...`);
const panel = await measurePanel(panelFrames);
const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(`\nPanel with ${panel.frames.toLocaleString('en')} frames (Chromium):`);
console.log(`  load ${ms(panel.loadMs)}, first render ${ms(panel.firstRenderMs)}`);
console.log(
  `  text filter ${ms(panel.textFilterMs)} (${panel.textFilterMatches} matches; bare scan ${ms(panel.textScanMs)})`,
);
console.log(
  `  regex filter ${ms(panel.regexFilterMs)} first, ${ms(panel.regexFilterWarmMs)} after (${panel.regexFilterMatches} matches)`,
);
console.log(
  `  scroll frame time median ${panel.scrollFrameMsMedian.toFixed(1)} ms, p95 ${panel.scrollFrameMsP95.toFixed(1)} ms`,
);
if (panel.bytesPer100k !== null) {
  console.log(`  memory ${(panel.bytesPer100k / 1024 / 1024).toFixed(1)} MiB per 100,000 frames`);
}

writeFileSync(
  values.out,
  `${JSON.stringify({ date: new Date().toISOString(), sizes, results, panel }, null, 2)}\n`,
);
console.log(`\nJSON: ${values.out}`);
