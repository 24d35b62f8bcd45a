import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  openPanel,
  readConnections,
  readFrames,
  waitForConnections,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * A hostile-page review: pages that have read Sockscope's source try to change what the panel
 * shows, hide from it, act through it or notice it. Each test that fails names a hole.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * (1) Object.prototype getter named `mock`: the hook reads `state.mock` on its own per-socket
 * state, an ordinary object literal, on every send. The getter runs with `this` = that state,
 * whose `owner` is the hook's registry: the page records frames as it likes, marked as the user's.
 */
const STATE_LEAK = `<!doctype html><body><script>
  window.getterCalls = 0;
  window.leaked = false;
  let state = null;
  Object.defineProperty(Object.prototype, 'mock', {
    configurable: true,
    get() {
      window.getterCalls++;
      if (Object.hasOwn(this, 'owner') && Object.hasOwn(this, 'closeRequested')) state = this;
      return undefined;
    },
  });
  const ws = new WebSocket('ws://' + location.host + '/echo-state-leak');
  ws.onopen = () => {
    ws.send('real');
    if (state) {
      window.leaked = true;
      state.owner.frames.recordSend(ws, state.id, 'FORGED-SENT', 'composed');
      state.owner.frames.recordReceive(state.id, 'FORGED-RECEIVED', 'page');
    }
  };
  window.ws = ws;
</script></body>`;

/**
 * (2) Firefox reads the hook's batches in place, waived: a Blob payload's bytes are read with
 * the page's Blob.prototype.arrayBuffer (and its size with the page's getter).
 */
const BLOB_FORGE = `<!doctype html><body><script>
  Blob.prototype.arrayBuffer = async function () { return new Uint8Array([0xde, 0xad, 0xbe, 0xef]).buffer; };
  const ws = new WebSocket('ws://' + location.host + '/echo-blob-forge');
  ws.onopen = () => ws.send(new Blob([new Uint8Array([1, 2, 3, 4])]));
  window.ws = ws;
</script></body>`;

/**
 * (1b) The same leak used to hide: the page gives its socket's state an owner of its own, and
 * from then on nothing it sends on that socket is recorded.
 */
const STATE_HIDE = `<!doctype html><body><script>
  let state = null;
  Object.defineProperty(Object.prototype, 'mock', {
    configurable: true,
    get() {
      if (Object.hasOwn(this, 'owner') && Object.hasOwn(this, 'closeRequested')) state = this;
      return undefined;
    },
  });
  const ws = new WebSocket('ws://' + location.host + '/echo-state-hide');
  ws.onopen = () => {
    ws.send('shown');
    // Only where the getter was handed the state: the send goes out either way.
    if (state) {
      const real = state.owner;
      state.owner = { gate: real.gate, rules: real.rules, frames: { sendStacks: () => false, recordSend() {} } };
    }
    ws.send('hidden');
  };
  window.ws = ws;
</script></body>`;

/**
 * (3) A capturing listener on the socket itself runs before the hook's (bubbling) listener at the
 * target: stopImmediatePropagation there hides a message and the close from the hook.
 */
const CAPTURE_STOP = `<!doctype html><body><script>
  window.got = [];
  const ws = new WebSocket('ws://' + location.host + '/echo-capture-stop');
  for (const type of ['message', 'close']) {
    ws.addEventListener(type, (event) => {
      event.stopImmediatePropagation();
      window.got.push(type + ':' + (event.data ?? event.code));
      if (type === 'message') ws.close(4001, 'bye');
    }, true);
  }
  ws.onopen = () => ws.send('echo me');
  window.ws = ws;
</script></body>`;

/**
 * (4) Chromium: V8's CallSite API gives a sloppy-mode frame's receiver. The hook's Proxy traps are
 * sloppy functions called with their handler as \`this\`; page code running under send()'s trap
 * (the data's toString) takes the handler and replaces the trap.
 */
