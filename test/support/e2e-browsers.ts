import type { BrowserName } from './launch-browser';

/** The browsers the e2e suite runs in: both by default, or those named in SOCKSCOPE_BROWSERS. */
export function e2eBrowsers(): BrowserName[] {
  const wanted = (process.env.SOCKSCOPE_BROWSERS ?? 'chromium,firefox')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (name !== 'chromium' && name !== 'firefox') throw new Error(`unknown browser ${name}`);
  }
  return wanted as BrowserName[];
}

export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
