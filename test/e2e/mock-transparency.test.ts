import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRule } from '../../src/protocol/socket-rules';
import { e2eBrowsers } from '../support/e2e-browsers';
import { type LaunchedBrowser, launchBrowser } from '../support/launch-browser';
import { inExtensionPage, waitForMockBlocking } from '../support/panel-driver';
import { startTestServer, type TestServer } from '../support/ws-test-server';

/**
 * One page script, run against a real socket (the test server's echo) and against a mocked one
 * (a mock rule with the same subprotocol, a reply rule echoing its sends, a close rule answering
 * `close:` as the server does): everything it notes of the sockets must be the same, but for
 * the events' isTrusted (docs/features.md).
 */
const PROBE = `<!doctype html><title>mock transparency</title><script>
  const caught = (fn) => {
    try { fn(); return 'no exception'; } catch (e) {
      return [e.name, e.message, e.constructor === DOMException, e instanceof TypeError];
    }
  };
  const fnString = (fn) => Function.prototype.toString.call(fn);
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  // When an event comes relative to the call that caused it: during it, in a microtask after it,
  // or in a later task.
  let phase = 'idle';
  let turn = { done: true };
  const begin = () => { phase = 'sync'; const t = { done: false }; turn = t; queueMicrotask(() => { t.done = true; }); };
  const end = () => { phase = 'after'; };
  const timing = () => (phase === 'sync' ? 'sync' : turn.done ? 'task' : 'microtask');

  const describeEvent = (ws, event, via) => {
    const entry = {
      via, type: event.type, timing: timing(), readyState: ws.readyState,
      isTrusted: event.isTrusted, target: event.target === ws, currentTarget: event.currentTarget === ws,
      class: event.constructor.name, bubbles: event.bubbles, cancelable: event.cancelable,
      composed: event.composed, eventPhase: event.eventPhase, defaultPrevented: event.defaultPrevented,
      protocol: ws.protocol, bufferedAmount: ws.bufferedAmount,
    };
    if (event.type === 'message') {
      Object.assign(entry, {
        data: event.data, dataType: Object.prototype.toString.call(event.data), origin: event.origin,
        lastEventId: event.lastEventId, source: event.source, ports: event.ports.length,
      });
    }
    if (event.type === 'close') Object.assign(entry, { code: event.code, reason: event.reason, wasClean: event.wasClean });
    return entry;
  };

  /** Notes every event of a socket, by a listener and by its on<type> handler. */
  const watch = (ws, log) => {
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, (event) => log.push(describeEvent(ws, event, 'listener')));
      ws['on' + type] = (event) => log.push(describeEvent(ws, event, 'on' + type));
    }
  };
  const when = (ws, type) => new Promise((resolve) => ws.addEventListener(type, resolve, { once: true }));
  const state = (ws) => ({
    readyState: ws.readyState, protocol: ws.protocol, extensions: ws.extensions,
    bufferedAmount: ws.bufferedAmount, binaryType: ws.binaryType,
  });
  const shape = (ws) => ({
    own: Object.getOwnPropertyNames(ws), symbols: Object.getOwnPropertySymbols(ws).length,
    chain: [Object.getPrototypeOf(ws) === WebSocket.prototype,
      Object.getPrototypeOf(Object.getPrototypeOf(ws)) === EventTarget.prototype],
    instance: ws instanceof WebSocket, tag: Object.prototype.toString.call(ws),
    constructor: ws.constructor === WebSocket, handler: typeof ws.onopen,
  });

  window.observe = async (url) => {
    const report = { steps: {} };
    const steps = report.steps;

    // A whole conversation: open, echo, binaryType, page's close.
    const log = [];
    begin();
    const ws = new WebSocket(url, ['chat.v1']);
    watch(ws, log);
    steps.constructed = state(ws);
    steps.url = ws.url === url;
    steps.shape = shape(ws);
    steps.sendBeforeOpen = caught(() => ws.send('too early'));
    steps.closeErrorsConnecting = [caught(() => ws.close(1005)), caught(() => ws.close(4000, 'x'.repeat(124))),
      caught(() => ws.close(999)), caught(() => ws.close(4000, '\\u00e9'.repeat(62)))];
    steps.afterCloseErrors = state(ws);
    end();
    await when(ws, 'open');
    steps.opened = state(ws);

    begin();
    ws.send('hello');
    steps.bufferedAfterSend = ws.bufferedAmount;
    end();
    await when(ws, 'message');
    await nextTask();
    steps.bufferedAfterEcho = ws.bufferedAmount;

    ws.binaryType = 'arraybuffer';
    steps.binaryTypeSet = ws.binaryType;
    ws.binaryType = 'bogus';
    steps.binaryTypeBogus = ws.binaryType;
    ws.send('as-arraybuffer');
    await when(ws, 'message');
    ws.binaryType = 'blob';
    ws.send('as-blob');
    await when(ws, 'message');

    steps.closeErrorsOpen = [caught(() => ws.close(1005)), caught(() => ws.close(4000, 'x'.repeat(124))),
      caught(() => ws.close(2999)), caught(() => ws.close(5000)), caught(() => ws.close(NaN))];
    steps.openAfterCloseErrors = state(ws);
    begin();
    ws.close(4000, 'bye');
    steps.closing = state(ws);
    steps.sendWhileClosing = caught(() => ws.send('while closing'));
    steps.bufferedWhileClosing = ws.bufferedAmount;
    steps.closeAgain = caught(() => ws.close());
    end();
    await when(ws, 'close');
    steps.closed = state(ws);
    steps.sendWhenClosed = caught(() => ws.send('after close'));
    steps.bufferedWhenClosed = ws.bufferedAmount;
    report.conversation = log;

    // Closed by the page before it opened: the browser fails it.
    const early = [];
    begin();
    const ws2 = new WebSocket(url, ['chat.v1']);
    watch(ws2, early);
    ws2.close();
    steps.closedConnecting = state(ws2);
    end();
    await when(ws2, 'close');
    await nextTask();
    steps.closedConnectingEnd = state(ws2);
    report.closedBeforeOpen = early;

    // No subprotocol asked for; the server closes.
    const byServer = [];
    begin();
    const ws3 = new WebSocket(url);
    watch(ws3, byServer);
    end();
    await when(ws3, 'open');
    steps.noProtocol = state(ws3);
    ws3.send('close:4001:server bye');
    await when(ws3, 'close');
    steps.serverClosed = state(ws3);
    report.closedByServer = byServer;

    // A subclass's socket; a send just before a close() with no code: no echo comes (it is
    // closing when it would), and the close is 1005.
    const last = [];
    class Sub extends WebSocket {
      hello() { return 'sub'; }
    }
    const ws4 = new Sub(url, ['chat.v1']);
    watch(ws4, last);
    await when(ws4, 'open');
    steps.subclass = [ws4.hello(), ws4 instanceof Sub, ws4 instanceof WebSocket, ws4.protocol, ws4.readyState];
    begin();
    ws4.send('last');
    ws4.close();
    steps.lastSendClosing = state(ws4);
    end();
    await when(ws4, 'close');
    await nextTask();
    report.closedWithoutCode = last;

    const proto = WebSocket.prototype;
    report.getters = ['readyState', 'protocol', 'extensions', 'bufferedAmount', 'url', 'binaryType'].map((name) => {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      return [name, fnString(d.get), d.get.name, d.get.length, typeof d.set, d.enumerable, d.configurable];
    });
    return report;
  };
</script>`;