const CALLSITE = `<!doctype html><body><script>
  const handlers = [];
  const ws = new WebSocket('ws://' + location.host + '/echo-callsite');
  ws.onopen = () => {
    Error.prepareStackTrace = (error, sites) => {
      for (const site of sites) {
        const receiver = site.getThis();
        if (receiver && typeof receiver === 'object' && Object.getPrototypeOf(receiver) === null) handlers.push(receiver);
      }
      return '';
    };
    ws.send({ toString() { new Error().stack; return 'recorded'; } });
    delete Error.prepareStackTrace;
    window.handlerKeys = handlers.map((handler) => Object.keys(handler).join());
    for (const handler of handlers) {
      if (typeof handler.apply === 'function') handler.apply = (target, self, args) => Reflect.apply(target, self, args);
    }
    ws.send('hidden');
  };
  window.ws = ws;
</script></body>`;

/**
 * (5) What a page can tell with and without the extension (compared key by key): timer ids, the
 * order in which a Proxy new.target's \`prototype\` and the URL's toString run, messages that
 * V8 builds from a function's text, and a native error thrown through a hook Proxy.
 */
const NOTICE_PROBE = `<!doctype html><head><script>
  const firstTimer = setTimeout(() => {}, 0);
  window.probe = (wsBase) => {
    const report = { firstTimer };
    const order = [];
    const newTarget = new Proxy(function () {}, {
      get(target, key, receiver) { order.push('get:' + String(key)); return Reflect.get(target, key, receiver); },
    });
    const url = { toString() { order.push('url'); return wsBase + '/echo-notice'; } };
    try { Reflect.construct(WebSocket, [url], newTarget).close(); } catch (e) { order.push('threw:' + e.name); }
    report.newTargetOrder = order;
    const order2 = [];
    const throwing = new Proxy(function () {}, {
      get(target, key) { order2.push('get:' + String(key)); if (key === 'prototype') throw new RangeError('no prototype'); return Reflect.get(target, key); },
    });
    const url2 = { toString() { order2.push('url'); return wsBase + '/echo-notice'; } };
    try { Reflect.construct(WebSocket, [url2], throwing).close(); } catch (e) { order2.push('threw:' + e.name); }
    report.throwingNewTarget = order2;
    const cloneMessage = (value) => { try { structuredClone(value); return 'cloned'; } catch (e) { return e.name + ': ' + e.message; } };
    report.cloneMessages = [cloneMessage(WebSocket), cloneMessage(WebSocket.prototype.send), cloneMessage(Function.prototype.toString)];
    try { Function.prototype.toString.call({}); } catch (e) { report.toStringStackLines = String(e.stack).split('\\n').length; }
    return report;
  };
</script></head><body></body>`;

/**
 * (6) A-B-A nesting: top (127.0.0.1) > middle (localhost) > inner (127.0.0.1). The inner hook
 * finds no same-origin parent (frameElement is null across the middle) and starts a group of its
 * own, yet top reaches inner as window[0][0]: inner's send() does not know top's sockets, and
 * inner's toString does not know top's wrappers.
 */
const ABA_TOP = `<!doctype html><body><script>
  window.report = null;
  const ws = new WebSocket('ws://' + location.host + '/echo-aba');
  const opened = new Promise((resolve) => { ws.onopen = resolve; });
  const frame = document.createElement('iframe');
  frame.src = location.protocol + '//localhost:' + location.port + '/aba-middle';
  document.body.append(frame);
  (async () => {
    await opened;
    let inner;
    for (;;) {
      try { inner = window[0][0]; if (inner && inner.document.readyState === 'complete' && inner.WebSocket) break; } catch {}
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    ws.send('shown-aba');
    inner.WebSocket.prototype.send.call(ws, 'hidden-aba');
    window.report = { toString: inner.Function.prototype.toString.call(WebSocket) };
  })();
  window.ws = ws;
</script></body>`;
const ABA_MIDDLE = `<!doctype html><body><iframe src="PLACEHOLDER/aba-inner"></iframe></body>`;
const ABA_INNER = `<!doctype html><body>inner</body>`;

