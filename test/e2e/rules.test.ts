import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRule } from '../../src/protocol/socket-rules';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import {
  fillField,
  inExtensionPage,
  type OpenPanel,
  openPanel,
  revealControl,
  waitForFrames,
  waitForMockBlocking,
} from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * A page whose first script opens its sockets at once, as the demo's chat, ticker and telemetry
 * would, and notes what each listener saw.
 */
const PAGE = `<!doctype html><title>rules</title><script>
  window.seen = [];
  const note = (...entry) => seen.push([performance.now(), ...entry]);
  const socket = (path, onOpen) => {
    const ws = new WebSocket('ws://' + location.host + path);
    ws.onopen = () => onOpen(ws);
    ws.onmessage = (event) => note(path, 'message', event.data);
    ws.onerror = () => note(path, 'error');
    ws.onclose = (event) => note(path, 'close', event.code, event.reason, event.wasClean);
    return ws;
  };
  socket('/echo-chat', (ws) => { ws.send('ping'); ws.send('hello world'); ws.send('secret'); ws.send('42["typing",{}]'); ws.send('after'); });
  socket('/echo-ticker', (ws) => ws.send('burst:3'));
  socket('/echo-telemetry', (ws) => { for (let i = 1; i <= 12; i++) ws.send('t' + i); });
  socket('/echo-broken', () => note('/echo-broken', 'open'));
</script>`;

/** A page written against a chat server that does not exist yet. */
const MOCKED_PAGE = `<!doctype html><title>mocked</title><script>
  window.seen = [];
  const note = (...entry) => seen.push([performance.now(), ...entry]);
  const ws = new WebSocket('ws://' + location.host + '/mock-chat', ['chat.v1']);
  ws.onopen = () => { note('/mock-chat', 'open', ws.readyState, ws.protocol); ws.send('{"type":"hello","name":"ada"}'); };
  ws.onmessage = (event) => { note('/mock-chat', 'message', event.data); ws.close(1000, 'done'); };
  ws.onclose = (event) => note('/mock-chat', 'close', event.code, event.reason, event.wasClean, ws.readyState);
</script>`;

const MOCK_RULES: SocketRule[] = [
  {
    id: 'mock',
    name: 'chat mock',
    enabled: true,
    // With its scheme: Firefox's network sees the handshake as http://, Chrome's as ws://.
    urlPattern: 'ws://127.0.0.1:*/mock-chat',
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'mock', protocol: 'chat.v1' },
  },
  {
    id: 'welcome',
    name: 'welcome',
    enabled: true,
    urlPattern: '*/mock-chat',
    direction: 'outgoing',
    payload: { kind: 'json', path: 'type', equals: '"hello"' },
    action: { type: 'reply', template: '{"welcome":"{{name}}"}', delayMs: 0 },
  },
];

type Seen = Array<[number, string, string, ...unknown[]]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The rules the test stores besides the two it makes in the form. */
const STORED: SocketRule[] = [
  {
    id: 'rewrite',
    name: 'rewrite greeting',
    enabled: true,
    urlPattern: '*/echo-chat',
    direction: 'outgoing',
    payload: { kind: 'text', text: 'hello' },
    action: { type: 'rewrite', find: 'world', regex: false, replace: 'rules' },
  },
  {
    id: 'drop',
    name: 'drop secret',
    enabled: true,
    urlPattern: '*/echo-chat',
    direction: 'outgoing',
    payload: { kind: 'regex', pattern: '^secret$', flags: '' },
    action: { type: 'drop' },
  },
  {
    id: 'typing',
    name: 'no typing events',
    enabled: true,
    urlPattern: '*/echo-chat',
    direction: 'outgoing',
    payload: { kind: 'decoded', field: 'socket.io event', equals: 'typing' },
    action: { type: 'drop' },
  },
  {
    id: 'throttle',
    name: 'slow ticker',
    enabled: true,
    urlPattern: '*/echo-ticker',
    direction: 'incoming',
    payload: { kind: 'any' },
    action: { type: 'throttle', framesPerSecond: 4 },
  },
  {
    id: 'fail',
    name: 'server down',
    enabled: true,
    urlPattern: '*/echo-broken',
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'fail', afterMatches: 0 },
  },
];

