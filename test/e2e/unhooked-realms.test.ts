import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import { openPanel, readConnections, waitForConnections } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * A page that opens sockets through the WebSocket of a same-origin realm the content script has
 * not reached (yet, or ever), or sends on a recorded socket through such a realm's native send.
 * Each socket sends one frame "<case>" on open; the server echoes it.
 */
const CHILD = '<!doctype html><title>child</title><body></body>';
const SELF_OPENING_CHILD = `<!doctype html><script>
  const ws = new WebSocket('ws://' + location.host + '/touched-then-loaded');
  ws.onopen = () => ws.send('touched-then-loaded');
</script>`;
const OPEN_AND_SEND = `
  const open = (W, name) => {
    const ws = new W('ws://' + location.host + '/' + name);
    ws.onopen = () => ws.send(name);
    window.sockets.push(ws);
  };
  window.sockets = [];
`;
const CASES: Record<string, string> = {
  // (1) An iframe with a src, used in the task that inserted it: its initial about:blank realm.
  'src-same-task': `<!doctype html><body><script>${OPEN_AND_SEND}
    const f = document.createElement('iframe'); f.src = '/child';
    document.body.append(f);
    open(f.contentWindow.WebSocket, 'src-same-task');
  </script></body>`,
  // (1b) The same, reaching the window through the frame's document.
  'document-same-task': `<!doctype html><body><script>${OPEN_AND_SEND}
    const f = document.createElement('iframe'); f.src = '/child';
    document.body.append(f);
    open(f.contentDocument.defaultView.WebSocket, 'document-same-task');
  </script></body>`,
  // (1c) Reached before it loads, the window is kept by the same-origin navigation (with our
  // wrappers in it): the child's own hook must not record its sockets a second time.
  'touched-then-loaded': `<!doctype html><body><script>
    const f = document.createElement('iframe'); f.src = '/self-opening-child';
    document.body.append(f);
    f.contentWindow.touched = true;
  </script></body>`,
  // (1d) A window the page opens, used at once (its initial about:blank).
  'window-open': `<!doctype html><body><script>${OPEN_AND_SEND}
    const w = window.open('/child');
    open(w.WebSocket, 'window-open');
  </script></body>`,
  // (2) A sandboxed iframe without allow-scripts: no content script ever runs in it.
  sandboxed: `<!doctype html><body><script>${OPEN_AND_SEND}
    const f = document.createElement('iframe'); f.sandbox = 'allow-same-origin'; f.src = '/child';
    f.onload = () => open(f.contentWindow.WebSocket, 'sandboxed');
    document.body.append(f);
  </script></body>`,
  // (3) A document.open()ed iframe.
  'document-open': `<!doctype html><body><script>${OPEN_AND_SEND}
    const f = document.createElement('iframe'); f.src = '/child';
    f.onload = () => {
      f.onload = null;
      const doc = f.contentDocument;
      doc.open();
      doc.write('<!doctype html><body>rewritten</body>');
      doc.close();
      open(f.contentWindow.WebSocket, 'document-open');
    };
    document.body.append(f);
  </script></body>`,
  // (4) A recorded socket of this window, sent on through another realm's native send.
  'foreign-send': `<!doctype html><body><script>
    window.sockets = [];
    const f = document.createElement('iframe'); f.sandbox = 'allow-same-origin'; f.src = '/child';
    f.onload = () => {
      const ws = new WebSocket('ws://' + location.host + '/foreign-send');
      ws.onopen = () => f.contentWindow.WebSocket.prototype.send.call(ws, 'foreign-send');
      window.sockets.push(ws);
    };
    document.body.append(f);
  </script></body>`,
  // (4b) The same through a frame that has a hook of its own.
  'foreign-send-hooked': `<!doctype html><body><script>
    window.sockets = [];
    const f = document.createElement('iframe'); f.src = '/child';
    f.onload = () => {
      const ws = new WebSocket('ws://' + location.host + '/foreign-send-hooked');
      ws.onopen = () => f.contentWindow.WebSocket.prototype.send.call(ws, 'foreign-send-hooked');
      window.sockets.push(ws);
    };
    document.body.append(f);
  </script></body>`,
};