/**
 * (6b) Siblings: a page of one origin (localhost) holds two frames of another (127.0.0.1). The
 * frames have no same-origin parent, opener or top, yet reach each other as parent[0] and
 * parent[1]: the first's socket sent on through the second's send() went unrecorded.
 */
const SIBLINGS_TOP = `<!doctype html><body><iframe src="PLACEHOLDER/sibling-a"></iframe><script>
  // The second frame comes later, once the first has its socket: its hook is the newer one.
  setTimeout(() => {
    const frame = document.createElement('iframe');
    frame.src = 'PLACEHOLDER/sibling-b';
    document.body.append(frame);
  }, 300);
</script></body>`;
const SIBLING_A = `<!doctype html><body><script>
  window.report = null;
  const ws = new WebSocket('ws://' + location.host + '/echo-siblings');
  const opened = new Promise((resolve) => { ws.onopen = resolve; });
  (async () => {
    await opened;
    let sibling;
    for (;;) {
      try { sibling = parent[1]; if (sibling && sibling.document.readyState === 'complete' && sibling.WebSocket) break; } catch {}
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    ws.send('shown-siblings');
    sibling.WebSocket.prototype.send.call(ws, 'hidden-siblings');
    window.report = { toString: sibling.Function.prototype.toString.call(WebSocket) };
  })();
</script></body>`;
const SIBLING_B = `<!doctype html><body>b</body>`;

/**
 * (7) document.open() erases every listener of the window, the hook's too: a child frame's hook
 * then asks the page itself to share the hooks' group, and takes the page's own.
 */
const OPENED_PARENT = `<!doctype html><body><script>
  setTimeout(() => {
    document.open();
    document.write('<!doctype html><body></body>');
    document.close();
    window.seen = [];
    const group = { disguises: new WeakMap(), sockets: new WeakMap(), adopted: new WeakMap() };
    addEventListener('sockscope-share-disguises', (event) => {
      window.seen.push(typeof event.detail);
      if (typeof event.take === 'function') event.take(group);
    }, true);
    const frame = document.createElement('iframe');
    frame.src = '/opened-child';
    document.body.append(frame);
    const poll = setInterval(() => {
      const child = frame.contentWindow;
      const state = child && child.ws && group.sockets.get(child.ws);
      if (!state || child.ws.readyState !== 1) return;
      clearInterval(poll);
      state.owner.frames.recordSend(child.ws, state.id, 'FORGED-BY-PARENT', 'composed');
      window.forged = true;
    }, 50);
  }, 0);
</script></body>`;
const OPENED_CHILD = `<!doctype html><script>
  window.ws = new WebSocket('ws://' + location.host + '/echo-opened');
  ws.onopen = () => ws.send('child real');
</script>`;

/**
 * (8) document.open() also erases the hook's pagehide listener: what a document sends just before
 * it goes away is never handed over, and a panel that is open never sees it (the leaver runs in
 * an iframe its parent removes in the task that sends; PLAIN_LEAVER is the control).
 */
const OPENED_LEAVER = `<!doctype html><body><script>
  setTimeout(() => {
    document.open();
    document.write('<!doctype html><body>rewritten</body>');
    document.close();
    window.ws = new WebSocket('ws://' + location.host + '/sink-leaver');
    ws.onopen = () => {
      window.ready = true;
    };
  }, 0);
</script></body>`;

const PLAIN_LEAVER = OPENED_LEAVER.replace('document.open();', '')
  .replace("document.write('<!doctype html><body>rewritten</body>');", '')
  .replace('document.close();', '')
  .replace('/sink-leaver', '/sink-plain-leaver');

/** Hosts a leaver in an iframe and removes the iframe in the task that sends: deterministic. */
const LEAVER_HOST = `<!doctype html><body><script>
  const name = new URLSearchParams(location.search).get('child');
  const frame = document.createElement('iframe');
  frame.src = '/' + name + '?in-frame';
  document.body.append(frame);
  window.go = async () => {
    while (!frame.contentWindow.ready) await new Promise((resolve) => setTimeout(resolve, 20));
    frame.contentWindow.ws.send('last words');
    frame.remove();
  };
</script></body>`;

