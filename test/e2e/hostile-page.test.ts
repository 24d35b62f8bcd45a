import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  openPanel,
  readConnections,
  readFrames,
  waitForConnections,
  waitForFrameCount,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * Pages that know Sockscope's source and try to change what its panel shows, each with an
 * attack installed by its first script (after the hook, as any page script is), then ordinary
 * traffic: `exchange(n)` sends n frames "REAL:i" on an echo socket and waits for the echoes.
 */
const ATTACKS: Record<string, string> = {
  // Index setters under Array.prototype see every store to a missing index of any array.
  'array-index-setters': `
    for (let i = 0; i < 4096; i++) {
      Object.defineProperty(Array.prototype, i, {
        configurable: true,
        set(value) {
          const forged = typeof value === 'string' ? value.replace('REAL:', 'FORGED:') : value;
          Object.defineProperty(this, i, { value: forged, writable: true, enumerable: true, configurable: true });
        },
      });
    }`,
  // A Proxy under Array.prototype drops every store of a string (frames vanish).
  'array-prototype-proxy': `
    Object.setPrototypeOf(Array.prototype, new Proxy(Object.getPrototypeOf(Array.prototype), {
      set(target, key, value, receiver) {
        if (typeof value === 'string' && value.startsWith('REAL:')) return true;
        return Reflect.set(target, key, value, receiver);
      },
    }));`,
  // Getters where a reader looks for fields a batch might lack, and on CustomEvent.detail.
  'object-prototype-getters': `
    const forgedBatch = () => ({ subscription: 1, firstSeq: 0, lost: 0, records: [] });
    for (const name of ['connections', 'lost', 'firstSeq', 'subscription', 'kind', 'bytes', 'originalSize']) {
      Object.defineProperty(Object.prototype, name, { configurable: true, get() { throw new Error('blinded'); } });
    }
    Object.defineProperty(CustomEvent.prototype, 'detail', { configurable: true, get: forgedBatch });`,
};

const PAGE = (attack: string) => `<!doctype html><title>hostile</title><script>${attack}</script>
<script>
  window.socket = new WebSocket('ws://' + location.host + '/echo-hostile');
  window.socket.binaryType = 'arraybuffer';
  window.echoes = 0;
  window.socket.addEventListener('message', () => window.echoes++);
  window.ready = new Promise((resolve) => window.socket.addEventListener('open', resolve));
  window.sent = 0;
  window.exchange = async (count) => {
    await window.ready;
    const target = window.echoes + count;
    for (let i = 0; i < count; i++) window.socket.send('REAL:' + window.sent++);
    while (window.echoes < target) await new Promise((resolve) => setTimeout(resolve, 10));
  };
</script>`;

/**
 * A same-origin parent that watches a new iframe's window for the hook's channel: it keeps any
 * port it sees and speaks on it as the relay would (subscribe, then a command that would send a
 * frame marked as the user's), and hands the child a port of its own that answers as a hook
 * would, with a forged connection.
 */
const HIJACKER = `<!doctype html><body><script>
  window.seen = [];
  const frame = document.createElement('iframe');
  frame.src = '/hijacked-child';
  document.body.append(frame);
  const child = frame.contentWindow;
  const forge = () => {
    const fake = new MessageChannel();
    fake.port1.onmessage = (event) => {
      if (event.data && event.data.type === 'subscribe') {
        const created = { type: 'created', id: 1, time: Date.now(), requestedUrl: 'ws://forged.invalid/', url: 'ws://forged.invalid/', protocols: [] };
        fake.port1.postMessage({ subscription: event.data.subscription, firstSeq: 0, lost: 0, records: [0, 0, 0, created, 0, 0] });
      }
    };
    child.postMessage({ __sockscope_hook_hello__: true }, '*', [fake.port2]);
  };
  child.addEventListener('message', (event) => {
    if (event.source === window) return; // Its own forged hello.
    window.seen.push(Object.keys(event.data || {}).join());
    if (event.ports.length === 0) return;
    event.stopImmediatePropagation();
    const port = event.ports[0];
    port.postMessage({ type: 'subscribe', subscription: 1, fromSeq: 0 });
    setTimeout(() => port.postMessage({ type: 'command', commandId: 1, command: { kind: 'send', connectionId: 1, payload: { kind: 'text', text: 'INJECTED' }, origin: 'composed' } }), 300);
    forge();
  }, true);
  forge();
</script></body>`;

