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

describe.each(e2eBrowsers())('a hostile page in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;

  beforeAll(async () => {
    const pages: Record<string, string> = {};
    for (const [name, attack] of Object.entries(ATTACKS)) pages[`/${name}`] = PAGE(attack);
    pages['/hijacker'] = HIJACKER;
    pages['/hijacked-child'] = HIJACKED_CHILD;
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
    // Give a stolen port's command time to run, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 500));
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
});