const PAGES: Record<string, string> = {
  '/leaver-host': LEAVER_HOST,
  '/plain-leaver': PLAIN_LEAVER,
  '/aba-top': ABA_TOP,
  '/aba-inner': ABA_INNER,
  '/sibling-a': SIBLING_A,
  '/sibling-b': SIBLING_B,
  '/opened-parent': OPENED_PARENT,
  '/opened-child': OPENED_CHILD,
  '/opened-leaver': OPENED_LEAVER,
  '/': '<!doctype html><body>start</body>',
  '/notice-probe': NOTICE_PROBE,
  '/state-leak': STATE_LEAK,
  '/state-hide': STATE_HIDE,
  '/blob-forge': BLOB_FORGE,
  '/capture-stop': CAPTURE_STOP,
  '/callsite': CALLSITE,
};

describe.each(e2eBrowsers())('hostile review in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    server = await startTestServer(PAGES);
    server.route('/aba-middle', ABA_MIDDLE.replace('PLACEHOLDER', server.origin));
    server.route('/siblings-top', SIBLINGS_TOP.replaceAll('PLACEHOLDER', server.origin));
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  async function serverFrames(path: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    while (server.received.filter((frame) => frame.path === path).length < count) {
      if (Date.now() > deadline) break;
      await sleep(50);
    }
    return server.received
      .filter((frame) => frame.path === path)
      .map((frame) =>
        frame.isBinary ? `bin:${frame.data.toString('hex')}` : frame.data.toString('utf8'),
      );
  }

  async function panelView(
    page: Page,
    path: string,
    settle: (rows: { sent: number; received: number }) => boolean,
  ) {
    const panel = await openPanel(launched, page);
    const url = `${server.wsOrigin}${path}`;
    await waitForConnections(
      panel.frame,
      (rows) => rows.some((row) => row.url === url && settle(row)),
      8_000,
    ).catch(() => undefined);
    await sleep(300);
    const connections = (await readConnections(panel.frame)).map((row) => [
      row.url,
      row.sent,
      row.received,
    ]);
    const frames = (await readFrames(panel.frame)).map((row) => row.text);
    await panel.close();
    return { connections, frames };
  }

  /**
   * The page sent `shown-NAME` on its socket and `hidden-NAME` through another window's send():
   * the server got both, the panel shows both, and the other window's toString reads the hooked
   * WebSocket as native (the `report`). Closes the page.
   */
  async function expectBothSends(page: Page, name: string, report: unknown) {
    const path = `/echo-${name}`;
    const serverSaw = await serverFrames(path, 2);
    expect(serverSaw).toEqual([`shown-${name}`, `hidden-${name}`]);
    const view = await panelView(page, path, (row) => row.received >= 2);
    console.log(browserName, name, JSON.stringify({ report, view }));
    await page.close();
    // As each browser writes a native function.
    const native =
      browserName === 'firefox'
        ? 'function WebSocket() {\n    [native code]\n}'
        : 'function WebSocket() { [native code] }';
    expect(report).toEqual({ toString: native });
    expect(view.connections).toEqual([[`${server.wsOrigin}${path}`, 2, 2]]);
  }

  it('keeps its per-socket state out of a page getter on Object.prototype (mock)', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/state-leak`);
    const serverSaw = await serverFrames('/echo-state-leak', 1);
    expect(serverSaw).toEqual(['real']);
    const pageSaw = await page.evaluate(() => ({
      getterCalls: (window as unknown as { getterCalls: number }).getterCalls,
      leaked: (window as unknown as { leaked: boolean }).leaked,
    }));
    const view = await panelView(page, '/echo-state-leak', (row) => row.received >= 1);
    console.log(browserName, 'state-leak', JSON.stringify({ pageSaw, view }));
    await page.close();
    // Natively nothing reads `mock`: the page's getter never runs.
    expect(pageSaw).toEqual({ getterCalls: 0, leaked: false });
    expect(view.frames.some((text) => text.includes('FORGED'))).toBe(false);
    expect(view.connections).toEqual([[`${server.wsOrigin}/echo-state-leak`, 1, 1]]);
  });

  it("reads a Blob payload's bytes without the page's Blob.prototype", async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/blob-forge`);
    const serverSaw = await serverFrames('/echo-blob-forge', 1);
    expect(serverSaw).toEqual(['bin:01020304']);
    const view = await panelView(page, '/echo-blob-forge', (row) => row.received >= 1);
    console.log(browserName, 'blob-forge', JSON.stringify(view));
    await page.close();
    expect(view.frames.some((text) => text.includes('de ad be ef'))).toBe(false);
    expect(view.frames.filter((text) => text.includes('01 02 03 04'))).toHaveLength(2);
  });

  it('cannot be told to stop recording a socket through its leaked state', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/state-hide`);
    const serverSaw = await serverFrames('/echo-state-hide', 2);
    expect(serverSaw).toEqual(['shown', 'hidden']);
    const view = await panelView(page, '/echo-state-hide', (row) => row.received >= 2);
    console.log(browserName, 'state-hide', JSON.stringify(view));
    await page.close();
    expect(view.connections).toEqual([[`${server.wsOrigin}/echo-state-hide`, 2, 2]]);
  });

  it('records a message and a close that a capturing listener on the socket stops', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/capture-stop`);
    const serverSaw = await serverFrames('/echo-capture-stop', 1);
    expect(serverSaw).toEqual(['echo me']);
    await page.waitForFunction(() => (window as unknown as { got: string[] }).got.length >= 2, {
      timeout: 5_000,
    });
    const panel = await openPanel(launched, page);
    const url = `${server.wsOrigin}/echo-capture-stop`;
    await waitForConnections(
      panel.frame,
      (rows) => rows.some((row) => row.url === url && row.received === 1 && row.state === 'closed'),
      6_000,
    ).catch(() => undefined);
    const rows = await readConnections(panel.frame);
    console.log(
      browserName,
      'capture-stop',
      JSON.stringify(rows),
      await page.evaluate(() => (window as unknown as { got: string[] }).got),
    );
    await panel.close();
    await page.close();
    expect(rows.map((row) => [row.url, row.sent, row.received, row.state, row.closeCode])).toEqual([
      [url, 1, 1, 'closed', '4001'],
    ]);
  });

  it('keeps its Proxy handlers out of V8 CallSite receivers', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/callsite`);
    const serverSaw = await serverFrames('/echo-callsite', 2);
    expect(serverSaw).toEqual(['recorded', 'hidden']);
    const handlerKeys = await page.evaluate(
      () => (window as unknown as { handlerKeys: string[] }).handlerKeys,
    );
    const view = await panelView(page, '/echo-callsite', (row) => row.received >= 2);
    console.log(browserName, 'callsite', JSON.stringify({ handlerKeys, view }));
    await page.close();
    expect(handlerKeys).toEqual([]);
    expect(view.connections).toEqual([[`${server.wsOrigin}/echo-callsite`, 2, 2]]);
  });

  /** The probe's answers without and with the extension, taken once per browser. */
  let probed:
    | Promise<{ without: Record<string, unknown>; withIt: Record<string, unknown> }>
    | undefined;
  const probeBoth = () => {
    probed ??= (async () => {
      const probe = async (withExtension: boolean) => {
        const other = withExtension
          ? launched
          : await launchBrowser(browserName, { withExtension: false });
        try {
          const page = await other.browser.newPage();
          await page.goto(`${server.origin}/notice-probe`);
          const report = await page.evaluate(
            (base: string) =>
              (window as unknown as { probe(base: string): Record<string, unknown> }).probe(base),
            server.wsOrigin,
          );
          await page.close();
          return report;
        } finally {
          if (!withExtension) await other.close();
        }
      };
      const without = await probe(false);
      const withIt = await probe(true);
      console.log(browserName, 'notice', JSON.stringify({ without, withIt }));
      return { without, withIt };
    })();
    return probed;
  };

  it.each([
    ['firstTimer', "the id of the page's first setTimeout"],
    ['newTargetOrder', 'the order of new.target.prototype and the URL conversion'],
    ['throwingNewTarget', 'whether the URL is converted when new.target.prototype throws'],
  ])('gives a page the same %s as without it (%s)', async (key) => {
    const { without, withIt } = await probeBoth();
    expect(withIt[key]).toEqual(without[key]);
  });

  // What README's "A page can notice" states, held to it: one more frame in the stack of an error
  // thrown inside a wrapped function, and (Firefox) a Proxy named in structuredClone's message.
  it('differs from a page without it only as README states: a thrown error has one frame more', async () => {
    const { without, withIt } = await probeBoth();
    expect(withIt.toStringStackLines).toBe((without.toStringStackLines as number) + 1);
  });
  it("names a Proxy in structuredClone's error for the wrapped functions only in Firefox", async () => {
    const { without, withIt } = await probeBoth();
    if (browserName === 'chromium') expect(withIt.cloneMessages).toEqual(without.cloneMessages);
    else {
      expect(withIt.cloneMessages).toEqual(
        (without.cloneMessages as string[]).map((message) => message.replace('Function', 'Proxy')),
      );
    }
  });

  it('records a send of its socket through a same-origin window nested in a cross-origin one', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/aba-top`);
    await page.waitForFunction(() => (window as unknown as { report: unknown }).report !== null, {
      timeout: 10_000,
    });
    const report = await page.evaluate(() => (window as unknown as { report: unknown }).report);
    await expectBothSends(page, 'aba', report);
  });

  it('records a send of its socket through a same-origin sibling in a cross-origin page', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.otherOrigin}/siblings-top`);
    const frameA = () => page.frames().find((frame) => frame.url().endsWith('/sibling-a'));
    const deadline = Date.now() + 10_000;
    let report: unknown = null;
    while (report === null && Date.now() < deadline) {
      report =
        (await frameA()
          ?.evaluate(() => (window as unknown as { report: unknown }).report)
          .catch(() => null)) ?? null;
      if (report === null) await sleep(100);
    }
    await expectBothSends(page, 'siblings', report);
  });

  it('answers no page listener, and takes no group from the page, after document.open()', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/opened-parent`);
    const serverSaw = await serverFrames('/echo-opened', 1);
    expect(serverSaw).toEqual(['child real']);
    await sleep(500);
    const pageSaw = await page.evaluate(() => ({
      seen: (window as unknown as { seen: string[] }).seen,
      forged: (window as unknown as { forged?: boolean }).forged ?? false,
    }));
    const view = await panelView(page, '/echo-opened', (row) => row.received >= 1);
    console.log(browserName, 'opened-parent', JSON.stringify({ pageSaw, view }));
    await page.close();
    expect(pageSaw).toEqual({ seen: [], forged: false });
    expect(view.frames.some((text) => text.includes('FORGED'))).toBe(false);
  });

  it.each([
    ['plain-leaver', '/sink-plain-leaver'],
    ['opened-leaver', '/sink-leaver'],
  ])('hands over what a frame sent just before it was removed (%s)', async (name, path) => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/`);
    const panel = await openPanel(launched, page);
    await page.goto(`${server.origin}/leaver-host?child=${name}`);
    await page.evaluate(() => (window as unknown as { go(): Promise<void> }).go());
    const serverSaw = await serverFrames(path, 1);
    expect(serverSaw.at(-1)).toEqual('last words');
    const url = `${server.wsOrigin}${path}`;
    await waitForConnections(
      panel.frame,
      (rows) => rows.some((row) => row.url === url && row.sent === 1),
      5_000,
    ).catch(() => undefined);
    const rows = (await readConnections(panel.frame)).filter((row) => row.url === url);
    console.log(browserName, 'removed', name, JSON.stringify(rows));
    await panel.close();
    await page.close();
    expect(rows.map((row) => [row.url, row.sent])).toEqual([[url, 1]]);
  });
});
