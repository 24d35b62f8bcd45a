import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  type OpenPanel,
  openPanel,
  readFrames,
  selectConnection,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

const BLANK = '<!doctype html><title>blank</title><body></body>';
const CHILD = `<!doctype html><script>
  const ws = new WebSocket('ws://127.0.0.1:' + location.port + '/child-' + (location.hostname === 'localhost' ? 'cross' : 'same'));
  ws.onopen = () => ws.send('from child');
</script>`;
const IFRAMES = `<!doctype html><body><script>
  const port = location.port;
  const same = document.createElement('iframe'); same.src = '/child'; document.body.append(same);
  const cross = document.createElement('iframe'); cross.src = 'http://localhost:' + port + '/child'; document.body.append(cross);
  const srcdoc = document.createElement('iframe');
  srcdoc.srcdoc = '<script>new WebSocket("ws://127.0.0.1:' + port + '/child-srcdoc").onopen = function () { this.send("from srcdoc"); };<\\/script>';
  document.body.append(srcdoc);
  const blank = document.createElement('iframe'); blank.src = 'about:blank';
  blank.onload = () => blank.contentWindow.eval('new WebSocket("ws://127.0.0.1:' + port + '/child-blank").onopen = function () { this.send("from blank"); }');
  document.body.append(blank);
  const sync = document.createElement('iframe'); document.body.append(sync);
  new sync.contentWindow.WebSocket('ws://127.0.0.1:' + port + '/child-sync-blank').onopen = function () { this.send('from sync blank'); };
</script></body>`;

