/**
 * `npx tsx test/demo/screenshots.ts` regenerates the README's screenshots from the demo site, in
 * headless Chromium with the built extension (run `npm run build` first): the panel inside real
 * DevTools at the sizes DevTools has (docked at the bottom of a wide and of a small window, docked
 * right), and the pop-out window.
 */
import type { Page } from 'puppeteer-core';
import { launchBrowser } from '../support/launch-browser';
import {
  clickFrameRow,
  type DevToolsSize,
  openDevToolsPanel,
  openSection,
  openStandalonePanel,
  resizeDevTools,
  typeFilter,
} from '../support/panel-driver';
import { startDemoServer } from './demo-server';

const OUT = '.github/screenshots';
const BOTTOM_WIDE: DevToolsSize = { width: 1280, height: 300 };
const BOTTOM_SMALL: DevToolsSize = { width: 800, height: 450 };
const RIGHT: DevToolsSize = { width: 500, height: 800 };
const settle = (ms = 500) => new Promise((resolve) => setTimeout(resolve, ms));

const demo = await startDemoServer();
const launched = await launchBrowser('chromium');
try {
  const page = await launched.browser.newPage();
  await page.goto(demo.url);
  await settle(5000);
  const panel = await openDevToolsPanel(launched, page, BOTTOM_WIDE);
  const devtools: Page = panel.frame.page();
  const shoot = async (name: string, size: DevToolsSize) => {
    await resizeDevTools(devtools, size);
    await settle();
    await devtools.screenshot({ path: `${OUT}/${name}.png` });
  };

  await shoot('devtools-bottom-1280x300', BOTTOM_WIDE);
  await clickFrameRow(panel.frame, '"type":"prices"');
  await panel.frame.waitForSelector('[data-testid="json-tree"]');
  await shoot('details-json', BOTTOM_WIDE);
  await shoot('devtools-bottom-800x450', BOTTOM_SMALL);
  await shoot('devtools-right-500x800', RIGHT);

  await clickFrameRow(panel.frame, '00 00 00');
  await panel.frame.waitForSelector('[data-testid="hex-dump"]');
  await shoot('details-hex', BOTTOM_SMALL);
  await panel.frame.click('[data-testid="close-details"]');

  await resizeDevTools(devtools, BOTTOM_WIDE);
  await panel.frame.click('[data-testid="filter-regex"]');
  await panel.frame.type('[data-testid="filter-input"]', '"ACME":1\\d\\d');
  await shoot('filter-regex', BOTTOM_WIDE);

  // Intercept: hold the chat's outgoing frames, then have the page send one.
  await panel.frame.click('[data-testid="filter-regex"]');
  await typeFilter(panel.frame, '');
  await panel.frame.click('[data-testid="connection"]');
  await openSection(panel.frame, 'intercept');
  await panel.frame.click('[data-testid="intercept-outgoing"]');
  await settle(300);
  await page.type('#text', 'a message held by intercept');
  await page.keyboard.press('Enter');
  await panel.frame.waitForSelector('[data-testid="held-frame"]');
  await panel.frame.click('[data-testid="held-frame"]');
  await panel.frame.waitForSelector('[data-testid="held-details"]');
  await shoot('act-intercept', { width: 1280, height: 360 });
  await panel.frame.click('[data-testid="forward-all"]');
  await openSection(panel.frame, 'connection-actions');
  await panel.frame.type('[data-testid="composer-text"]', '{"type":"ping"}');
  await shoot('act-compose', { width: 1280, height: 360 });
  // Rules: the chat as recorded so far becomes a mock, shown in the Rules dialog.
  await panel.frame.click('[data-testid="mock-from-recording"]');
  await panel.frame.waitForSelector('[data-testid="rules-dialog"]');
  await shoot('rules', BOTTOM_SMALL);
  await panel.frame.click('[data-testid="rules-close"]');
  await panel.close();

  // The pop-out window: the same panel in a window of its own.
  const popOut = await openStandalonePanel(launched, page);
  const window = popOut.frame.page();
  await window.setViewport({ width: 1000, height: 700 });
  await popOut.frame.click('[data-testid="open-settings"]');
  await popOut.frame.waitForSelector('[data-testid="settings"]');
  await settle();
  await window.screenshot({ path: `${OUT}/settings.png` });
  await popOut.frame
    .click('[data-testid="settings"] button[type="button"]:last-of-type')
    .catch(() => undefined);
  await window.keyboard.press('Escape');
  await settle();
  await window.screenshot({ path: `${OUT}/pop-out-1000x700.png` });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await launched.close();
  await demo.close();
}
