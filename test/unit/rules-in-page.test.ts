import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/capture/event-log';
import { installRecorder } from '../../src/capture/install-recorder';
import { createInterceptGate } from '../../src/capture/intercept-gate';
import type { PageGlobal } from '../../src/capture/native-intrinsics';
import type { CaptureEvent } from '../../src/protocol/capture-events';
import type { HookRule } from '../../src/protocol/socket-rules';
import { createFakeWebSocketClass, FakeCloseEvent, type FakeWebSocket } from './fake-websocket';
import { hookEvents } from './record-helpers';

/** A page with the recorder installed, its own clock and timers (advanced by the test). */
function pageWithRules(rules: HookRule[] | 'not yet') {
  let clock = 1000;
  const timers: Array<{ at: number; run: () => void }> = [];
  const page = {
    ...globalThis,
    WebSocket: createFakeWebSocketClass(),
    CloseEvent: FakeCloseEvent,
    EventTarget,
    Event,
    MessageEvent,
    DOMException,
    Function,
    performance: { now: () => clock, timeOrigin: 0 },
    setTimeout: (run: () => void, ms: number) => timers.push({ at: clock + Math.max(0, ms), run }),
    Blob,
  } as unknown as PageGlobal;
  const log = new EventLog(1_000_000, Number.MAX_SAFE_INTEGER);
  const recorder = installRecorder(
    page,
    {
      record: (event, bytes) => log.appendEvent(event, bytes),
      frame: (...fields) => log.appendFrame(...fields),
      describe: () => undefined,
    },
    { payloadCap: 1024, sendStacks: false, awaitRules: rules === 'not yet' },
    createInterceptGate,
  );
  if (rules !== 'not yet') recorder.rules.configure(rules);
  return {
    configure: (next: HookRule[]) => recorder.rules.configure(next),
    WebSocket: page.WebSocket as unknown as new (url: string) => FakeWebSocket,
    advance(ms: number) {
      clock += ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        if (timers.length === 0 || timers[0]!.at > clock) break;
        timers.shift()!.run();
      }
    },
    get events(): CaptureEvent[] {
      return hookEvents(log.read(0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).records);
    },
  };
}

function rule(fields: Partial<HookRule> & Pick<HookRule, 'action'>): HookRule {
  return { name: 'r', urlRegex: null, direction: 'any', match: { kind: 'any' }, ...fields };
}

/** A socket that is open, with the texts its page listener received. */
function openSocket(page: ReturnType<typeof pageWithRules>, url = 'ws://example.test/chat') {
  const socket = new page.WebSocket(url);
  const received: unknown[] = [];
  const closes: Array<{ code: number; reason: string; wasClean: boolean }> = [];
  socket.addEventListener('message', (event) => received.push((event as MessageEvent).data));
  socket.addEventListener('close', (event) => closes.push(event as unknown as FakeCloseEvent));
  socket.serverOpens();
  return { socket, received, closes };
}

/** The recorded frames and marks, in order, as short strings. */
function trail(events: CaptureEvent[]): string[] {
  return events.flatMap((event) => {
    if (event.type === 'rule-mark') return [`mark ${event.effect} ${event.rule}`];
    if (event.type === 'sent' || event.type === 'received') {
      const text = event.payload.kind === 'text' ? event.payload.text : '?';
      return [`${event.type} ${text} ${event.origin}`];
    }
    if (event.type === 'closed') return [`closed ${event.code} ${event.reason} ${event.wasClean}`];
    if (event.type === 'error') return ['error'];
    return [];
  });
}

