/**
 * Starts Chromium or Firefox with the built extension loaded, kept off every network but
 * loopback, each in a fresh profile that is removed on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { findBrowser } from './find-browser';

export type BrowserName = 'chromium' | 'firefox';

/** The Firefox add-on's id (vite.config.ts) and the internal UUID we pin it to. */
export const GECKO_ID = 'sockscope@sockscope.dev';
export const FIREFOX_EXTENSION_UUID = '5e0c4a57-50c6-4e0b-9b1a-50c6ad0b5c0e';

export interface LaunchedBrowser {
  name: BrowserName;
  browser: Browser;
  /** chrome-extension://ID or moz-extension://UUID (no trailing slash). */
  extensionOrigin: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  withExtension?: boolean;
  headless?: boolean;
  /** Where downloads land, without asking. */
  downloadDir?: string;
  /** Firefox only: open its DevTools with the first tab (Chromium's are opened per page). */
  firefoxDevTools?: boolean;
  /** Chromium only: more command-line switches (benchmarks use memory and GC switches). */
  chromiumArgs?: string[];
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
];

export function extensionDir(name: BrowserName): string {
  return resolve('dist', name === 'chromium' ? 'chrome' : 'firefox');
}

export async function launchBrowser(
  name: BrowserName,
  {
    withExtension = true,
    headless = true,
    downloadDir,
    firefoxDevTools = false,
    chromiumArgs = [],
  }: LaunchOptions = {},
): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), `sockscope-${name}-`));
  const cleanup = () => rmSync(profile, { recursive: true, force: true });
  try {
    return name === 'chromium'
      ? await launchChromium(profile, withExtension, headless, cleanup, downloadDir, chromiumArgs)
      : await launchFirefox(
          profile,
          withExtension,
          headless,
          cleanup,
          downloadDir,
          firefoxDevTools,
        );
  } catch (error) {
    cleanup();
    throw error;
  }
}

async function launchChromium(
  profile: string,
  withExtension: boolean,
  headless: boolean,
  cleanup: () => void,
  downloadDir?: string,
  extraArgs: string[] = [],
): Promise<LaunchedBrowser> {
  const dir = extensionDir('chromium');
  const browser = await puppeteer.launch({
    executablePath: findBrowser('chromium'),
    headless,
    pipe: true,
    userDataDir: profile,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    ...(withExtension ? { enableExtensions: [dir] } : {}),
    protocolTimeout: 120_000,
    // Puppeteer would otherwise enable the Network domain on every page: DevTools' own capture of
    // every WebSocket frame, running under each test and benchmark, with or without Sockscope.
    networkEnabled: false,
  });
  if (downloadDir) {
    const session = await browser.target().createCDPSession();
    await session.send('Browser.setDownloadBehavior', {
      behavior: 'allow',
      downloadPath: downloadDir,
    });
  }
  let extensionOrigin = '';
  if (withExtension) {
    const worker = await browser.waitForTarget(
      (target) =>
        target.type() === 'service_worker' && target.url().startsWith('chrome-extension://'),
      { timeout: 20_000 },
    );
    extensionOrigin = worker.url().match(/^chrome-extension:\/\/[^/]+/)![0];
  }
  return {
    name: 'chromium',
    browser,
    extensionOrigin,
    close: async () => {
      await browser.close().catch(() => undefined);
      cleanup();
    },
  };
}

async function launchFirefox(
  profile: string,
  withExtension: boolean,
  headless: boolean,
  cleanup: () => void,
  downloadDir?: string,
  devtools = false,
): Promise<LaunchedBrowser> {
  const downloads = downloadDir
    ? {
        'browser.download.dir': downloadDir,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.helperApps.neverAsk.saveToDisk': 'application/json,application/octet-stream',
        'browser.download.alwaysOpenPanel': false,
      }
    : {};
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findBrowser('firefox'),
    headless,
    userDataDir: profile,
    args: ['--remote-allow-system-access', ...(devtools ? ['--devtools'] : [])],
    protocolTimeout: 120_000,
    networkEnabled: false,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      // performance.now() at full precision, as in Chromium, so that benchmarks resolve microseconds.
      'privacy.reduceTimerPrecision': false,
      // Keep Firefox on loopback: every name resolves to 127.0.0.1, proxies point at a closed port.
      'network.dns.forceResolve': '127.0.0.1',
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'extensions.getAddons.cache.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      ...downloads,
    },
  });
  if (withExtension) await browser.installExtension(extensionDir('firefox'));
  return {
    name: 'firefox',
    browser,
    extensionOrigin: `moz-extension://${FIREFOX_EXTENSION_UUID}`,
    close: async () => {
      await browser.close().catch(() => undefined);
      cleanup();
    },
  };
}