describe.each(e2eBrowsers())('rules in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let panel: OpenPanel;
  const seen = () => page.evaluate(() => (window as unknown as { seen: Seen }).seen);
  const waitForSeen = async (check: (entries: Seen) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const entries = await seen();
      if (check(entries)) return entries;
      if (Date.now() > deadline)
        throw new Error(`the page never saw ${what}; it saw ${JSON.stringify(entries)}`);
      await sleep(100);
    }
  };
  const fill = (testId: string, text: string) =>
    fillField(panel.frame, `[data-testid="${testId}"]`, text);

  beforeAll(async () => {
    server = await startTestServer({
      '/': PAGE,
      '/mocked': MOCKED_PAGE,
      '/blank': '<!doctype html><title>blank</title>',
    });
    launched = await launchBrowser(browserName);
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
  });

  it('makes rules in the Rules view, refusing an invalid one with the reason', async () => {
    await inExtensionPage(
      launched,
      `await api.storage.local.set({ socketRules: ${JSON.stringify(STORED)} });`,
    );
    await revealControl(panel.frame, 'open-rules');
    await panel.frame.click('[data-testid="open-rules"]');
    await panel.frame.waitForSelector('[data-testid="rules-dialog"]');
    await panel.frame.waitForFunction(
      () => document.querySelectorAll('[data-testid="rule-row"]').length === 5,
    );

    // A reply to the chat's ping, made field by field.
    await panel.frame.click('[data-testid="rule-add"]');
    await panel.frame.waitForSelector('[data-testid="rule-form"]');
    await fill('rule-name', 'pong');
    await fill('rule-url', '*/echo-chat');
    await panel.frame.select('[data-testid="rule-direction"]', 'outgoing');
    await panel.frame.select('[data-testid="rule-match-kind"]', 'regex');
    await fill('rule-match-pattern', '^(p)ing$');
    await panel.frame.select('[data-testid="rule-action-type"]', 'reply');
    await fill('rule-template', '$1ong from a rule');
    await fill('rule-delay', '0');
    await panel.frame.click('[data-testid="rule-save"]');
    await panel.frame.waitForFunction(
      () => document.querySelectorAll('[data-testid="rule-row"]').length === 6,
    );

    // Telemetry breaks with 1011 on its tenth message: first with a code no close may carry.
    await panel.frame.click('[data-testid="rule-add"]');
    await fill('rule-name', 'break telemetry');
    await fill('rule-url', '*/echo-telemetry');
    await panel.frame.select('[data-testid="rule-direction"]', 'incoming');
    await panel.frame.select('[data-testid="rule-action-type"]', 'close');
    await fill('rule-close-code', '1006');
    await fill('rule-close-reason', 'broken by rule');
    await fill('rule-after-matches', '10');
    await panel.frame.click('[data-testid="rule-save"]');
    const refusal = await panel.frame.waitForSelector('[data-testid="rule-form-error"]');
    expect(await refusal!.evaluate((element) => element.textContent)).toMatch(/1006/);
    await fill('rule-close-code', '1011');
    await panel.frame.click('[data-testid="rule-save"]');
    await panel.frame.waitForFunction(
      () => document.querySelectorAll('[data-testid="rule-row"]').length === 7,
    );
    await panel.frame.click('[data-testid="rules-close"]');
  });

  it('applies them from the first socket of the next page load, and marks what they did', async () => {
    await page.goto(`${server.origin}/`);
    const entries = await waitForSeen(
      (entries) =>
        entries.some(([, path, kind]) => path === '/echo-telemetry' && kind === 'close') &&
        entries.some(([, path, kind]) => path === '/echo-broken' && kind === 'close') &&
        entries.filter(([, path]) => path === '/echo-ticker').length === 3 &&
        entries.some(([, path, , data]) => path === '/echo-chat' && data === 'after'),
      'every socket end its part',
    );
    const of = (path: string) =>
      entries.filter((entry) => entry[1] === path).map((e) => e.slice(2));

    // The chat: the rule's reply, the rewritten greeting echoed, the secret never sent.
    expect(of('/echo-chat')).toEqual(
      expect.arrayContaining([
        ['message', 'pong from a rule'],
        ['message', 'hello rules'],
        ['message', 'after'],
      ]),
    );
    expect(of('/echo-chat')).not.toContainEqual(['message', 'secret']);
    const chatGot = server.received.filter((f) => f.path === '/echo-chat').map((f) => `${f.data}`);
    expect(chatGot).toEqual(['ping', 'hello rules', 'after']);

    // The ticker: in order, at most four a second.
    const ticks = entries.filter((entry) => entry[1] === '/echo-ticker');
    expect(ticks.map((entry) => entry[3])).toEqual(['0', '1', '2']);
    expect(ticks[2]![0] - ticks[0]![0]).toBeGreaterThanOrEqual(400);

    // Telemetry: ten messages, then the server "closes" with 1011.
    const telemetry = of('/echo-telemetry');
    expect(telemetry.filter(([kind]) => kind === 'message')).toHaveLength(10);
    expect(telemetry.at(-1)).toEqual(['close', 1011, 'broken by rule', true]);

    // The broken endpoint fails as a refused one would: error, then 1006, never open.
    expect(of('/echo-broken')).toEqual([['error'], ['close', 1006, '', false]]);

    const rows = await waitForFrames(
      panel.frame,
      (rows) =>
        [
          'mocked: pong',
          'rewritten: rewrite greeting',
          'dropped by rule: drop secret',
          'dropped by rule: no typing events',
        ].every((mark) => rows.some((row) => row.text.includes(mark))) &&
        rows.some((row) => row.text.includes('throttled: slow ticker')) &&
        rows.some(
          (row) => row.kind === 'closed' && row.text.includes('closed by rule: break telemetry'),
        ),
    );
    expect(rows.find((row) => row.text.includes('mocked: pong'))!.text).toContain(
      'pong from a rule',
    );
  });

  it('stops applying a rule the user switches off', async () => {
    await panel.frame.click('[data-testid="open-rules"]');
    await panel.frame.waitForSelector('[data-testid="rules-dialog"]');
    const rows = await panel.frame.$$('[data-testid="rule-row"]');
    for (const row of rows) {
      const name = await row.evaluate((element) => element.textContent ?? '');
      if (name.includes('drop secret'))
        await (await row.$('[data-testid="rule-enabled"]'))!.click();
    }
    await panel.frame.click('[data-testid="rules-close"]');
    const before = server.received.filter((f) => f.path === '/echo-chat').length;
    await page.goto(`${server.origin}/`);
    await waitForSeen(
      (entries) => entries.some(([, path, , data]) => path === '/echo-chat' && data === 'after'),
      'the chat finish',
    );
    const chatGot = server.received
      .filter((f) => f.path === '/echo-chat')
      .slice(before)
      .map((f) => `${f.data}`);
    expect(chatGot).toEqual(['ping', 'hello rules', 'secret', 'after']);
  });

  it('mocks an endpoint that does not exist: the page talks to it, nothing reaches the network', async () => {
    await inExtensionPage(
      launched,
      `await api.storage.local.set({ socketRules: ${JSON.stringify(MOCK_RULES)} });`,
    );
    // The background blocks the mocked URL before the page loads (declarativeNetRequest).
    expect(await waitForMockBlocking(launched)).toEqual([
      '^(?:ws|http)://127\\.0\\.0\\.1:.*/mock-chat$',
    ]);
    await page.goto(`${server.origin}/mocked`);
    const entries = await waitForSeen(
      (entries) => entries.some(([, , kind]) => kind === 'close'),
      'the mocked chat close',
    );
    expect(entries.map((entry) => entry.slice(2))).toEqual([
      ['open', 1, 'chat.v1'],
      ['message', '{"welcome":"ada"}'],
      ['close', 1000, 'done', true, 3],
    ]);
    await sleep(500);
    expect(server.connections).not.toContain('/mock-chat');
    const rows = await waitForFrames(panel.frame, (rows) =>
      rows.some((row) => row.text.includes('mocked: welcome')),
    );
    expect(rows.find((row) => row.text.includes('mocked: welcome'))!.text).toContain('ada');
    const mocked = await panel.frame.$$eval('[data-testid="connection"]', (connections) =>
      connections
        .filter((row) => row.querySelector('[data-testid="mocked-mark"]'))
        .map((row) => row.getAttribute('data-url')),
    );
    expect(mocked).toEqual([`${server.wsOrigin}/mock-chat`]);
  });
});
