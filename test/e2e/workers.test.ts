import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  type OpenPanel,
  openPanel,
  openSection,
  readConnections,
  selectConnection,
  waitForConnections,
  waitForFrames,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/** A dedicated worker that opens a socket, sends one frame and gets its echo. */
const WORKER = `const ws = new WebSocket('ws://' + location.host + '/echo-worker');
ws.onopen = () => ws.send('hello from the worker');
ws.onmessage = (event) => postMessage(event.data);
`;

/**
 * A shared worker and a service worker, each opening a socket that stays open and sending one
 * frame on it; the shared worker answers its page once its frame came back.
 */
const SHARED_WORKER = `self.kept = new WebSocket('ws://' + location.host + '/echo-shared');
const echoed = new Promise((resolve) => {
  self.kept.onmessage = resolve;
});
self.kept.onopen = () => self.kept.send('hello from the shared worker');
onconnect = (event) => echoed.then(() => event.ports[0].postMessage('started'));
`;
const SERVICE_WORKER = `self.addEventListener('activate', () => {
  self.kept = new WebSocket('ws://' + location.host + '/echo-service');
  self.kept.onopen = () => self.kept.send('hello from the service worker');
});
`;

/** A dedicated worker whose socket the server closes, once it got one frame. */
const CLOSING_WORKER = `const ws = new WebSocket('ws://' + location.host + '/echo-closing');
ws.onopen = () => ws.send('close:4000:done');
ws.onclose = () => postMessage('closed');
`;

const GET_HAR_SILENT = 'getHAR did not answer in 5 s';

/** What Chrome's DevTools network log holds, as the panel's page reads it. */
function devToolsLog(panel: OpenPanel): Promise<string> {
  return panel.frame.evaluate(
    (silent: string) =>
      new Promise<string>((resolve) => {
        setTimeout(() => resolve(silent), 5000);
        (
          globalThis as unknown as {
            chrome: { devtools: { network: { getHAR(done: (log: unknown) => void): void } } };
          }
        ).chrome.devtools.network.getHAR((har) =>
          resolve(
            JSON.stringify(
              (har as { entries: Array<Record<string, unknown>> }).entries.map((entry) => [
                entry._resourceType,
                (entry.request as { url: string }).url,
                entry.startedDateTime,
                (entry._webSocketMessages as unknown[] | undefined)?.length,
              ]),
            ),
          ),
        );
      }),
    GET_HAR_SILENT,
  );
}