const HIJACKED_CHILD = `<!doctype html><script>
  const ws = new WebSocket('ws://' + location.host + '/echo-hijacked');
  ws.onopen = () => setTimeout(() => ws.send('child real'), 600);
</script>`;

/**
 * What a page can observe of the hook, for a run with and one without the extension: another
 * realm's toString on the hooked functions, and how often page code runs while the constructor
 * and send() read their arguments (the native code reads each exactly once).
 */
const OBSERVER = `<!doctype html><body><script>
  window.observe = async (wsUrl) => {
    const frame = document.createElement('iframe');
    document.body.append(frame);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const otherToString = frame.contentWindow.Function.prototype.toString;
    const toStrings = [WebSocket, WebSocket.prototype.send, WebSocket.prototype.close, Function.prototype.toString]
      .map((fn) => otherToString.call(fn));
    const reads = [];
    const url = { toString() { reads.push('url'); return wsUrl; } };
    const protocols = new Proxy(['a', 'b'], {
      get(target, key, receiver) {
        reads.push('protocols.' + String(key));
        return Reflect.get(target, key, receiver);
      },
    });
    const ws = new WebSocket(url, protocols);
    await new Promise((resolve) => { ws.onopen = resolve; ws.onerror = resolve; });
    ws.send({ toString() { reads.push('data'); return 'converted'; } });
    ws.close();
    return { toStrings, reads, protocol: ws.protocol };
  };
</script></body>`;

/** A child frame that tries to speak to its parent's hook or relay the way the old hook did. */
const CHILD_INTRUDER = `<!doctype html><script>
  const fake = new MessageChannel();
  fake.port1.onmessage = () => {
    fake.port1.postMessage({ type: 'command', commandId: 1, command: { kind: 'send', connectionId: 1, payload: { kind: 'text', text: 'INJECTED' }, origin: 'composed' } });
  };
  parent.postMessage({ __sockscope_hook_hello__: true }, '*', [fake.port2]);
  fake.port1.postMessage({ type: 'subscribe', subscription: 1, fromSeq: 0 });
</script>`;

const INTRUDED_PARENT = `<!doctype html><body><script>
  const ws = new WebSocket('ws://' + location.host + '/echo-intruded');
  ws.onopen = () => {
    const child = document.createElement('iframe');
    child.src = '/child-intruder';
    document.body.append(child);
    setTimeout(() => ws.send('parent real'), 600);
  };
</script></body>`;

describe.each(e2eBrowsers())('what a hostile page observes in %s', (browserName) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ '/observer': OBSERVER });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function observe(withExtension: boolean): Promise<Record<string, unknown>> {
    const launched = await launchBrowser(browserName, { withExtension });
    try {
      const page = await launched.browser.newPage();
      await page.goto(`${server.origin}/observer`);
      return await page.evaluate(
        (url: string) =>
          (window as unknown as { observe(url: string): Promise<Record<string, unknown>> }).observe(
            url,
          ),
        `${server.wsOrigin}/echo-observed`,
      );
    } finally {
      await launched.close();
    }
  }

  it('sees the same toString from another realm and the same argument reads as without it', async () => {
    const without = await observe(false);
    const withExtension = await observe(true);
    expect(withExtension).toEqual(without);
    // The baseline says what it claims: native text, each argument read once.
    expect(String((without.toStrings as string[])[0])).toMatch(/function WebSocket\(\)/);
    expect((without.reads as string[]).filter((read) => read === 'url')).toHaveLength(1);
    expect((without.reads as string[]).filter((read) => read === 'data')).toHaveLength(1);
  });
});

