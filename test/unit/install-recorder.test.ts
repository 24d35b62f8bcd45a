import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installRecorder } from '../../src/capture/install-recorder';
import { createInterceptGate } from '../../src/capture/intercept-gate';
import type { PageGlobal } from '../../src/capture/native-intrinsics';
import type { CaptureEvent } from '../../src/protocol/capture-events';
import { parseStack } from '../../src/session/stack-frames';
import { FakeCloseEvent, type FakeWebSocket } from './fake-websocket';
import { fakeWindow } from './fake-window';
import { type Page, setUpPage } from './hooked-page';

const toStringDescriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!;

function bytesOf(event: CaptureEvent | undefined): number[] {
  if (!event || !('payload' in event)) throw new Error('no bytes');
  const { payload } = event;
  if (payload.kind !== 'bytes') throw new Error('no bytes');
  return [...new Uint8Array(payload.bytes)];
}

describe('installRecorder', () => {
  let page: Page;
  beforeEach(() => {
    page = setUpPage();
  });
  afterEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toStringDescriptor);
  });

  it('records a connection from creation to close, with timestamps in epoch milliseconds', () => {
    const ws = new page.WebSocket('ws://example.test/a', [
      'chat',
      'json',
    ]) as unknown as FakeWebSocket;
    ws.serverOpens('chat');
    ws.send('hi');
    ws.serverSends('there');
    ws.serverCloses(1011, 'oops');
    expect(page.events.map((event) => event.type)).toEqual([
      'created',
      'opened',
      'sent',
      'received',
      'closed',
    ]);
    const [created, opened, , , closed] = page.events;
    expect(created).toMatchObject({
      requestedUrl: 'ws://example.test/a',
      url: 'ws://example.test/a',
      protocols: ['chat', 'json'],
    });
    expect(opened).toMatchObject({ protocol: 'chat', extensions: '' });
    expect(closed).toMatchObject({
      code: 1011,
      reason: 'oops',
      wasClean: true,
      initiator: 'server',
    });
    const now = performance.timeOrigin + performance.now();
    expect(created!.time).toBeGreaterThan(now - 1000);
    expect(created!.time).toBeLessThanOrEqual(now);
  });

  it("records the page's stack at each send() before its frame, only while the setting asks", () => {
    // The test runner formats stacks through Error.prepareStackTrace, where no stack is taken.
    const runners = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    try {
      const withStacks = setUpPage(1024, true);
      const ws = new withStacks.WebSocket('ws://example.test/s') as unknown as FakeWebSocket;
      ws.serverOpens('');
      function sendFromPage() {
        ws.send('first');
      }
      sendFromPage();
      withStacks.recorder.settings = { payloadCap: 1024, sendStacks: false };
      ws.send('second');
      expect(withStacks.events.map((event) => event.type)).toEqual([
        'created',
        'opened',
        'send-stack',
        'sent',
        'sent',
      ]);
      const stack = withStacks.events[2] as Extract<CaptureEvent, { type: 'send-stack' }>;
      const frames = parseStack(stack.stack);
      expect(frames[0]?.functionName).toBe('sendFromPage');
      expect(frames[0]?.url).toMatch(/install-recorder\.test\.ts$/);
      expect(stack.stack).not.toMatch(/websocket-proxies|src\/capture/);
    } finally {
      if (runners) Object.defineProperty(Error, 'prepareStackTrace', runners);
    }
  });

  it('records the bytes actually sent for every binary kind, unaffected by later mutation', async () => {
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]).buffer;
    ws.send(buffer);
    ws.send(new Uint8Array(buffer, 2, 3));
    ws.send(new DataView(buffer, 4, 2));
    ws.send(new Uint16Array([0x0102]));
    ws.send(new Float64Array([1.5]).subarray(0, 1));
    new Uint8Array(buffer).fill(0);
    const sent = page.events.filter((event) => event.type === 'sent');
    expect(bytesOf(sent[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bytesOf(sent[1])).toEqual([3, 4, 5]);
    expect(bytesOf(sent[2])).toEqual([5, 6]);
    expect(bytesOf(sent[3])).toEqual([...new Uint8Array(new Uint16Array([0x0102]).buffer)]);
    expect(bytesOf(sent[4])).toEqual([...new Uint8Array(new Float64Array([1.5]).buffer)]);
    const blob = new Blob(['blob-bytes']);
    ws.send(blob);
    const last = page.events.at(-1)!;
    expect(
      last.type === 'sent' && last.payload.kind === 'blob' && (await last.payload.blob.text()),
    ).toBe('blob-bytes');
  });

  it('records received ArrayBuffers as copies and keeps Blobs and text as they are', () => {
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    const data = new Uint8Array([9, 8, 7]).buffer;
    ws.serverSends(data);
    new Uint8Array(data).fill(0);
    expect(bytesOf(page.events.at(-1))).toEqual([9, 8, 7]);
    ws.serverSends('text');
    expect(page.events.at(-1)).toMatchObject({
      type: 'received',
      payload: { kind: 'text', text: 'text' },
    });
  });

  it('keeps the first payloadCap bytes of a large binary frame and its original size', () => {
    page = setUpPage(4);
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    ws.send(new Uint8Array(10).map((_, i) => i));
    const sent = page.events.at(-1)!;
    expect(bytesOf(sent)).toEqual([0, 1, 2, 3]);
    expect(sent.type === 'sent' && sent.payload.kind === 'bytes' && sent.payload.originalSize).toBe(
      10,
    );
  });

  it('converts non-binary data to a string exactly once, as the native send does', () => {
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    let calls = 0;
    ws.send({ toString: () => `call ${++calls}` } as unknown as string);
    expect(calls).toBe(1);
    expect(ws.sentData).toEqual(['call 1']);
    expect(page.events.at(-1)).toMatchObject({ payload: { kind: 'text', text: 'call 1' } });
  });

  it('keeps the native exceptions and records nothing when send or close throws', () => {
    expect(() => new page.WebSocket('http://bad')).toThrow(SyntaxError);
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    expect(() => ws.send('early')).toThrow(/CONNECTING/);
    ws.serverOpens();
    expect(() => ws.close(1234)).toThrow(/invalid code/);
    expect(page.events.map((event) => event.type)).toEqual(['created', 'opened']);
    expect(() => (page.WebSocket as unknown as () => void)()).toThrow(TypeError);
  });

  it('records only events the browser dispatches: one the page dispatches reaches the page alone', () => {
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    const seen: string[] = [];
    for (const type of ['open', 'message', 'error', 'close']) {
      ws.addEventListener(type, (event) => seen.push(`${type}:${(event as MessageEvent).data}`));
    }
    ws.serverOpens();
    // Paused incoming frames: the browser's are held, the page's own pass straight through.
    const all = { enabled: true, query: '', regex: false, connectionIds: [] };
    page.recorder.gate.configure({ ...all, enabled: false }, all);
    ws.dispatchEvent(new Event('open'));
    ws.dispatchEvent(new MessageEvent('message', { data: 'made by the page' }));
    ws.dispatchEvent(new Event('error'));
    ws.dispatchEvent(new FakeCloseEvent('close', { code: 4999, reason: 'fake', wasClean: true }));
    ws.serverSends('from the server');
    page.recorder.gate.releaseAll();
    ws.serverFails();
    ws.serverCloses(1006, '', false);
    expect(seen).toEqual([
      'open:undefined',
      'open:undefined',
      'message:made by the page',
      'error:undefined',
      'close:undefined',
      'message:from the server',
      'error:undefined',
      'close:undefined',
    ]);
    expect(page.events.map((event) => event.type)).toEqual([
      'created',
      'opened',
      'held',
      'released',
      'received',
      'error',
      'closed',
    ]);
    expect(page.events.at(-1)).toMatchObject({ code: 1006, initiator: 'unknown' });
  });

  it('marks a close the page asked for as initiated by the client', () => {
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    ws.close(4001, 'bye');
    ws.serverCloses(4001, 'bye');
    expect(page.events.slice(-2)).toMatchObject([
      { type: 'close-requested', code: 4001, reason: 'bye' },
      { type: 'closed', code: 4001, initiator: 'client' },
    ]);
  });

  it('looks like the native constructor to the page', () => {
    const { WebSocket: Wrapped, Native } = page;
    expect(Wrapped).not.toBe(Native);
    expect(Wrapped.prototype).toBe(Native.prototype);
    expect(Wrapped.prototype.constructor).toBe(Wrapped);
    expect(Wrapped.name).toBe('WebSocket');
    expect(Wrapped.length).toBe(Native.length);
    expect(Wrapped.OPEN).toBe(1);
    const ws = new Wrapped('ws://example.test/');
    expect(ws).toBeInstanceOf(Wrapped);
    expect(ws).toBeInstanceOf(Native);
    expect(Object.getPrototypeOf(ws)).toBe(Wrapped.prototype);
    expect(Function.prototype.toString.call(Wrapped)).toBe(
      Function.prototype.toString.call(Native),
    );
    expect(Function.prototype.toString.call(Wrapped.prototype.send)).toMatch(
      /^send\(|function send/,
    );
    expect(Function.prototype.toString.call(Function.prototype.toString)).toBe(
      'function toString() { [native code] }',
    );
    expect(Object.getOwnPropertyDescriptor(Wrapped.prototype, 'send')).toMatchObject({
      writable: true,
      enumerable: false,
      configurable: true,
    });
  });

  it('supports subclasses, with their own methods and new.target', () => {
    let seenTarget: unknown;
    class Subclass extends page.WebSocket {
      constructor(url: string) {
        super(url);
        seenTarget = new.target;
      }
      hello() {
        return 'sub';
      }
    }
    const ws = new Subclass('ws://example.test/sub');
    expect(seenTarget).toBe(Subclass);
    expect(ws.hello()).toBe('sub');
    expect(ws).toBeInstanceOf(page.WebSocket);
    expect(page.events.at(-1)).toMatchObject({ type: 'created', url: 'ws://example.test/sub' });
  });
});

