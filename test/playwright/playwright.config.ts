import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { findBrowser } from '../support/find-browser';

/**
 * Runs the test files "Export as test" makes (rules/recording-to-playwright.ts) in this
 * repository's Chromium: the one find-browser.ts finds (CHROMIUM_PATH or CHROME_PATH win), never
 * one Playwright downloads. The files are in SOCKSCOPE_PLAYWRIGHT_DIR (the e2e test writes them
 * to a temporary directory), else in this one.
 */
const testDir = process.env.SOCKSCOPE_PLAYWRIGHT_DIR ?? '.';

export default defineConfig({
  testDir,
  // Traces and screenshots of failures stay beside the files, out of the repository's tree.
  outputDir: join(testDir, 'test-results'),
  reporter: 'list',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: findBrowser('chromium'),
      // launch-browser.ts's switches that matter here: no sandbox (containers have none to give)
      // and nothing but loopback resolves, so a test never reaches the network. Not its
      // --disable-features: a second one would replace the list Playwright passes.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
      ],
    },
  },
});