const RULES: SocketRule[] = [
  {
    id: 'mock',
    name: 'probe mock',
    enabled: true,
    // With its scheme: Firefox's network sees the handshake as http://, Chrome's as ws://.
    urlPattern: 'ws://127.0.0.1:*/mock-probe',
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'mock', protocol: 'chat.v1' },
  },
  {
    id: 'echo',
    name: 'echo',
    enabled: true,
    urlPattern: '*/mock-probe',
    direction: 'outgoing',
    payload: { kind: 'regex', pattern: '^[^:]*$', flags: '' },
    action: { type: 'reply', template: '$0', delayMs: 0 },
  },
  {
    id: 'close',
    name: 'server close',
    enabled: true,
    urlPattern: '*/mock-probe',
    direction: 'outgoing',
    payload: { kind: 'text', text: 'close:4001:' },
    action: { type: 'close', code: 4001, reason: 'server bye', afterMatches: 1 },
  },
];

type Report = Record<string, unknown> & {
  steps: Record<string, unknown>;
  conversation: Array<Record<string, unknown>>;
  closedBeforeOpen: Array<Record<string, unknown>>;
  closedByServer: Array<Record<string, unknown>>;
  closedWithoutCode: Array<Record<string, unknown>>;
};

const EVENT_LOGS = [
  'conversation',
  'closedBeforeOpen',
  'closedByServer',
  'closedWithoutCode',
] as const;

/** The report without the events' isTrusted (the documented difference), and which it was. */
function withoutTrust(report: Report): { rest: Report; trusted: unknown[] } {
  const trusted: unknown[] = [];
  const rest = structuredClone(report);
  for (const key of EVENT_LOGS) {
    for (const entry of rest[key]) {
      trusted.push(entry.isTrusted);
      delete entry.isTrusted;
    }
  }
  return { rest, trusted };
}

