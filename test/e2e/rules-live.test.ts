import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRule } from '../../src/protocol/socket-rules';
import { waitForDownload } from '../support/downloads';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  type FrameRow,
  fillField,
  inExtensionPage,
  type OpenPanel,
  openPanel,
  revealControl,
  waitForConnections,
  waitForFrames,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * Rules on live pages, beyond rules.test.ts: in every frame of the tab (same-origin and
 * cross-origin iframes), in a new tab of the site, each action the unit tests alone covered
 * (delay, rewrite-json, a byte-rate throttle, fail after N frames, close at open), and the rules
 * and the session they marked going out and back in through files.
 */

/** Notes what a page's listeners saw, with when (performance.now()). */
const NOTE = `window.seen = [];
  const note = (...entry) => seen.push([performance.now(), ...entry]);`;

/** The top page: two iframes, one of its origin, one of another, each reporting to it. */
const FRAMES_PAGE = `<!doctype html><title>frames</title><body><script>
  ${NOTE}
  addEventListener('message', (event) => { if (Array.isArray(event.data)) note(...event.data); });
  for (const [who, origin] of [['same', location.origin], ['cross', 'http://localhost:' + location.port]]) {
    const frame = document.createElement('iframe');
    frame.src = origin + '/frame-child?who=' + who;
    document.body.append(frame);
  }
</script>`;

/** In an iframe: a chat opened by its first script, sending at once. */
const FRAME_CHILD = `<!doctype html><title>child</title><script>
  const who = new URLSearchParams(location.search).get('who');
  const note = (...entry) => parent.postMessage([who, ...entry], '*');
  const ws = new WebSocket('ws://' + location.host + '/frame-chat-' + who);
  ws.onopen = () => { note('origin', location.origin); ws.send('ping'); ws.send('secret'); ws.send('after'); };
  ws.onmessage = (event) => note('message', event.data);
  ws.onclose = (event) => note('close', event.code);
</script>`;

/** A new tab's page: its first script opens a chat and a socket to a server that is "down". */
const TAB_PAGE = `<!doctype html><title>tab</title><script>
  ${NOTE}
  const chat = new WebSocket('ws://' + location.host + '/tab-chat');
  chat.onopen = () => chat.send('ping');
  chat.onmessage = (event) => note('/tab-chat', 'message', event.data);
  const broken = new WebSocket('ws://' + location.host + '/tab-broken');
  broken.onopen = () => note('/tab-broken', 'open');
  broken.onerror = () => note('/tab-broken', 'error');
  broken.onclose = (event) => note('/tab-broken', 'close', event.code, event.reason, event.wasClean);
</script>`;

/** What the action pages send once their socket opens, by the socket's path. */
const SENDS: Record<string, string[]> = {
  '/delay': ['slow', 'fast'],
  '/rewrite-json': ['{"type":"hello","user":{"name":"ada","id":7}}'],
  // Three frames of 600 bytes through a 1000-bytes-a-second throttle.
  '/throttle': ['a', 'b', 'c'].map((letter) => letter.padEnd(600, '.')),
  // The server answers with four frames: "0" to "3".
  '/fail': ['burst:4'],
  '/closed-at-open': [],
};

/** A page whose first script opens one socket (`?socket=PATH`) and sends SENDS[PATH] at open. */
const ACTION_PAGE = `<!doctype html><title>action</title><script>
  ${NOTE}
  const path = new URLSearchParams(location.search).get('socket');
  const sends = ${JSON.stringify(SENDS)}[path];
  const ws = new WebSocket('ws://' + location.host + path);
  ws.onopen = () => { note('open'); for (const data of sends) { note('send', data); ws.send(data); } };
  ws.onmessage = (event) => note('message', event.data);
  ws.onerror = () => note('error');
  ws.onclose = (event) => note('close', event.code, event.reason, event.wasClean);
</script>`;

const rule = (
  name: string,
  urlPattern: string,
  direction: SocketRule['direction'],
  payload: SocketRule['payload'],
  action: SocketRule['action'],
): SocketRule => ({
  id: name.replaceAll(' ', '-'),
  name,
  enabled: true,
  urlPattern,
  direction,
  payload,
  action,
});