/** What the page can learn of the getters and functions the hook wraps to reach child windows. */
const NATIVE_PROBE = `<!doctype html><body><script>
  window.probe = () => {
    const fnString = (fn) => Function.prototype.toString.call(fn);
    const report = [];
    for (const name of ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement']) {
      for (const key of ['contentWindow', 'contentDocument']) {
        const d = Object.getOwnPropertyDescriptor(window[name].prototype, key);
        report.push([name, key, d.enumerable, d.configurable, typeof d.set, d.get.name, d.get.length,
          fnString(d.get), String(d.get), Object.getPrototypeOf(d.get) === Function.prototype,
          Object.getOwnPropertyNames(d.get).sort().join(), 'prototype' in d.get]);
      }
    }
    const d = Object.getOwnPropertyDescriptor(window, 'open');
    report.push(['open', d.writable, d.enumerable, d.configurable, d.value.name, d.value.length,
      fnString(d.value), Object.getOwnPropertyNames(d.value).sort().join()]);
    const f = document.createElement('iframe');
    document.body.append(f);
    const w = f.contentWindow;
    report.push([w === f.contentWindow, w.document === f.contentDocument, fnString(w.WebSocket),
      fnString(w.Function.prototype.toString), w.Function.prototype.toString.call(WebSocket),
      w.WebSocket.name, w.WebSocket.length, Object.getPrototypeOf(w.WebSocket) === w.EventTarget]);
    try { Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow').get.call({}); }
    catch (e) { report.push([e.name, e.message, e.constructor === TypeError]); }
    return report;
  };
</script></body>`;

async function nativeProbe(name: 'chromium' | 'firefox', origin: string, withExtension: boolean) {
  const launched = await launchBrowser(name, { withExtension });
  try {
    const page = await launched.browser.newPage();
    await page.goto(`${origin}/native-probe`);
    return await page.evaluate(() => (window as unknown as { probe(): unknown }).probe());
  } finally {
    await launched.close();
  }
}

describe.each(e2eBrowsers())('sockets of unhooked realms in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    const pages: Record<string, string> = {
      '/child': CHILD,
      '/native-probe': NATIVE_PROBE,
      '/self-opening-child': SELF_OPENING_CHILD,
    };
    for (const [name, html] of Object.entries(CASES)) pages[`/${name}`] = html;
    server = await startTestServer(pages);
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it.each(Object.keys(CASES))('shows what the page sent and received: %s', async (name) => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/${name}`);
    const deadline = Date.now() + 10_000;
    while (!server.received.some((frame) => frame.path === `/${name}`)) {
      if (Date.now() > deadline) throw new Error(`the server never received /${name}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const serverSaw = server.received
      .filter((frame) => frame.path === `/${name}`)
      .map((frame) => frame.data.toString('utf8'));
    expect(serverSaw).toEqual([name]);
    const panel = await openPanel(launched, page);
    const url = `${server.wsOrigin}/${name}`;
    await waitForConnections(
      panel.frame,
      (rows) => rows.some((row) => row.url === url && row.received === 1 && row.sent === 1),
      5_000,
    ).catch(() => undefined);
    const rows = await readConnections(panel.frame);
    expect(rows.map((row) => [row.url, row.sent, row.received])).toEqual([[url, 1, 1]]);
    await panel.close();
    await page.close();
  });

  it('shows the page native getters, and child windows as native, as without the extension', async () => {
    const without = await nativeProbe(browserName, server.origin, false);
    const withExtension = await nativeProbe(browserName, server.origin, true);
    expect(withExtension).toEqual(without);
  });
});

describe.each(
  e2eBrowsers(),
)('a socket of a window the hook never reaches, in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    server = await startTestServer({ '/': '<!doctype html><body></body>', '/child': CHILD });
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  it('lists it from its handshake, marked as unseen by the hook', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    // Handshakes are read while a panel is open: the panel first, then the socket.
    const panel = await openPanel(launched, page);
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/child';
      document.body.append(frame);
      // Reached as window[0] in the task that inserted it: no content script has run there.
      const child = (window as unknown as Record<number, typeof window>)[0]!;
      const ws = new child.WebSocket(`ws://${location.host}/by-index`);
      ws.onopen = () => ws.send('by-index');
      (window as unknown as { kept: unknown }).kept = ws;
    });
    const url = `${server.wsOrigin}/by-index`;
    await waitForConnections(panel.frame, (rows) => rows.some((row) => row.url === url));
    const marks = await panel.frame.$$eval(
      '[data-testid="connection"]',
      (rows, url) =>
        rows
          .filter((row) => row.getAttribute('data-url') === url)
          .map((row) =>
            [...row.querySelectorAll('[data-testid$="-mark"]')].map((mark) =>
              mark.getAttribute('data-testid'),
            ),
          ),
      url,
    );
    // Chrome's DevTools log may then give it its frames: marked as read from there.
    expect(marks).toHaveLength(1);
    expect(['handshake-only-mark', 'worker-mark']).toContain(marks[0]?.[0]);
    await panel.close();
    await page.close();
  });
});