describe.each(e2eBrowsers())('a hostile page in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    const pages: Record<string, string> = {};
    for (const [name, attack] of Object.entries(ATTACKS)) pages[`/${name}`] = PAGE(attack);
    pages['/hijacker'] = HIJACKER;
    pages['/hijacked-child'] = HIJACKED_CHILD;
    pages['/intruded'] = INTRUDED_PARENT;
    pages['/child-intruder'] = CHILD_INTRUDER;
    server = await startTestServer(pages);
    launched = await launchBrowser(browserName);
  });
  afterAll(async () => {
    await launched?.close();
    await server?.close();
  });

  const exchange = (page: Page, count: number) =>
    page.evaluate(
      (count: number) =>
        (window as unknown as { exchange(count: number): Promise<void> }).exchange(count),
      count,
    );

  it.each(
    Object.keys(ATTACKS),
  )('cannot change, hide or forge what the panel shows: %s', async (attack) => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/${attack}`);
    const before = server.received.length;
    // Some traffic before the panel opens (it arrives as the backlog), some after (live).
    await exchange(page, 5);
    const panel = await openPanel(launched, page);
    await exchange(page, 5);
    const serverSaw = server.received
      .slice(before)
      .filter((frame) => frame.path === '/echo-hostile')
      .map((frame) => frame.data.toString('utf8'));
    expect(serverSaw).toEqual(Array.from({ length: 10 }, (_, i) => `REAL:${i}`));
    await waitForFrameCount(panel.frame, ({ total }) => total >= 20, 10_000).catch(() => undefined);
    const connections = await readConnections(panel.frame);
    expect(connections.map((row) => [row.url, row.sent, row.received])).toEqual([
      [`${server.wsOrigin}/echo-hostile`, 10, 10],
    ]);
    const texts = (await readFrames(panel.frame)).map(
      (row) => /(REAL|FORGED):\d+/.exec(row.text)?.[0],
    );
    // Each exchange sends all its frames before the echoes come back.
    const expected = [0, 5].flatMap((from) => {
      const sent = serverSaw.slice(from, from + 5);
      return [...sent, ...sent];
    });
    expect(texts).toEqual(expected);
    await panel.close();
    await page.close();
  });

  it('keeps the channel between hook and relay out of reach of a same-origin parent', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/${Object.keys(ATTACKS)[0]}?before-hijack`);
    const panel = await openPanel(launched, page);
    await page.goto(`${server.origin}/hijacker`);
    const url = `${server.wsOrigin}/echo-hijacked`;
    await waitForConnections(panel.frame, (rows) => rows.some((row) => row.received === 1));
    // A command needs a stolen port, and the page saw no hello to steal one from (\`seen\`,
    // below); the round trip puts whatever the child sent before it in \`server.received\`.
    await server.roundTrip('/echo-hijacked');
    const serverSaw = server.received
      .filter((frame) => frame.path === '/echo-hijacked')
      .map((frame) => frame.data.toString('utf8'));
    expect(serverSaw).toEqual(['child real']);
    const rows = await readConnections(panel.frame);
    expect(rows.map((row) => [row.url, row.sent, row.received])).toEqual([[url, 1, 1]]);
    const texts = (await readFrames(panel.frame)).map((row) => row.text);
    expect(texts.some((text) => text.includes('composed'))).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    await panel.close();
    await page.close();
  });

  it('takes no port or command from a child frame that speaks as the hook would', async () => {
    const page = await launched.browser.newPage();
    await page.goto(`${server.origin}/${Object.keys(ATTACKS)[0]}?before-intrusion`);
    const panel = await openPanel(launched, page);
    await page.goto(`${server.origin}/intruded`);
    const url = `${server.wsOrigin}/echo-intruded`;
    await waitForConnections(panel.frame, (rows) =>
      rows.some((row) => row.url === url && row.received === 1),
    );
    // The intruder's command went as its frame loaded, before the parent's own frame.
    await server.roundTrip('/echo-intruded');
    const serverSaw = server.received
      .filter((frame) => frame.path === '/echo-intruded')
      .map((frame) => frame.data.toString('utf8'));
    expect(serverSaw).toEqual(['parent real']);
    const rows = await readConnections(panel.frame);
    expect(rows.map((row) => [row.url, row.sent, row.received])).toEqual([[url, 1, 1]]);
    await panel.close();
    await page.close();
  });
});
