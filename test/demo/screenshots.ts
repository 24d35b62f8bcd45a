/**
 * `npx tsx test/demo/screenshots.ts` regenerates the README's screenshots from the demo site, in
 * headless Chromium with the built extension (run `npm run build` first).
 */
import { launchBrowser } from '../support/launch-browser';
import { clickFrameRow, openSection, openStandalonePanel } from '../support/panel-driver';
import { startDemoServer } from './demo-server';

const OUT = '.github/screenshots';
const demo = await startDemoServer();
const launched = await launchBrowser('chromium');
try {
  const page = await launched.browser.newPage();
  await page.goto(demo.url);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const panel = await openStandalonePanel(launched, page);
  const panelPage = panel.frame.page();
  await panelPage.setViewport({ width: 1280, height: 720 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await panelPage.screenshot({ path: `${OUT}/panel-demo.png` });

  await clickFrameRow(panel.frame, '"type":"prices"');
  await panel.frame.waitForSelector('[data-testid="json-tree"]');
  await panelPage.screenshot({ path: `${OUT}/details-json.png` });

  await clickFrameRow(panel.frame, '00 00 00');
  await panel.frame.waitForSelector('[data-testid="hex-dump"]');
  await panelPage.screenshot({ path: `${OUT}/details-hex.png` });
  await panel.frame.click('[data-testid="close-details"]');

  await panel.frame.click('[data-testid="filter-regex"]');
  await panel.frame.type('[data-testid="filter-input"]', '"ACME":1\\d\\d');
  await new Promise((resolve) => setTimeout(resolve, 400));
  await panelPage.screenshot({ path: `${OUT}/filter-regex.png` });

  // Intercept: hold the chat's outgoing frames, then have the page send one.
  await panel.frame.click('[data-testid="filter-regex"]');
  await panel.frame.$eval('[data-testid="filter-input"]', (element) =>
    (element as HTMLInputElement).select(),
  );
  await panel.frame.type('[data-testid="filter-input"]', ' ');
  await panel.frame.click('[data-testid="connection"]');
  await openSection(panel.frame, 'intercept');
  await panel.frame.click('[data-testid="intercept-outgoing"]');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await page.type('#text', 'a message held by intercept');
  await page.keyboard.press('Enter');
  await panel.frame.waitForSelector('[data-testid="held-frame"]');
  await openSection(panel.frame, 'connection-actions');
  await panel.frame.type('[data-testid="composer-text"]', '{"type":"ping"}');
  await panelPage.screenshot({ path: `${OUT}/act-intercept.png` });
  await panel.frame.click('[data-testid="forward-all"]');

  await panel.frame.click('[data-testid="open-settings"]');
  await panel.frame.waitForSelector('[data-testid="settings"]');
  await panelPage.screenshot({ path: `${OUT}/settings.png` });
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await launched.close();
  await demo.close();
}