/** Stored before the tests; the byte-rate throttle is made in the form. */
const STORED: SocketRule[] = [
  rule(
    'frame pong',
    '*/frame-chat-*',
    'outgoing',
    { kind: 'regex', pattern: '^ping$', flags: '' },
    { type: 'reply', template: 'pong from a rule', delayMs: 0 },
  ),
  rule(
    'frame drop',
    '*/frame-chat-*',
    'outgoing',
    { kind: 'text', text: 'secret' },
    { type: 'drop' },
  ),
  rule(
    'tab pong',
    '*/tab-chat',
    'outgoing',
    { kind: 'regex', pattern: '^ping$', flags: '' },
    { type: 'reply', template: 'pong in a new tab', delayMs: 0 },
  ),
  rule('tab down', '*/tab-broken', 'any', { kind: 'any' }, { type: 'fail', afterMatches: 0 }),
  rule(
    'hold slow',
    '*/delay',
    'outgoing',
    { kind: 'text', text: 'slow' },
    { type: 'delay', delayMs: 1000 },
  ),
  rule(
    'rename user',
    '*/rewrite-json',
    'outgoing',
    { kind: 'json', path: 'type', equals: '"hello"' },
    { type: 'rewrite-json', path: 'user.name', value: '"grace"' },
  ),
  rule('fail on second', '*/fail', 'incoming', { kind: 'any' }, { type: 'fail', afterMatches: 2 }),
  rule(
    'closed for maintenance',
    'ws://127.0.0.1:*/closed-at-open',
    'any',
    { kind: 'any' },
    { type: 'close', code: 4000, reason: 'maintenance', afterMatches: 0 },
  ),
];

type Seen = Array<[number, ...unknown[]]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The rows a rule marked with `mark` ("delayed: hold slow"). */
const marked = (rows: FrameRow[], mark: string) => rows.filter((row) => row.text.includes(mark));