describe.each(e2eBrowsers())('a mocked socket as the page sees it in %s', (browserName) => {
  let server: TestServer;
  let launched: LaunchedBrowser;
  let page: Page;
  let real: Report;
  let mocked: Report;

  beforeAll(async () => {
    server = await startTestServer({ '/probe': PROBE });
    launched = await launchBrowser(browserName);
    await inExtensionPage(
      launched,
      `await api.storage.local.set({ socketRules: ${JSON.stringify(RULES)} });`,
    );
    await waitForMockBlocking(launched);
    page = await launched.browser.newPage();
    await page.goto(`${server.origin}/probe`);
    const observe = (url: string) =>
      page.evaluate(
        (url: string) =>
          (window as unknown as { observe(url: string): Promise<Report> }).observe(url),
        url,
      );
    real = await observe(`${server.wsOrigin}/echo-probe`);
    mocked = await observe(`${server.wsOrigin}/mock-probe`);
  });
  afterAll(async () => {
    await inExtensionPage(launched, `await api.storage.local.remove('socketRules');`).catch(
      () => undefined,
    );
    await launched?.close();
    await server?.close();
  });

  it('checks what it claims to check (the real socket is as the specification says)', () => {
    const { steps } = real;
    expect(steps.constructed).toEqual({
      readyState: 0,
      protocol: '',
      extensions: '',
      bufferedAmount: 0,
      binaryType: 'blob',
    });
    expect((steps.sendBeforeOpen as unknown[])[0]).toBe('InvalidStateError');
    expect((steps.closeErrorsConnecting as unknown[][]).map((error) => error[0])).toEqual([
      'InvalidAccessError',
      'SyntaxError',
      'InvalidAccessError',
      'SyntaxError',
    ]);
    expect(steps.opened).toMatchObject({ readyState: 1, protocol: 'chat.v1' });
    expect(steps.bufferedAfterSend).toBe(5);
    expect(steps.bufferedAfterEcho).toBe(0);
    // Once closing, what the page sends stays counted ('while closing', then 'after close').
    expect([steps.bufferedWhileClosing, steps.bufferedWhenClosed]).toEqual([13, 24]);
    expect([steps.binaryTypeSet, steps.binaryTypeBogus]).toEqual(['arraybuffer', 'arraybuffer']);
    expect(steps.closing).toMatchObject({ readyState: 2 });
    expect(steps.closed).toMatchObject({ readyState: 3 });
    const types = (log: Array<Record<string, unknown>>) =>
      log.map((entry) => `${entry.via} ${entry.type} ${entry.timing}`);
    expect(types(real.conversation)).toEqual([
      'listener open task',
      'onopen open task',
      ...['hello', 'as-arraybuffer', 'as-blob'].flatMap(() => [
        'listener message task',
        'onmessage message task',
      ]),
      'listener close task',
      'onclose close task',
    ]);
    expect(real.conversation.at(-1)).toMatchObject({ code: 4000, reason: 'bye', wasClean: true });
    const messages = real.conversation.filter((e) => e.via === 'listener' && e.type === 'message');
    expect(messages.map((e) => [e.data, e.dataType])).toEqual([
      ['hello', '[object String]'],
      ['as-arraybuffer', '[object String]'],
      ['as-blob', '[object String]'],
    ]);
    expect(messages[0]!.origin).toBe(server.wsOrigin);
    expect(types(real.closedBeforeOpen)).toEqual([
      'listener error task',
      'onerror error task',
      'listener close task',
      'onclose close task',
    ]);
    expect(real.closedBeforeOpen.at(-1)).toMatchObject({ code: 1006, wasClean: false });
    expect(real.closedByServer.at(-1)).toMatchObject({
      code: 4001,
      reason: 'server bye',
      wasClean: true,
    });
    expect(steps.subclass).toEqual(['sub', true, true, 'chat.v1', 1]);
    expect(types(real.closedWithoutCode)).toEqual([
      'listener open task',
      'onopen open task',
      'listener close task',
      'onclose close task',
    ]);
    expect(real.closedWithoutCode.at(-1)).toMatchObject({ code: 1005, reason: '', wasClean: true });
    expect(server.connections).toContain('/echo-probe');
    expect(server.connections).not.toContain('/mock-probe');
  });

  it('gives the page the same answers from a mocked socket as from a real one', () => {
    const { rest: realRest } = withoutTrust(real);
    const { rest: mockedRest } = withoutTrust(mocked);
    // Whole, so that a failure shows every difference at once.
    expect(mockedRest).toEqual(realRest);
  });

  it("reads the getters a mock answers through as the browser's own", () => {
    for (const [name, text, getterName, length] of mocked.getters as Array<
      [string, string, string, number]
    >) {
      expect(text).toMatch(
        new RegExp(`^function (get )?${name}\\(\\) \\{\\s+\\[native code\\]\\s+\\}$`),
      );
      expect([getterName, length]).toEqual([`get ${name}`, 0]);
    }
  });

  it('differs only in isTrusted, false on every event of a mocked socket (documented)', () => {
    expect(withoutTrust(real).trusted.every((trusted) => trusted === true)).toBe(true);
    const mockedTrust = withoutTrust(mocked).trusted;
    expect(mockedTrust.length).toBeGreaterThan(0);
    expect(mockedTrust.every((trusted) => trusted === false)).toBe(true);
  });
});