describe('rules in the page', () => {
  it('replies to a matching send with a template of the match, as from the server', () => {
    const page = pageWithRules([
      rule({
        name: 'pong',
        direction: 'outgoing',
        match: { kind: 'regex', pattern: '^ping (\\d+)$', flags: '' },
        action: { type: 'reply', template: ['pong ', { group: 1 }], delayMs: 50 },
      }),
    ]);
    const { socket, received } = openSocket(page);
    socket.send('ping 7');
    page.advance(49);
    expect(received).toEqual([]);
    page.advance(1);
    expect(received).toEqual(['pong 7']);
    expect(socket.sentData).toEqual(['ping 7']);
    expect(trail(page.events)).toEqual([
      'sent ping 7 page',
      'mark mocked pong',
      'received pong 7 mocked',
    ]);
  });

  it('rewrites text and JSON, and what the server gets is what the log shows', () => {
    const page = pageWithRules([
      rule({
        name: 'name',
        direction: 'outgoing',
        match: { kind: 'json', path: ['type'], equals: 'hello' },
        action: { type: 'rewrite-json', path: ['user', 'name'], value: '"mallory"' },
      }),
      rule({
        name: 'words',
        direction: 'outgoing',
        action: { type: 'rewrite', find: 'wor(ld)', flags: 'g', replace: '<$1>' },
      }),
    ]);
    // The page patches what a careless serializer would call.
    const { socket } = openSocket(page);
    Object.defineProperty(Object.prototype, 'toJSON', {
      value: () => 'FORGED',
      configurable: true,
    });
    try {
      socket.send('{"type":"hello","user":{"name":"alice","id":1}}');
      socket.send('world and world');
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
    expect(socket.sentData).toEqual([
      '{"type":"hello","user":{"name":"mallory","id":1}}',
      '<ld> and <ld>',
    ]);
    expect(trail(page.events)).toEqual([
      'mark rewritten name',
      'sent {"type":"hello","user":{"name":"mallory","id":1}} rewritten',
      'mark rewritten words',
      'sent <ld> and <ld> rewritten',
    ]);
  });

  it('drops matching messages before any page listener, and records them as dropped', () => {
    const page = pageWithRules([
      rule({
        name: 'no heartbeats',
        direction: 'incoming',
        match: { kind: 'text', text: 'heartbeat' },
        action: { type: 'drop' },
      }),
    ]);
    const { socket, received } = openSocket(page);
    socket.serverSends('{"heartbeat":1}');
    socket.serverSends('news');
    expect(received).toEqual(['news']);
    expect(trail(page.events)).toEqual([
      'mark dropped by rule no heartbeats',
      'received {"heartbeat":1} dropped',
      'received news page',
    ]);
  });

  it('delays a frame and keeps every later frame of that socket behind it', () => {
    const page = pageWithRules([
      rule({
        name: 'slow A',
        direction: 'outgoing',
        match: { kind: 'text', text: 'A' },
        action: { type: 'delay', delayMs: 100 },
      }),
    ]);
    const { socket } = openSocket(page);
    socket.send('A');
    socket.send('b');
    expect(socket.sentData).toEqual([]);
    page.advance(100);
    expect(socket.sentData).toEqual(['A', 'b']);
    expect(trail(page.events)).toEqual(['mark delayed slow A', 'sent A delayed', 'sent b page']);
  });

  it('throttles messages to the page to a rate, in order', () => {
    const page = pageWithRules([
      rule({
        name: 'two a second',
        direction: 'incoming',
        action: { type: 'throttle', framesPerSecond: 2 },
      }),
    ]);
    const { socket, received } = openSocket(page);
    for (const text of ['1', '2', '3']) socket.serverSends(text);
    expect(received).toEqual(['1']);
    page.advance(499);
    expect(received).toEqual(['1']);
    page.advance(1);
    expect(received).toEqual(['1', '2']);
    page.advance(500);
    expect(received).toEqual(['1', '2', '3']);
  });

  it('throttles by size too: a frame holds the socket for its bytes at the rate', () => {
    const page = pageWithRules([
      rule({
        name: 'slow link',
        direction: 'incoming',
        action: { type: 'throttle', framesPerSecond: 0, bytesPerSecond: 1000 },
      }),
    ]);
    const { socket, received } = openSocket(page);
    // 500 bytes (the euro sign is 3 in UTF-8), then 10: the second waits half a second.
    socket.serverSends('€'.repeat(100) + 'x'.repeat(200));
    socket.serverSends('0123456789');
    expect(received).toHaveLength(1);
    page.advance(499);
    expect(received).toHaveLength(1);
    page.advance(1);
    expect(received).toHaveLength(2);
  });

  it('closes as the server would with a code no client may send, on the Nth match', () => {
    const page = pageWithRules([
      rule({
        name: 'break telemetry',
        urlRegex: '^ws://example\\.test/telemetry$',
        direction: 'incoming',
        action: { type: 'close', code: 1011, reason: 'rule says so', afterMatches: 2 },
      }),
    ]);
    const other = openSocket(page, 'ws://example.test/chat');
    const { socket, received, closes } = openSocket(page, 'ws://example.test/telemetry');
    other.socket.serverSends('x');
    other.socket.serverSends('y');
    socket.serverSends('t1');
    socket.serverSends('t2');
    // The server has "closed": what still comes before the socket ends reaches no one.
    socket.serverSends('t3');
    page.advance(0);
    expect(received).toEqual(['t1', 't2']);
    expect(socket.readyState).toBe(2);
    expect(other.socket.readyState).toBe(1);
    // The browser's own close event comes; the page sees the rule's in its place.
    socket.serverCloses(1000, '', true);
    expect(closes.map((close) => [close.code, close.reason, close.wasClean])).toEqual([
      [1011, 'rule says so', true],
    ]);
    expect(trail(page.events).slice(-2)).toEqual([
      'mark closed by rule break telemetry',
      'closed 1011 rule says so true',
    ]);
  });

  it('fails an open socket as the browser would: error, then close 1006', () => {
    const page = pageWithRules([
      rule({ name: 'down', direction: 'outgoing', action: { type: 'fail', afterMatches: 1 } }),
    ]);
    const { socket, closes } = openSocket(page);
    const errors: string[] = [];
    socket.addEventListener('error', (event) => errors.push(event.type));
    socket.send('hi');
    page.advance(0);
    socket.serverCloses(1000, '', true);
    expect(errors).toEqual(['error']);
    expect(closes.map((close) => [close.code, close.wasClean])).toEqual([[1006, false]]);
    expect(trail(page.events)).toEqual([
      'sent hi page',
      'mark failed by rule down',
      'error',
      'closed 1006  false',
    ]);
  });

  it('fails a socket at its handshake when the rule waits for no frame', () => {
    const page = pageWithRules([
      rule({ name: 'refuse', action: { type: 'fail', afterMatches: 0 } }),
    ]);
    const socket = new page.WebSocket('ws://example.test/');
    expect(socket.readyState).toBe(2);
    expect(trail(page.events)).toEqual(['mark failed by rule refuse']);
  });

  /** A socket a fail-at-open rule refused, with what its page listeners saw. */
  function refusedSocket() {
    const page = pageWithRules([
      rule({ name: 'refuse', action: { type: 'fail', afterMatches: 0 } }),
    ]);
    const socket = new page.WebSocket('ws://example.test/');
    const seen: string[] = [];
    socket.addEventListener('error', () => seen.push('error'));
    socket.addEventListener('close', (event) => {
      const { code, wasClean } = event as unknown as FakeCloseEvent;
      seen.push(`close ${code} ${wasClean}`);
    });
    return { page, socket, seen };
  }

  it.each([
    ["passes the browser's own failure of a refused handshake through, once", 1006, false],
    // Firefox, when the server's 101 is already in: an error, then a clean close without code.
    ['fails a refused handshake the browser closed cleanly (its answer had come)', 1005, true],
  ])('%s', (_, code, wasClean) => {
    const { page, socket, seen } = refusedSocket();
    socket.serverFails();
    socket.serverCloses(code, '', wasClean);
    expect(seen).toEqual(['error', 'close 1006 false']);
    expect(trail(page.events)).toEqual([
      'mark failed by rule refuse',
      'error',
      'closed 1006  false',
    ]);
  });

  it('fails a socket that opened before the rules came, when a rule fails it at open', () => {
    const page = pageWithRules('not yet');
    const { socket, closes } = openSocket(page, 'ws://example.test/late');
    const errors: string[] = [];
    socket.addEventListener('error', (event) => errors.push(event.type));
    page.configure([rule({ name: 'refuse', action: { type: 'fail', afterMatches: 0 } })]);
    page.advance(0);
    socket.serverCloses(1000, '', true);
    expect(errors).toEqual(['error']);
    expect(closes.map((close) => [close.code, close.wasClean])).toEqual([[1006, false]]);
    expect(trail(page.events).slice(-3)).toEqual([
      'mark failed by rule refuse',
      'error',
      'closed 1006  false',
    ]);
  });

  it('leaves sockets no rule covers, and every socket once the rules are off', () => {
    const page = pageWithRules([
      rule({ urlRegex: '^ws://example\\.test/other$', action: { type: 'drop' } }),
    ]);
    const chat = openSocket(page);
    const other = openSocket(page, 'ws://example.test/other');
    chat.socket.send('kept');
    other.socket.send('dropped');
    expect(chat.socket.sentData).toEqual(['kept']);
    expect(other.socket.sentData).toEqual([]);
    page.configure([]);
    other.socket.send('sent');
    expect(other.socket.sentData).toEqual(['sent']);
  });

  it('holds the first sends until the rules come, then applies them in order', () => {
    const page = pageWithRules('not yet');
    const early = new page.WebSocket('ws://example.test/early');
    const { socket } = openSocket(page);
    socket.send('one');
    socket.send('two');
    expect(socket.sentData).toEqual([]);
    page.configure([
      rule({
        name: 'refuse early',
        urlRegex: '.*/early$',
        action: { type: 'fail', afterMatches: 0 },
      }),
      rule({ name: 'no two', match: { kind: 'text', text: 'two' }, action: { type: 'drop' } }),
    ]);
    expect(socket.sentData).toEqual(['one']);
    expect(early.readyState).toBe(2);
    expect(trail(page.events)).toEqual([
      'mark failed by rule refuse early',
      'sent one page',
      'mark dropped by rule no two',
      'sent two dropped',
    ]);
  });

  it('lets the first sends go after a while when no rules ever come', () => {
    const page = pageWithRules('not yet');
    const { socket } = openSocket(page);
    socket.send('waiting');
    page.advance(999);
    expect(socket.sentData).toEqual([]);
    page.advance(1);
    expect(socket.sentData).toEqual(['waiting']);
  });

  it('mocks an endpoint: the socket opens, reply rules answer, close is clean', () => {
    const page = pageWithRules([
      rule({
        name: 'fake chat',
        urlRegex: '.*/chat$',
        action: { type: 'mock', protocol: 'chat.v1' },
      }),
      rule({
        name: 'hello back',
        urlRegex: '.*/chat$',
        direction: 'outgoing',
        match: { kind: 'json', path: ['type'], equals: 'hello' },
        action: { type: 'reply', template: ['{"welcome":"', { path: ['name'] }, '"}'], delayMs: 0 },
      }),
    ]);
    const Socket = page.WebSocket as unknown as new (
      url: string,
      protocols: string[],
    ) => FakeWebSocket;
    const socket = new Socket('ws://example.test/chat', ['chat.v1', 'chat.v0']);
    const seen: unknown[] = [];
    socket.addEventListener('open', () => seen.push(['open', socket.readyState, socket.protocol]));
    socket.addEventListener('message', (event) =>
      seen.push(['message', (event as MessageEvent).data]),
    );
    socket.addEventListener('close', (event) => {
      const close = event as unknown as FakeCloseEvent;
      seen.push(['close', close.code, close.reason, close.wasClean, socket.readyState]);
    });
    expect(socket.readyState).toBe(0);
    expect(socket.protocol).toBe('');
    expect(() => socket.send('too early')).toThrow(/CONNECTING/);
    page.advance(0);
    socket.send('{"type":"hello","name":"ada"}');
    // As a browser's: counted until the next task, when a real one would have sent it.
    expect(socket.bufferedAmount).toBe(29);
    page.advance(0);
    expect(socket.bufferedAmount).toBe(0);
    socket.close(1000, 'bye');
    expect(socket.readyState).toBe(2);
    // Once closing, a send is counted and stays.
    socket.send('late');
    expect(socket.bufferedAmount).toBe(4);
    page.advance(0);
    expect(socket.bufferedAmount).toBe(4);
    expect(seen).toEqual([
      ['open', 1, 'chat.v1'],
      ['message', '{"welcome":"ada"}'],
      ['close', 1000, 'bye', true, 3],
    ]);
    // Nothing went to the browser's own socket.
    expect(socket.sentData).toEqual([]);
    expect(trail(page.events)).toEqual([
      'mark mocked endpoint fake chat',
      'sent {"type":"hello","name":"ada"} page',
      'mark mocked hello back',
      'received {"welcome":"ada"} mocked',
      'closed 1000 bye true',
    ]);
  });

  it('greets at open, in list order, on a mocked socket and on a real one', () => {
    const greet = (name: string, text: string) =>
      rule({ name, action: { type: 'reply', template: [text], delayMs: 0, atOpen: true } });
    const page = pageWithRules([
      rule({ name: 'mock', urlRegex: '.*/mocked$', action: { type: 'mock', protocol: '' } }),
      greet('first', 'welcome'),
      greet('second', 'motd'),
    ]);
    const mocked = new page.WebSocket('ws://example.test/mocked');
    const seen: unknown[] = [];
    mocked.addEventListener('message', (event) => seen.push((event as MessageEvent).data));
    page.advance(0);
    expect(seen).toEqual(['welcome', 'motd']);
    const real = openSocket(page);
    page.advance(0);
    expect(real.received).toEqual(['welcome', 'motd']);
    // A greeting answers no frame.
    real.socket.send('anything');
    page.advance(0);
    expect(real.received).toEqual(['welcome', 'motd']);
  });

  it('mocks a socket whose blocked handshake failed before the rules came', () => {
    const page = pageWithRules('not yet');
    const socket = new page.WebSocket('ws://example.test/chat');
    const seen: string[] = [];
    for (const type of ['open', 'error', 'close'])
      socket.addEventListener(type, () => seen.push(`${type} ${socket.readyState}`));
    // The extension blocks a mocked URL: the browser fails it at once.
    socket.serverFails();
    socket.serverCloses(1006, '', false);
    expect(seen).toEqual([]);
    page.configure([rule({ name: 'mock', action: { type: 'mock', protocol: '' } })]);
    page.advance(0);
    expect(seen).toEqual(['open 1']);
  });

  it('gives the page a failure it held for the rules when none covers the socket', () => {
    const page = pageWithRules('not yet');
    const socket = new page.WebSocket('ws://example.test/chat');
    const seen: unknown[] = [];
    socket.addEventListener('error', () => seen.push('error'));
    socket.addEventListener('close', (event) => {
      const close = event as unknown as FakeCloseEvent;
      seen.push([close.code, close.wasClean]);
    });
    socket.serverFails();
    socket.serverCloses(1006, '', false);
    page.configure([]);
    expect(seen).toEqual(['error', [1006, false]]);
    expect(trail(page.events)).toEqual(['error', 'closed 1006  false']);
  });
});