describe('installRecorder and detached buffers', () => {
  it('records a detached buffer as the empty frame the browser sends, without throwing', () => {
    const page = setUpPage();
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => ws.send(buffer)).not.toThrow();
    expect(bytesOf(page.events.at(-1))).toEqual([]);
  });
});

describe('Function.prototype.toString across same-origin windows', () => {
  // Each window's hook starts from its own original toString, as at a document's start.
  beforeEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toStringDescriptor);
  });
  afterEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toStringDescriptor);
  });

  const sink = {
    record: () => undefined,
    frame: () => undefined,
    describe: () => undefined,
  };

  const windowOf = (FunctionConstructor: FunctionConstructor, parent?: EventTarget) =>
    fakeWindow(FunctionConstructor, undefined, parent);

  it("shows a native text for any window's wrappers, through any window's toString", () => {
    const frameFunction = runInNewContext('Function') as FunctionConstructor;
    const mainToString = Function.prototype.toString;
    const frameToString = frameFunction.prototype.toString;
    const parent = windowOf(Function);
    const frame = windowOf(frameFunction, parent);
    const natives = (page: ReturnType<typeof windowOf>) => [
      page.WebSocket,
      page.WebSocket.prototype.send,
      page.WebSocket.prototype.close,
      page.Function.prototype.toString,
    ];
    const before = [...natives(parent), ...natives(frame)];
    const nativeTexts = before.map((fn) => mainToString.call(fn));
    installRecorder(
      parent as unknown as PageGlobal,
      sink,
      { payloadCap: 1, sendStacks: false },
      createInterceptGate,
    );
    installRecorder(
      frame as unknown as PageGlobal,
      sink,
      { payloadCap: 1, sendStacks: false },
      createInterceptGate,
    );
    const wrappers = [...natives(parent), ...natives(frame)];
    expect(wrappers.filter((wrapper, i) => wrapper === before[i])).toEqual([]);
    for (const anyToString of [Function.prototype.toString, frameFunction.prototype.toString]) {
      expect(wrappers.map((wrapper) => Reflect.apply(anyToString, wrapper, []))).toEqual(
        nativeTexts,
      );
    }
    expect(frameToString).not.toBe(frameFunction.prototype.toString);
  });

  it('answers no share request the page makes, and lets the page see its own events', () => {
    const parent = windowOf(Function);
    installRecorder(
      parent as unknown as PageGlobal,
      sink,
      { payloadCap: 1, sendStacks: false },
      createInterceptGate,
    );
    let pageSaw = 0;
    let answered = 0;
    parent.addEventListener('sockscope-share-disguises', () => pageSaw++);
    for (const detail of [Object.prototype.toString, Function.prototype.toString, () => 'x']) {
      const event = new CustomEvent('sockscope-share-disguises', { detail });
      Object.defineProperty(event, 'take', { value: () => answered++ });
      parent.dispatchEvent(event);
    }
    expect([pageSaw, answered]).toEqual([3, 0]);
  });

  it("takes no group from a page listener that answers a new window's ask in its hook's place", () => {
    // No hook answers on the parent (as after document.open() erased its listener): the page does.
    const parent = windowOf(Function);
    const forged = {
      disguises: new WeakMap<object, string>(),
      sockets: new WeakMap<object, unknown>(),
      adopted: new WeakMap<object, unknown>(),
    };
    let pageSaw = 0;
    parent.addEventListener('sockscope-share-disguises', (event) => {
      pageSaw++;
      const take = (event as CustomEvent & { take(group: unknown, proof?: unknown): void }).take;
      take(forged);
      take(forged, Object.prototype.toString);
      take(forged, new Proxy(Function.prototype.toString, {}));
    });
    const frameFunction = runInNewContext('Function') as FunctionConstructor;
    const frame = windowOf(frameFunction, parent);
    installRecorder(
      frame as unknown as PageGlobal,
      sink,
      { payloadCap: 1, sendStacks: false },
      createInterceptGate,
    );
    expect(pageSaw).toBe(1);
    // The frame's hook kept a group of its own: its wrappers are not in the page's.
    expect(forged.disguises.has(frame.WebSocket)).toBe(false);
  });

  it('joins a same-origin sibling inside a cross-origin page (no same-origin relative)', () => {
    // The page's window is another origin's: it is no EventTarget to these hooks (a dispatch
    // on it throws, as on a cross-origin window), and holds the frames as its indexed children.
    const top: Record<number, unknown> = {};
    const frameFunction = runInNewContext('Function') as FunctionConstructor;
    const first = windowOf(Function);
    const second = windowOf(frameFunction);
    for (const frame of [first, second]) {
      Object.defineProperty(frame, 'top', { get: () => top, configurable: true });
      Object.defineProperty(frame, 'parent', { get: () => top, configurable: true });
      Object.defineProperty(frame, 'frameElement', { get: () => null, configurable: true });
    }
    Object.defineProperty(top, 0, { value: first });
    Object.defineProperty(top, 1, { value: second });
    const nativeText = Function.prototype.toString.call(first.WebSocket);
    for (const frame of [first, second]) {
      installRecorder(
        frame as unknown as PageGlobal,
        sink,
        { payloadCap: 1, sendStacks: false },
        createInterceptGate,
      );
    }
    // The second's toString knows the first's wrapper: one group.
    expect(Reflect.apply(second.Function.prototype.toString, first.WebSocket, [])).toBe(nativeText);
  });
});