describe.each(e2eBrowsers())('capture in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  const pages: Page[] = [];
  const panels: OpenPanel[] = [];

  beforeAll(async () => {
    server = await startTestServer({ '/': BLANK, '/child': CHILD, '/iframes': IFRAMES });
    launched = await launchBrowser(browserName);
  });

  afterAll(async () => {
    for (const panel of panels) await panel.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
  });

  async function newPage(path = '/'): Promise<Page> {
    const page = await launched.browser.newPage();
    pages.push(page);
    // A URL of its own, so that the panel's tab lookup by URL finds this tab and no other.
    await page.goto(`${server.origin}${path}?page=${pages.length}`);
    return page;
  }

  async function panelFor(page: Page): Promise<OpenPanel> {
    const panel = await openPanel(launched, page);
    panels.push(panel);
    return panel;
  }

  it('records every send and message kind, byte for byte, in a panel opened afterwards', async () => {
    const page = await newPage();
    const url = `${server.wsOrigin}/kinds`;
    await page.evaluate(async (url: string) => {
      const ws = new WebSocket(url, ['chat.v1', 'json']);
      const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i + 1);
      const replies: unknown[] = [];
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      const sends: unknown[] = [
        'plain text',
        'ünïcødé ✓ 😀',
        bytes(4).buffer,
        new Int8Array([-1, 2]),
        new Uint8ClampedArray([255, 0]),
        new Int16Array([-2]),
        new Uint16Array([513]),
        new Int32Array([-3]),
        new Uint32Array([67305985]),
        new Float32Array([1.5]),
        new Float64Array([-2.25]),
        new BigInt64Array([-4n]),
        new BigUint64Array([5n]),
        new Uint8Array(bytes(8).buffer, 2, 3),
        new DataView(bytes(6).buffer, 1, 2),
        new Blob([bytes(3)]),
      ];
      for (const data of sends) ws.send(data as string);
      await new Promise<void>((resolve) => {
        ws.onmessage = (event) => {
          replies.push(event.data);
          if (replies.length === sends.length) resolve();
        };
      });
      ws.binaryType = 'blob';
      ws.send('binary:5');
      await new Promise((resolve) => {
        ws.onmessage = resolve;
      });
      ws.binaryType = 'arraybuffer';
      ws.send('binary:6');
      await new Promise((resolve) => {
        ws.onmessage = resolve;
      });
    }, url);
    const panel = await panelFor(page);
    const [connection] = await waitForConnections(panel.frame, (rows) => rows[0]?.received === 18);
    expect(connection).toMatchObject({
      url,
      state: 'open',
      protocol: 'chat.v1',
      sent: 18,
      received: 18,
    });
    await selectConnection(panel.frame, url);
    const frames = await readFrames(panel.frame);
    const sentFrames = server.received.filter((frame) => frame.path === '/kinds');
    expect(sentFrames).toHaveLength(18);
    const hex = (data: Buffer) =>
      [...data].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const expectedPreviews = sentFrames.map((frame) =>
      frame.isBinary ? hex(frame.data) : frame.data.toString('utf8'),
    );
    const shownSent = frames.filter((frame) => frame.kind === 'sent');
    expect(shownSent.map((frame) => frame.text.split(/ B /)[1] ?? '')).toEqual(expectedPreviews);
    const shownReceived = frames
      .filter((frame) => frame.kind === 'received')
      .map((frame) => frame.text);
    expect(shownReceived.at(-2)).toContain('binary');
    expect(shownReceived.at(-2)).toContain('00 01 02 03 04');
    expect(shownReceived.at(-1)).toContain('00 01 02 03 04 05');
    expect(shownReceived[1]).toContain('ünïcødé ✓ 😀');
  });

  it('carries a 5 MB message each way whole', async () => {
    const page = await newPage();
    const url = `${server.wsOrigin}/big`;
    const size = 5 * 1024 * 1024;
    await page.evaluate(
      async (url: string, size: number) => {
        const ws = new WebSocket(url);
        ws.binaryType = 'arraybuffer';
        await new Promise((resolve) => {
          ws.onopen = resolve;
        });
        ws.send(Uint8Array.from({ length: size }, (_, i) => i & 255));
        ws.send('y'.repeat(size));
        let replies = 0;
        await new Promise<void>((resolve) => {
          ws.onmessage = () => {
            if (++replies === 2) resolve();
          };
        });
      },
      url,
      size,
    );
    const panel = await panelFor(page);
    const [connection] = await waitForConnections(
      panel.frame,
      (rows) => rows[0]?.received === 2,
      60_000,
    );
    expect(connection).toMatchObject({
      sent: 2,
      received: 2,
      sentBytes: 2 * size,
      receivedBytes: 2 * size,
    });
    const frames = await readFrames(panel.frame);
    expect(frames.filter((frame) => frame.text.includes('5.0 MB'))).toHaveLength(4);
    expect(frames[0]!.text).toContain('00 01 02 03');
  });

  it('counts a burst of 10,000 frames each way exactly, with the panel already open', async () => {
    const page = await newPage();
    const panel = await panelFor(page);
    const url = `${server.wsOrigin}/sink-burst`;
    await page.evaluate(async (url: string) => {
      const ws = new WebSocket(url);
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      let received = 0;
      const done = new Promise<void>((resolve) => {
        ws.onmessage = () => {
          if (++received === 10_000) resolve();
        };
      });
      ws.send('burst:10000:32');
      for (let i = 0; i < 10_000; i++) ws.send(`page frame ${i}`);
      await done;
    }, url);
    const [connection] = await waitForConnections(
      panel.frame,
      (rows) => rows[0]?.received === 10_000 && rows[0]?.sent === 10_001,
      60_000,
    );
    expect(connection).toMatchObject({ sent: 10_001, received: 10_000 });
    const totals = await panel.frame.$eval(
      '[data-testid="totals"]',
      (element) => element.textContent,
    );
    expect(totals).toContain('20001 frames');
  });

  it('sees sockets in same-origin, cross-origin, srcdoc and about:blank frames, even used at once', async () => {
    const page = await newPage('/iframes');
    const paths = [
      '/child-same',
      '/child-cross',
      '/child-srcdoc',
      '/child-blank',
      '/child-sync-blank',
    ];
    const panel = await panelFor(page);
    const rows = await waitForConnections(panel.frame, (rows) =>
      paths.every((path) => rows.some((row) => row.url.endsWith(path) && row.sent === 1)),
    );
    for (const path of paths) {
      const row = rows.find((candidate) => candidate.url.endsWith(path))!;
      expect(row.frameId, path).not.toBe(0);
    }
  });

  it('records a subclass of WebSocket like any socket', async () => {
    const page = await newPage();
    const url = `${server.wsOrigin}/subclass`;
    const result = await page.evaluate(async (url: string) => {
      class Tagged extends WebSocket {
        tag() {
          return 'tagged';
        }
      }
      const ws = new Tagged(url);
      await new Promise((resolve) => {
        ws.onopen = resolve;
      });
      ws.send('from subclass');
      await new Promise((resolve) => {
        ws.onmessage = resolve;
      });
      return [ws.tag(), ws instanceof Tagged, ws instanceof WebSocket];
    }, url);
    expect(result).toEqual(['tagged', true, true]);
    const panel = await panelFor(page);
    await waitForConnections(panel.frame, (rows) =>
      rows.some((row) => row.url === url && row.received === 1),
    );
  });

  it('shows only what the browser delivers, not events the page dispatches on a socket', async () => {
    const page = await newPage();
    const url = `${server.wsOrigin}/page-dispatched`;
    const seenByPage = await page.evaluate(async (url: string) => {
      const ws = new WebSocket(url);
      const seen: string[] = [];
      for (const type of ['open', 'message', 'error', 'close']) {
        ws.addEventListener(type, (event) => seen.push(`${type} ${(event as MessageEvent).data}`));
      }
      await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
      ws.dispatchEvent(new Event('open'));
      ws.dispatchEvent(new MessageEvent('message', { data: 'made by the page' }));
      ws.dispatchEvent(new Event('error'));
      ws.dispatchEvent(new CloseEvent('close', { code: 4999, reason: 'fake', wasClean: true }));
      ws.send('real');
      await new Promise((resolve) => ws.addEventListener('message', resolve, { once: true }));
      ws.close(1000, 'done');
      await new Promise((resolve) => ws.addEventListener('close', resolve, { once: true }));
      return seen;
    }, url);
    expect(seenByPage).toEqual([
      'open undefined',
      'open undefined',
      'message made by the page',
      'error undefined',
      'close undefined',
      'message real',
      'close undefined',
    ]);
    const panel = await panelFor(page);
    // The close comes last: once the panel shows it, it has shown everything before it.
    const rows = await waitForConnections(panel.frame, (rows) =>
      rows.some((row) => row.url === url && row.state === 'closed'),
    );
    expect(rows.find((row) => row.url === url)).toMatchObject({
      sent: 1,
      received: 1,
      errors: 0,
      closeCode: '1000',
      closeReason: 'done',
      closeInitiator: 'client',
    });
  });

  it('shows closes from either side with code, reason and initiator, and failed connections', async () => {
    const page = await newPage();
    const port = await closedPort();
    await page.evaluate(
      async (origin: string, port: number) => {
        const open = async (path: string) => {
          const ws = new WebSocket(origin + path);
          await new Promise((resolve) => {
            ws.onopen = resolve;
          });
          return ws;
        };
        const closed = (ws: WebSocket) =>
          new Promise((resolve) => ws.addEventListener('close', resolve));
        const client = await open('/client-close');
        client.close(4001, 'client says bye');
        await closed(client);
        const server = await open('/server-close');
        server.send('close:1011:server broke');
        await closed(server);
        const failed = new WebSocket(`ws://127.0.0.1:${port}/nothing-here`);
        await closed(failed);
      },
      server.wsOrigin,
      port,
    );
    const panel = await panelFor(page);
    const rows = await waitForConnections(
      panel.frame,
      (rows) => rows.length === 3 && rows.every((row) => row.closeCode !== ''),
    );
    expect(rows[0]).toMatchObject({
      state: 'closed',
      closeCode: '4001',
      closeReason: 'client says bye',
      closeInitiator: 'client',
    });
    expect(rows[1]).toMatchObject({
      state: 'closed',
      closeCode: '1011',
      closeReason: 'server broke',
      closeInitiator: 'server',
    });
    expect(rows[2]).toMatchObject({ state: 'failed', closeCode: '1006', errors: 1 });
  });

  it.runIf(browserName === 'chromium')(
    'loses no frame when the service worker stops mid-traffic',
    async () => {
      const page = await newPage();
      const panel = await panelFor(page);
      const url = `${server.wsOrigin}/restart`;
      await page.evaluate((url: string) => {
        const ws = new WebSocket(url);
        ws.onopen = () => {
          let sent = 0;
          const timer = setInterval(() => {
            for (let i = 0; i < 20; i++) ws.send(`tick ${sent++}`);
            if (sent >= 3000) clearInterval(timer);
          }, 5);
        };
      }, url);
      await waitForConnections(panel.frame, (rows) => (rows[0]?.sent ?? 0) > 300);
      const session = await launched.browser.target().createCDPSession();
      const { targetInfos } = await session.send('Target.getTargets');
      const worker = targetInfos.find(
        (info) => info.type === 'service_worker' && info.url.startsWith(launched.extensionOrigin),
      );
      expect(worker).toBeDefined();
      await session.send('Target.closeTarget', { targetId: worker!.targetId });
      const [connection] = await waitForConnections(
        panel.frame,
        (rows) => rows[0]?.sent === 3000 && rows[0]?.received === 3000,
        60_000,
      );
      expect(connection).toMatchObject({ sent: 3000, received: 3000 });
      expect(await panel.frame.$('[data-testid="loss-notice"]')).toBeNull();
      await session.detach();
    },
  );
});