describe.each(e2eBrowsers())('rules on live pages in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let downloads: string;
  let page: Page;
  let panel: OpenPanel;

  const seenOf = (tab: Page) => tab.evaluate(() => (window as unknown as { seen: Seen }).seen);
  const waitForSeen = async (tab: Page, check: (entries: Seen) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const entries = await seenOf(tab);
      if (check(entries)) return entries;
      if (Date.now() > deadline)
        throw new Error(`the page never saw ${what}; it saw ${JSON.stringify(entries)}`);
      await sleep(100);
    }
  };
  /** Loads the action page for one socket path and waits until its socket closed or `done`. */
  const runAction = async (path: string, done: (entries: Seen) => boolean) => {
    await page.goto(`${server.origin}/action?socket=${path}`);
    return waitForSeen(page, done, `${path} do its part`);
  };
  const received = (path: string) =>
    server.received.filter((frame) => frame.path === path).map((frame) => `${frame.data}`);
  const storedRules = () =>
    inExtensionPage<SocketRule[]>(
      launched,
      `return (await api.storage.local.get('socketRules')).socketRules;`,
    );
  /** Opens the Rules dialog; a click a layout change (the panel settling) moved is made again. */
  const openRules = async () => {
    for (let attempt = 1; ; attempt++) {
      await revealControl(panel.frame, 'open-rules');
      await panel.frame.click('[data-testid="open-rules"]');
      const open = await panel.frame
        .waitForSelector('[data-testid="rules-dialog"]', { timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      if (open) return;
      if (attempt === 3) throw new Error('the Rules button never opened the Rules dialog');
    }
  };
  const ruleRows = () => panel.frame.$$('[data-testid="rule-row"]').then((rows) => rows.length);

  beforeAll(async () => {
    server = await startTestServer({
      '/blank': '<!doctype html><title>blank</title>',
      '/frames': FRAMES_PAGE,
      '/frame-child': FRAME_CHILD,
      '/tab': TAB_PAGE,
      '/action': ACTION_PAGE,
    });
    downloads = mkdtempSync(join(tmpdir(), 'sockscope-downloads-'));
    launched = await launchBrowser(browserName, { downloadDir: downloads });
    await inExtensionPage(
      launched,
      `await api.storage.local.set({ socketRules: ${JSON.stringify(STORED)} });`,
    );
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/blank`);
    panel = await openPanel(launched, page);
  });
  afterAll(async () => {
    await inExtensionPage(launched, `await api.storage.local.remove('socketRules');`).catch(
      () => undefined,
    );
    await panel?.close().catch(() => undefined);
    await launched?.close();
    await server?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('makes a byte-rate throttle in the form, refusing URL patterns no socket could have', async () => {
    await openRules();
    await panel.frame.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="rule-row"]').length === count,
      {},
      STORED.length,
    );
    await panel.frame.click('[data-testid="rule-add"]');
    await panel.frame.waitForSelector('[data-testid="rule-form"]');
    const fill = (testId: string, text: string) =>
      fillField(panel.frame, `[data-testid="${testId}"]`, text);
    const refusal = async () => {
      await panel.frame.click('[data-testid="rule-save"]');
      const error = await panel.frame.waitForSelector('[data-testid="rule-form-error"]');
      const text = await error!.evaluate((element) => element.textContent ?? '');
      // The form stays open and nothing was added.
      expect(await panel.frame.$('[data-testid="rule-form"]')).not.toBeNull();
      return text;
    };
    await fill('rule-name', 'byte budget');
    await panel.frame.select('[data-testid="rule-direction"]', 'outgoing');
    await panel.frame.select('[data-testid="rule-action-type"]', 'throttle');
    await fill('rule-fps', '0');
    await fill('rule-bps', '1000');
    // The page's address, not its socket's: the browser writes a socket's URL as ws://.
    await fill('rule-url', 'http://127.0.0.1:*/throttle');
    expect(await refusal()).toMatch(/^Rule "byte budget": urlPattern must start with ws:\/\//);
    await fill('rule-url', 'ws://127.0.0.1:*/throt tle');
    expect(await refusal()).toMatch(/urlPattern may not contain spaces/);
    await fill('rule-url', 'ws://127.0.0.1:*/throttle#now');
    expect(await refusal()).toMatch(/urlPattern may not contain "#"/);
    await fill('rule-url', 'ws://127.0.0.1:*/throttle');
    await panel.frame.click('[data-testid="rule-save"]');
    await panel.frame.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="rule-row"]').length === count,
      {},
      STORED.length + 1,
    );
    await panel.frame.click('[data-testid="rules-close"]');
    const stored = await storedRules();
    expect(stored.map(({ name }) => name)).toEqual([
      ...STORED.map(({ name }) => name),
      'byte budget',
    ]);
    expect(stored.at(-1)).toMatchObject({
      urlPattern: 'ws://127.0.0.1:*/throttle',
      action: { type: 'throttle', framesPerSecond: 0, bytesPerSecond: 1000 },
    });
  });

  it('applies rules in every frame of the tab: a same-origin and a cross-origin iframe', async () => {
    await page.goto(`${server.origin}/frames`);
    const entries = await waitForSeen(
      page,
      (entries) =>
        ['same', 'cross'].every((who) =>
          entries.some(
            ([, from, kind, data]) => from === who && kind === 'message' && data === 'after',
          ),
        ),
      'both iframes finish',
    );
    const of = (who: string) =>
      entries.filter(([, from]) => from === who).map((entry) => entry.slice(2));
    expect(of('same')).toContainEqual(['origin', server.origin]);
    expect(of('cross')).toContainEqual(['origin', server.otherOrigin]);
    for (const who of ['same', 'cross']) {
      const messages = of(who)
        .filter(([kind]) => kind === 'message')
        .map(([, data]) => data);
      // The rule's reply, the echoes of what went out, and never the dropped secret.
      expect(messages.sort()).toEqual(['after', 'ping', 'pong from a rule']);
      expect(received(`/frame-chat-${who}`)).toEqual(['ping', 'after']);
    }

    await waitForConnections(panel.frame, (rows) =>
      [
        `${server.wsOrigin}/frame-chat-same`,
        `ws://localhost:${server.port}/frame-chat-cross`,
      ].every((url) => rows.some((row) => row.url === url)),
    );
    const rows = await waitForFrames(
      panel.frame,
      (rows) =>
        marked(rows, 'mocked: frame pong').length === 2 &&
        marked(rows, 'dropped by rule: frame drop').length === 2,
    );
    for (const row of marked(rows, 'mocked: frame pong')) {
      expect(row.kind).toBe('received');
      expect(row.text).toContain('pong from a rule');
    }
    for (const row of marked(rows, 'dropped by rule: frame drop')) {
      expect(row.kind).toBe('sent');
      expect(row.text).toContain('secret');
    }
  });

  it('applies them in a new tab of the site, from its first socket', async () => {
    const tab = await launched.browser.newPage();
    try {
      await tab.goto(`${server.origin}/tab`);
      const entries = await waitForSeen(
        tab,
        (entries) =>
          entries.some(([, path, kind]) => path === '/tab-broken' && kind === 'close') &&
          entries.filter(([, path]) => path === '/tab-chat').length === 2,
        'its sockets do their part',
      );
      const of = (path: string) =>
        entries.filter(([, from]) => from === path).map((entry) => entry.slice(2));
      expect(
        of('/tab-chat')
          .map(([, data]) => data)
          .sort(),
      ).toEqual(['ping', 'pong in a new tab']);
      // Failed as a refused server would: error, then 1006, never open.
      expect(of('/tab-broken')).toEqual([['error'], ['close', 1006, '', false]]);

      // The user opens the panel on that tab: the marks are there.
      const tabPanel = await openPanel(launched, tab);
      try {
        const rows = await waitForFrames(
          tabPanel.frame,
          (rows) =>
            marked(rows, 'mocked: tab pong').length === 1 &&
            marked(rows, 'failed by rule: tab down').some((row) => row.kind === 'closed'),
        );
        expect(marked(rows, 'mocked: tab pong')[0]!.text).toContain('pong in a new tab');
      } finally {
        await tabPanel.close();
      }
    } finally {
      await tab.close();
      await page.bringToFront();
    }
  });

  it('delays a frame, keeping its place before the frame sent after it', async () => {
    const entries = await runAction('/delay', (entries) =>
      entries.some(([, kind, data]) => kind === 'message' && data === 'fast'),
    );
    const at = (kind: string, data: string) =>
      entries.find(([, k, d]) => k === kind && d === data)?.[0] ?? Number.NaN;
    const messages = entries.filter(([, kind]) => kind === 'message').map(([, , data]) => data);
    // The server got them in the order sent; the page got their echoes in that order, the held
    // one no earlier than its delay allows (timers never fire early; a slow machine only adds).
    expect(received('/delay')).toEqual(['slow', 'fast']);
    expect(messages).toEqual(['slow', 'fast']);
    expect(at('message', 'slow') - at('send', 'slow')).toBeGreaterThanOrEqual(900);
    expect(at('message', 'fast') - at('send', 'fast')).toBeGreaterThanOrEqual(900);

    const rows = await waitForFrames(panel.frame, (rows) =>
      rows.some((row) => row.text.includes('delayed: hold slow')),
    );
    const delayed = marked(rows, 'delayed: hold slow');
    expect(delayed.map(({ kind }) => kind)).toEqual(['sent']);
    expect(delayed[0]!.text).toContain('slow');
    expect(delayed[0]!.text).not.toContain('fast');
  });

  it('rewrites a JSON value: the server receives the new value, the rest as it was', async () => {
    await runAction('/rewrite-json', (entries) => entries.some(([, kind]) => kind === 'message'));
    const got = received('/rewrite-json').map((text) => JSON.parse(text));
    expect(got).toEqual([{ type: 'hello', user: { name: 'grace', id: 7 } }]);
    const rows = await waitForFrames(panel.frame, (rows) =>
      rows.some((row) => row.text.includes('rewritten: rename user')),
    );
    const rewritten = marked(rows, 'rewritten: rename user');
    expect(rewritten.map(({ kind }) => kind)).toEqual(['sent']);
    expect(rewritten[0]!.text).toContain('grace');
  });

  it('throttles outgoing frames by bytes per second, in order', async () => {
    const sent = SENDS['/throttle']!;
    const entries = await runAction(
      '/throttle',
      (entries) => entries.filter(([, kind]) => kind === 'message').length === sent.length,
    );
    expect(received('/throttle')).toEqual(sent);
    const messages = entries.filter(([, kind]) => kind === 'message');
    expect(messages.map(([, , data]) => data)).toEqual(sent);
    // 600 bytes at 1000 a second: the third frame leaves 1.2 s after the first at the earliest.
    const firstSend = entries.find(([, kind]) => kind === 'send')![0];
    expect(messages[2]![0] - firstSend).toBeGreaterThanOrEqual(1000);

    const rows = await waitForFrames(
      panel.frame,
      (rows) => marked(rows, 'throttled: byte budget').length === 2,
    );
    // The first frame went at once; the two behind it waited for the budget. Echoes are not held.
    const throttled = marked(rows, 'throttled: byte budget');
    expect(throttled.map(({ kind }) => kind)).toEqual(['sent', 'sent']);
    expect(throttled[0]!.text).toContain('b...');
    expect(throttled[1]!.text).toContain('c...');
  });

  it('fails a socket after its Nth matching frame: error, then close 1006', async () => {
    const entries = await runAction('/fail', (entries) =>
      entries.some(([, kind]) => kind === 'close'),
    );
    expect(entries.map((entry) => entry.slice(1))).toEqual([
      ['open'],
      ['send', 'burst:4'],
      ['message', '0'],
      ['message', '1'],
      ['error'],
      ['close', 1006, '', false],
    ]);
    const rows = await waitForFrames(panel.frame, (rows) =>
      rows.some(
        (row) => row.kind === 'closed' && row.text.includes('failed by rule: fail on second'),
      ),
    );
    // The two frames the page got, then any the server sent after: logged, never delivered.
    const got = rows.filter((row) => row.kind === 'received');
    expect(got.slice(0, 2).map((row) => row.text)).toEqual([
      expect.stringMatching(/^↓ received \/fail .* 0$/),
      expect.stringMatching(/^↓ received \/fail .* 1$/),
    ]);
    for (const row of got.slice(2)) expect(row.text).toContain('dropped by rule: fail on second');
  });

  it('closes a socket at its open with the code and reason, as the server would', async () => {
    const entries = await runAction('/closed-at-open', (entries) =>
      entries.some(([, kind]) => kind === 'close'),
    );
    expect(entries.map((entry) => entry.slice(1))).toEqual([
      ['open'],
      ['close', 4000, 'maintenance', true],
    ]);
    const rows = await waitForFrames(panel.frame, (rows) =>
      rows.some(
        (row) =>
          row.kind === 'closed' && row.text.includes('closed by rule: closed for maintenance'),
      ),
    );
    expect(rows.find((row) => row.kind === 'closed')!.text).toContain('4000');
    const [connection] = await waitForConnections(
      panel.frame,
      (rows) => rows.length === 1 && rows[0]!.closeCode === '4000',
    );
    expect(connection!.closeReason).toBe('maintenance');
  });

  it('exports the rules to a file and imports it back through the Rules dialog', async () => {
    const before = await storedRules();
    await openRules();
    await panel.frame.click('[data-testid="rules-export"]');
    const path = await waitForDownload(downloads, '.json');
    expect(path).toMatch(/sockscope-rules\.json$/);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file).toMatchObject({ format: 'sockscope-rules', version: 1 });
    expect(file.rules).toEqual(before);

    // Every rule deleted, as a user would, one by one.
    while ((await ruleRows()) > 0) {
      const count = await ruleRows();
      await panel.frame.click('[data-testid="rule-delete"]');
      await panel.frame.waitForFunction(
        (count) => document.querySelectorAll('[data-testid="rule-row"]').length === count - 1,
        {},
        count,
      );
    }
    await panel.frame.waitForSelector('[data-testid="rules-empty"]');
    expect(await storedRules()).toEqual([]);
    await panel.frame.click('[data-testid="rules-close"]');
    await runAction('/rewrite-json', (entries) => entries.some(([, kind]) => kind === 'message'));
    expect(received('/rewrite-json').at(-1)).toBe(SENDS['/rewrite-json']![0]);

    await openRules();
    const input = (await panel.frame.$(
      '[data-testid="rules-import"]',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(path);
    await panel.frame.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="rule-row"]').length === count,
      {},
      before.length,
    );
    const status = await panel.frame.$eval(
      '[data-testid="rules-status"]',
      (element) => element.textContent ?? '',
    );
    expect(status).toBe(`Added ${before.length} rules from sockscope-rules.json after the others.`);
    expect(await storedRules()).toEqual(before);
    await panel.frame.click('[data-testid="rules-close"]');

    // The imported rules act again.
    await runAction('/rewrite-json', (entries) => entries.some(([, kind]) => kind === 'message'));
    expect(JSON.parse(received('/rewrite-json').at(-1)!).user.name).toBe('grace');
  });

  it('exports the session as HAR with the rule that touched each frame', async () => {
    // The session of the last page load: the rewritten hello.
    await waitForFrames(panel.frame, (rows) =>
      rows.some((row) => row.text.includes('rewritten: rename user')),
    );
    const earlier = readdirSync(downloads);
    await revealControl(panel.frame, 'export-har');
    await panel.frame.click('[data-testid="export-har"]');
    const har = JSON.parse(
      readFileSync(await waitForDownload(downloads, '.har', 20_000, earlier), 'utf8'),
    );
    const entry = har.log.entries.find(
      (each: { request: { url: string } }) =>
        each.request.url === `${server.wsOrigin}/rewrite-json`,
    );
    const messages = entry._webSocketMessages as Array<Record<string, unknown>>;
    const sent = messages.filter((message) => message.type === 'send');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      _origin: 'rewritten',
      _rule: 'rename user',
      _ruleEffect: 'rewritten',
    });
    expect(JSON.parse(sent[0]!.data as string).user.name).toBe('grace');
    // The echo no rule touched carries no mark.
    const echo = messages.find((message) => message.type === 'receive')!;
    expect(echo._origin).toBeUndefined();
    expect(echo._rule).toBeUndefined();
  });
});
