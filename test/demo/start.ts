/**
 * `npm start [-- --browser chromium|firefox] [--headless] [--screenshot FILE] [--port N] [--no-build]`
 *
 * Builds the extension, serves the demo site on 127.0.0.1, and opens a browser with Sockscope
 * loaded on the demo page and its WebSockets panel showing: in Chromium inside real DevTools; in
 * Firefox as the standalone panel tab next to the page (and DevTools opened for you to pick the
 * panel). With --headless it waits for live traffic, writes a screenshot of the panel and exits.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/launch-browser';
import { openDevToolsPanel, openStandalonePanel } from '../support/panel-driver';
import { startDemoServer } from './demo-server';

const { values } = parseArgs({
  options: {
    browser: { type: 'string', default: 'chromium' },
    headless: { type: 'boolean', default: false },
    screenshot: { type: 'string' },
    port: { type: 'string', default: '0' },
    'no-build': { type: 'boolean', default: false },
  },
});

const browserName =
  values.browser === 'firefox'
    ? 'firefox'
    : values.browser === 'chromium' || values.browser === 'chrome'
      ? 'chromium'
      : undefined;
if (!browserName) {
  console.error(`--browser must be chromium or firefox, not ${values.browser}`);
  process.exit(2);
}
const headless = values.headless || (!process.env.DISPLAY && process.platform === 'linux');
if (headless && !values.headless) console.log('No display found: running headless.');

if (!values['no-build']) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const demo = await startDemoServer(Number(values.port));
console.log(`Demo site: ${demo.url}`);
const launched = await launchBrowser(browserName, { headless, firefoxDevTools: !headless });
const shutdown = async () => {
  await launched.close();
  await demo.close();
};
process.on('SIGINT', () => void shutdown().then(() => process.exit(0)));
process.on('SIGTERM', () => void shutdown().then(() => process.exit(0)));

try {
  const page = (await launched.browser.pages())[0] ?? (await launched.browser.newPage());
  await page.goto(demo.url);
  const panel =
    browserName === 'chromium' && !headless
      ? await openDevToolsPanel(launched, page)
      : await openStandalonePanel(launched, page);
  console.log(`Sockscope is loaded in ${browserName}; the WebSockets panel shows ${demo.url}`);
  if (headless) {
    // Let the demo produce every kind of traffic, including the server's close and the failure.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const file = values.screenshot ?? `sockscope-demo-${browserName}.png`;
    const panelPage = panel.frame.page();
    await panelPage.bringToFront();
    const readTotals = () =>
      panel.frame.$eval('[data-testid="totals"]', (element) => element.textContent);
    // Traffic keeps arriving while the picture is taken, so the totals are read just before and
    // just after it, and a picture is kept only when both reads agree: the counts only grow, so
    // equal reads mean the totals did not change in between and the picture shows what we print.
    let shot: { totals: string | null; image: Uint8Array } | undefined;
    for (let attempt = 0; attempt < 20 && !shot; attempt++) {
      const before = await readTotals();
      const image = await panelPage.screenshot({ type: 'png' });
      if ((await readTotals()) === before) shot = { totals: before, image };
    }
    if (!shot) throw new Error('The totals changed during every screenshot; none was written.');
    writeFileSync(file, shot.image);
    console.log(`Panel shows ${shot.totals}. Screenshot: ${file}`);
    await shutdown();
    process.exit(0);
  }
  console.log('Press Ctrl+C to stop.');
} catch (error) {
  console.error(error);
  await shutdown();
  process.exit(1);
}
