/**
 * The release archives as a user gets them: `scripts/package.mjs --no-build` packs the existing
 * dist/ (built by `npm run build` before the e2e suite) into a temporary folder; each browser's
 * zip is unpacked and loaded as the extension, and must capture a page's WebSocket like dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { findBrowser } from '../support/find-browser';
import { type BrowserName, type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  inExtensionPage,
  type OpenPanel,
  openStandalonePanel,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const PAGE = `<!doctype html><title>packaged</title><script>
  const ws = new WebSocket('ws://' + location.host + '/packaged');
  ws.onopen = () => ws.send('hello from the packaged extension');
</script>`;

const version: string = JSON.parse(readFileSync('package.json', 'utf8')).version;
const outDir = mkdtempSync(join(tmpdir(), 'sockscope-release-'));
const archive = (kind: string) => join(outDir, `sockscope-${version}-${kind}.zip`);
const distOf = (name: BrowserName) => resolve('dist', name === 'chromium' ? 'chrome' : 'firefox');
const kindOf = (name: BrowserName) => (name === 'chromium' ? 'chrome' : 'firefox');

function readZip(path: string): Record<string, Uint8Array> {
  // Directory entries (web-ext writes them) end in "/" and carry no file.
  return Object.fromEntries(
    Object.entries(unzipSync(readFileSync(path))).filter(([name]) => !name.endsWith('/')),
  );
}

function unzipTo(path: string, dir: string): void {
  for (const [name, data] of Object.entries(readZip(path))) {
    const target = join(dir, name);
    // A zip entry must not escape the folder it is unpacked into.
    if (relative(dir, target).startsWith('..')) throw new Error(`entry ${name} leaves the zip`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/**
 * Chromium with an extension from any folder: launch-browser.ts only loads dist/chrome (and
 * withExtension: false adds --disable-extensions), so this repeats its launch with another dir.
 */
async function launchChromiumWith(dir: string): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'sockscope-chromium-'));
  const cleanup = () => rmSync(profile, { recursive: true, force: true });
  try {
    const browser = await puppeteer.launch({
      executablePath: findBrowser('chromium'),
      headless: true,
      pipe: true,
      userDataDir: profile,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Loopback only, as in launch-browser.ts.
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
      ],
      enableExtensions: [dir],
      protocolTimeout: 120_000,
      networkEnabled: false,
    });
    const worker = await browser.waitForTarget(
      (target) =>
        target.type() === 'service_worker' && target.url().startsWith('chrome-extension://'),
      { timeout: 20_000 },
    );
    return {
      name: 'chromium',
      browser,
      extensionOrigin: worker.url().match(/^chrome-extension:\/\/[^/]+/)![0],
      close: async () => {
        await browser.close().catch(() => undefined);
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Firefox from any folder: launched without the extension (same prefs), then installed. */
async function launchFirefoxWith(dir: string): Promise<LaunchedBrowser> {
  const launched = await launchBrowser('firefox', { withExtension: false });
  try {
    await launched.browser.installExtension(dir);
  } catch (error) {
    await launched.close();
    throw error;
  }
  return launched;
}

beforeAll(() => {
  try {
    execFileSync(process.execPath, ['scripts/package.mjs', '--no-build', '--out-dir', outDir], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`scripts/package.mjs failed:\n${stderr ?? ''}${stdout ?? ''}`);
  }
});

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('release archives', () => {
  it.each([
    'chromium',
    'firefox',
  ] as const)('the %s zip is dist/ with manifest.json at its root, at the package version', (name) => {
    const files = readZip(archive(kindOf(name)));
    expect(Object.keys(files).sort()).toEqual(filesUnder(distOf(name)));
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(manifest.version).toBe(version);
    expect(manifest.name).toBe('Sockscope');
    if (name === 'firefox') expect(manifest.browser_specific_settings?.gecko?.id).toBeTruthy();
    else expect(manifest.background?.service_worker).toBeTruthy();
  });

  it('the source zip holds what `npm ci && npm run build` needs, and how to run it', () => {
    const names = Object.keys(readZip(archive('source')));
    for (const needed of [
      'package.json',
      'package-lock.json',
      'manifest.json',
      'vite.config.ts',
      'SOURCE-BUILD.md',
    ]) {
      expect(names).toContain(needed);
    }
    expect(names.some((name) => name.startsWith('src/'))).toBe(true);
    expect(names.some((name) => name.startsWith('extension/'))).toBe(true);
    // Tracked files only: nothing installed or built.
    expect(names.filter((name) => /^(node_modules|dist|release)\//.test(name))).toEqual([]);
    const files = readZip(archive('source'));
    const pkg = JSON.parse(new TextDecoder().decode(files['package.json']));
    expect(pkg.version).toBe(version);
  });
});

describe.each(e2eBrowsers())('the packaged extension in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let panel: OpenPanel | undefined;
  const extensionDir = mkdtempSync(join(tmpdir(), `sockscope-unzipped-${browserName}-`));

  beforeAll(async () => {
    unzipTo(archive(kindOf(browserName)), extensionDir);
    server = await startTestServer({ '/': PAGE });
    launched =
      browserName === 'chromium'
        ? await launchChromiumWith(extensionDir)
        : await launchFirefoxWith(extensionDir);
  });

  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
    rmSync(extensionDir, { recursive: true, force: true });
  });

  it('loads at the package version and shows the page’s socket in its panel', async () => {
    expect(
      await inExtensionPage<string>(launched, 'return api.runtime.getManifest().version;'),
    ).toBe(version);
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/?packaged=${browserName}`);
    panel = await openStandalonePanel(launched, page);
    const rows = await waitForConnections(panel.frame, (rows) =>
      rows.some((row) => row.url.endsWith('/packaged') && row.sent >= 1 && row.received >= 1),
    );
    expect(rows.find((row) => row.url.endsWith('/packaged'))?.state).toBe('open');
  });
});