describe.each(e2eBrowsers())('sockets in workers, in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;

  /** A page, DevTools with the panel, then the page's worker, socket and stream. */
  const openAndRun = async () => {
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    // DevTools records the network from when it opens: the panel first, then the sockets.
    panel = await openPanel(launched, page);
    await page.evaluate(async () => {
      const worker = new Worker('/worker.js');
      const echoed = new Promise((resolve) => {
        worker.onmessage = resolve;
      });
      const ws = new WebSocket(`ws://${location.host}/echo-page`);
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      ws.send('hello from the page');
      await echoed;
      // Chromium's WebSocketStream (not in TypeScript's DOM types yet).
      const Stream = (
        window as unknown as {
          WebSocketStream?: new (
            url: string,
          ) => {
            opened: Promise<{ readable: ReadableStream; writable: WritableStream }>;
          };
        }
      ).WebSocketStream;
      if (!Stream) return;
      const stream = new Stream(`ws://${location.host}/echo-stream`);
      const { readable, writable } = await stream.opened;
      await writable.getWriter().write('hello from a stream');
      await readable.getReader().read();
    });
  };

  beforeAll(async () => {
    server = await startTestServer({
      '/': '<!doctype html><title>workers</title>',
      '/worker.js': WORKER,
      '/shared.js': SHARED_WORKER,
      '/service.js': SERVICE_WORKER,
      '/closing.js': CLOSING_WORKER,
    });
    launched = await launchBrowser(browserName);
    await openAndRun();
  });

  afterAll(async () => {
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  it.runIf(browserName === 'chromium')(
    "lists a dedicated worker's socket and a WebSocketStream with their frames, marked, and the page's socket once",
    async () => {
      // Chrome's getHAR sometimes never answers for a whole DevTools session (about one run in
      // five here, in any extension context, with or without Sockscope's own calls): the panel
      // then has no log to read, as DevTools has none to give. A user reopens DevTools; so does
      // the test, once, and says so.
      if ((await devToolsLog(panel)) === GET_HAR_SILENT) {
        console.warn("DevTools' getHAR did not answer in this session: DevTools opened again");
        // The panel says why workers' frames are missing, and what helps.
        await panel.frame.waitForFunction(
          () => document.body.innerText.includes("DevTools' network log does not answer"),
          { timeout: 30_000 },
        );
        await panel.close().catch(() => undefined);
        await page.close();
        await openAndRun();
      }
      const rows = await waitForConnections(panel.frame, (rows) => rows.length >= 3).catch(
        async (error: Error) => {
          throw new Error(`${error.message}\nDevTools' log: ${await devToolsLog(panel)}`);
        },
      );
      expect(rows.map((row) => row.url).sort()).toEqual([
        `${server.wsOrigin}/echo-page`,
        `${server.wsOrigin}/echo-stream`,
        `${server.wsOrigin}/echo-worker`,
      ]);
      // Listed from its handshake first, perhaps; marked from DevTools' log once read from it.
      await panel.frame
        .waitForFunction(
          () =>
            document.querySelectorAll('[data-testid="connection"] [data-testid="worker-mark"]')
              .length === 2,
          // The log is read less often while reading it is slow (at least every 5 s).
          { timeout: 60_000 },
        )
        .catch(async (error: Error) => {
          const connections = JSON.stringify(await readConnections(panel.frame));
          throw new Error(
            `${error.message}\nconnections: ${connections}\nDevTools' log: ${await devToolsLog(panel)}`,
          );
        });
      const marked = await panel.frame.$$eval(
        '[data-testid="connection"] [data-testid="worker-mark"]',
        (marks) =>
          marks.map((mark) => mark.closest('[data-testid="connection"]')?.getAttribute('data-url')),
      );
      expect(marked.sort()).toEqual([
        `${server.wsOrigin}/echo-stream`,
        `${server.wsOrigin}/echo-worker`,
      ]);
      await selectConnection(panel.frame, `${server.wsOrigin}/echo-worker`);
      const frames = await waitForFrames(
        panel.frame,
        (rows) => rows.filter((row) => row.text.includes('hello from the worker')).length === 2,
      );
      expect(frames.some((row) => row.text.includes('hello from the page'))).toBe(false);
      // Still once each, however often the log is read.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(
        (await readConnections(panel.frame)).map((row) => `${row.url} ${row.state}`).sort(),
      ).toEqual(
        ['echo-page', 'echo-stream', 'echo-worker'].map(
          (path) => `${server.wsOrigin}/${path} open`,
        ),
      );
      await selectConnection(panel.frame, `${server.wsOrigin}/echo-stream`);
      await waitForFrames(
        panel.frame,
        (rows) => rows.filter((row) => row.text.includes('hello from a stream')).length === 2,
      );
    },
  );

  it.runIf(browserName === 'firefox')(
    "lists a worker's socket from its handshake, marked, without frames, and the page's with them",
    async () => {
      const rows = await waitForConnections(panel.frame, (rows) => rows.length >= 2);
      expect(rows.map((row) => row.url).sort()).toEqual([
        `${server.wsOrigin}/echo-page`,
        `${server.wsOrigin}/echo-worker`,
      ]);
      const marked = await panel.frame.$$eval(
        '[data-testid="connection"] [data-testid="handshake-only-mark"]',
        (marks) =>
          marks.map((mark) => mark.closest('[data-testid="connection"]')?.getAttribute('data-url')),
      );
      expect(marked).toEqual([`${server.wsOrigin}/echo-worker`]);
      await selectConnection(panel.frame, `${server.wsOrigin}/echo-worker`);
      await openSection(panel.frame, 'connection-actions');
      const status = await panel.frame.waitForSelector('[data-testid="handshake-status"]');
      expect(await status!.evaluate((element) => element.textContent)).toContain('101');
      const note = await panel.frame.$eval(
        '[data-testid="workers-note"]',
        (element) => element.textContent ?? '',
      );
      expect(note).toContain('workers');
    },
  );

  // Chrome's DevTools log holds a service worker's socket and its messages, its initiator the
  // worker's script; it holds no shared worker's socket, and Chrome's webRequest reports neither's
  // handshake (measured in Chromium 156).
  it.runIf(browserName === 'chromium')(
    "lists a service worker's socket with its frames, marked with its script; a shared worker's is not reported",
    async () => {
      await page.evaluate(async () => {
        const shared = new SharedWorker('/shared.js');
        // Answered once the shared worker's socket has opened and its frame came back.
        await new Promise((resolve) => {
          shared.port.onmessage = resolve;
        });
        await navigator.serviceWorker.register('/service.js');
      });
      const service = `${server.wsOrigin}/echo-service`;
      const shared = `${server.wsOrigin}/echo-shared`;
      // A socket seen only in the log is listed once it waited for the hook's record (3 s), and
      // the log is read less often while reading it is slow (at least every 5 s).
      await waitForConnections(
        panel.frame,
        (rows) => rows.some((row) => row.url === service),
        60_000,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}\nDevTools' log: ${await devToolsLog(panel)}`);
      });
      const mark = await panel.frame.waitForSelector(
        `[data-testid="connection"][data-url="${service}"] [data-testid="worker-mark"]`,
      );
      expect(await mark!.evaluate((element) => element.getAttribute('title'))).toContain(
        `${server.origin}/service.js`,
      );
      await selectConnection(panel.frame, service);
      await waitForFrames(
        panel.frame,
        (rows) =>
          rows.filter((row) => row.text.includes('hello from the service worker')).length === 2,
      );
      // The shared worker's socket opened before the service worker's, and is in neither report:
      // by the time the later socket is listed, the earlier is not, and DevTools' log has no entry.
      const rows = await readConnections(panel.frame);
      expect(rows.map((row) => row.url)).not.toContain(shared);
      const log = await devToolsLog(panel);
      if (log === GET_HAR_SILENT) console.warn("DevTools' getHAR did not answer: log not checked");
      else {
        expect(log).toContain(service);
        expect(log).not.toContain(shared);
      }
      // The panel says so, rather than leaving it silently missing.
      const note = await panel.frame.$eval(
        '[data-testid="workers-note"]',
        (element) => `${element.textContent} ${element.getAttribute('title')}`,
      );
      expect(note).toContain('Shared workers');
    },
  );

  it.runIf(browserName === 'chromium')(
    "shows a worker's socket closed once DevTools' log shows its end",
    async () => {
      await page.evaluate(async () => {
        const worker = new Worker('/closing.js');
        await new Promise((resolve) => {
          worker.onmessage = resolve;
        });
      });
      const url = `${server.wsOrigin}/echo-closing`;
      const [row] = await waitForConnections(
        panel.frame,
        (rows) => rows.some((row) => row.url === url && row.state === 'closed'),
        60_000,
      ).then((rows) => rows.filter((row) => row.url === url));
      expect(row).toMatchObject({ state: 'closed', sent: 1 });
      await selectConnection(panel.frame, url);
      await openSection(panel.frame, 'connection-actions');
      await panel.frame.waitForSelector('[data-fact="Duration"]');
      const duration = await panel.frame.$eval(
        '[data-fact="Duration"]',
        (element) => element.textContent ?? '',
      );
      expect(duration).not.toBe('—');
    },
  );

  // Chrome's webRequest reports no shared or service worker's WebSocket handshake (measured in
  // Chromium 156: the page's socket is reported, theirs are not).
  it.runIf(browserName === 'firefox')(
    "lists shared and service workers' sockets from their handshakes, marked",
    async () => {
      await page.evaluate(async () => {
        const shared = new SharedWorker('/shared.js');
        await new Promise((resolve) => {
          shared.port.onmessage = resolve;
        });
        await navigator.serviceWorker.register('/service.js');
      });
      const wanted = [`${server.wsOrigin}/echo-service`, `${server.wsOrigin}/echo-shared`];
      await waitForConnections(panel.frame, (rows) =>
        wanted.every((url) => rows.some((row) => row.url === url)),
      );
      const marked = await panel.frame.$$eval(
        '[data-testid="connection"] [data-testid="handshake-only-mark"]',
        (marks) =>
          marks.map((mark) => mark.closest('[data-testid="connection"]')?.getAttribute('data-url')),
      );
      expect(marked).toEqual(expect.arrayContaining(wanted));
    },
  );
});
