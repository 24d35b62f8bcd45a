import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Waits for a finished download (a new file ending in `suffix`) in `dir`, and returns its path. */
export async function waitForDownload(
  dir: string,
  suffix = '.har',
  timeoutMs = 20_000,
  earlier: readonly string[] = [],
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = readdirSync(dir).find((name) => name.endsWith(suffix) && !earlier.includes(name));
    if (done) {
      const path = join(dir, done);
      // Firefox and Chromium write under another name and rename when complete.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return path;
    }
    if (Date.now() > deadline)
      throw new Error(`no ${suffix} file appeared in ${dir}: ${readdirSync(dir).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
