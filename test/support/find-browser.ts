import { existsSync } from 'node:fs';

/**
 * Finds a browser executable: an environment variable wins (so macOS and Windows users can point
 * the tests at their own Chrome or Firefox), then the usual install locations.
 */
export function findBrowser(kind: 'chromium' | 'firefox'): string {
  const fromEnv =
    kind === 'chromium'
      ? (process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH)
      : process.env.FIREFOX_PATH;
  if (fromEnv) return fromEnv;
  const candidates =
    kind === 'chromium'
      ? [
          '/usr/bin/chromium',
          '/usr/bin/chromium-browser',
          '/usr/bin/google-chrome',
          '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
          '/Applications/Chromium.app/Contents/MacOS/Chromium',
          'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
        ]
      : [
          '/usr/bin/firefox-esr',
          '/usr/bin/firefox',
          '/Applications/Firefox.app/Contents/MacOS/firefox',
          'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
        ];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    const variable = kind === 'chromium' ? 'CHROMIUM_PATH' : 'FIREFOX_PATH';
    throw new Error(`No ${kind} found: install it or set ${variable} to its executable.`);
  }
  return found;
}
