import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayToHook } from '../../src/protocol/capture-events';
import { RECORD_EVENT } from '../../src/protocol/event-records';
import { DEFAULT_LIMITS } from '../../src/protocol/limits';
import {
  DATA_PORT,
  type EventsMessage,
  type RelayToBackground,
  type RelayToPanel,
} from '../../src/protocol/port-messages';
import {
  DATA_PORT_WAIT_MS,
  NO_HOOK_ERROR,
  RECONNECT_DELAY_MS,
  type RelayPort,
  RelayRouter,
} from '../../src/relay/relay-router';
import { relayedEvents } from './record-helpers';

const EXTENSION_ID = 'sockscope@test';
const doc = { documentId: 'doc-1', url: 'http://page.test/', startedAt: 1 };

class FakePort<Outgoing> implements RelayPort<Outgoing> {
  sent: Outgoing[] = [];
  private readonly messageListeners: Array<(message: unknown) => void> = [];
  private readonly disconnectListeners: Array<() => void> = [];
  constructor(
    readonly name = 'sockscope-relay',
    readonly sender: { id?: string } = { id: EXTENSION_ID },
  ) {}
  postMessage(message: Outgoing): void {
    this.sent.push(message);
  }
  onMessage = {
    addListener: (listener: (message: unknown) => void) => this.messageListeners.push(listener),
  };
  onDisconnect = { addListener: (listener: () => void) => this.disconnectListeners.push(listener) };
  receive(message: unknown): void {
    for (const listener of this.messageListeners) listener(message);
  }
  disconnect(): void {
    for (const listener of this.disconnectListeners) listener();
  }
}

/**
 * A router wired to fakes as the content script wires it to the browser: `backgrounds` holds
 * every port it opened to the background, `hook` what reached the hook's port.
 */
function setup({ handOverAlways = false, hookFirst = true, extensionGone = false } = {}) {
  const backgrounds: FakePort<RelayToBackground>[] = [];
  let connects = 0;
  let gone = extensionGone;
  const hook: RelayToHook[] = [];
  const router = new RelayRouter({
    document: doc,
    limits: DEFAULT_LIMITS,
    handOverAlways,
    extensionId: EXTENSION_ID,
    connectBackground: () => {
      connects++;
      if (gone) throw new Error('Extension context invalidated.');
      const port = new FakePort<RelayToBackground>();
      backgrounds.push(port);
      return port;
    },
  });
  const connectHook = () => router.hookConnected({ postMessage: (message) => hook.push(message) });
  if (hookFirst) connectHook();
  router.connectBackground();
  const background = () => backgrounds.at(-1)!;
  const hookSubscriptions = () => hook.filter((message) => message.type === 'subscribe');
  const openDataPort = (name = DATA_PORT, sender = { id: EXTENSION_ID }) => {
    const port = new FakePort<RelayToPanel>(name, sender);
    router.portOpened(port);
    return port;
  };
  return {
    router,
    hook,
    backgrounds,
    background,
    connects: () => connects,
    removeExtension: () => {
      gone = true;
    },
    connectHook,
    hookSubscriptions,
    openDataPort,
  };
}

const subscribe = (fromSeq: number, cloneProbe: unknown = {}) => ({
  type: 'subscribe',
  fromSeq,
  cloneProbe,
});

/** One hook post of `subscription` holding a single created event at `seq`. */
const batch = (subscription: number, seq: number) => ({
  subscription,
  firstSeq: seq,
  lost: 0,
  records: [
    RECORD_EVENT,
    0,
    0,
    { type: 'created', id: 1, time: 1000, requestedUrl: 'ws://a/', url: 'ws://a/', protocols: [] },
    0,
    0,
  ],
});

const eventsOf = (messages: Array<{ type: string }>) =>
  relayedEvents(messages).map((event) => event.seq);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the relay and the hook', () => {
  it('tells the hook to hand over only the last batches, and acknowledges what it read', () => {
    const { router, hook, background } = setup({ handOverAlways: false });
    expect(hook[0]).toEqual({ type: 'hand-over', always: false });
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    router.fromHook(batch(1, 0));
    expect(hook.at(-1)).toEqual({ type: 'received', subscription: 1, endSeq: 1 });
  });

  it('tells the hook to hand over every batch where it reads them in place, with no acknowledgements', () => {
    const { router, hook, background } = setup({ handOverAlways: true });
    expect(hook[0]).toEqual({ type: 'hand-over', always: true });
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    router.fromHook(batch(1, 0));
    expect(hook.filter((message) => message.type === 'received')).toEqual([]);
    expect(eventsOf(background().sent)).toEqual([0]);
  });

  it('keeps what it tells the hook until the hook port comes, then sends it first, in order', () => {
    const { router, hook, background, connectHook } = setup({ hookFirst: false });
    router.core.setLimits({ ...DEFAULT_LIMITS, payloadCap: 10 });
    background().receive(subscribe(4));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    expect(hook).toEqual([]);
    connectHook();
    expect(hook.map((message) => message.type)).toEqual(['hand-over', 'settings', 'subscribe']);
    router.core.unsubscribe();
    expect(hook.at(-1)).toEqual({ type: 'unsubscribe' });
  });

  it('forwards what the hook posts and hands over alike, and refuses what is malformed', () => {
    const { router, background } = setup();
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    router.fromHook({ subscription: 1, firstSeq: 0, lost: 0, records: 'not records' });
    router.fromHook(batch(1, 0));
    const events = background().sent.filter((message) => message.type === 'events');
    expect(events).toHaveLength(1);
    expect((events[0] as EventsMessage).rejected).toBe(1);
  });
});

describe('subscribe and unsubscribe from the background', () => {
  it('says hello with its document as soon as it connects', () => {
    const { background } = setup();
    expect(background().sent).toEqual([{ type: 'hello', document: doc }]);
  });

  it('waits for a data port, then subscribes the hook from the asked seq through the background', () => {
    const { background, hookSubscriptions } = setup();
    background().receive(subscribe(3));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS - 1);
    expect(hookSubscriptions()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(hookSubscriptions()).toEqual([{ type: 'subscribe', subscription: 1, fromSeq: 3 }]);
  });

  it('waits afresh for each subscribe', () => {
    const { background, hookSubscriptions } = setup();
    background().receive(subscribe(3));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS - 1);
    background().receive(subscribe(5));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS - 1);
    expect(hookSubscriptions()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(hookSubscriptions()).toEqual([{ type: 'subscribe', subscription: 1, fromSeq: 5 }]);
  });

  it('carries binary as bytes only where the ports carry structured clones', () => {
    const { router, background } = setup();
    background().receive(subscribe(0, new Uint8Array(1)));
    expect(router.core.portsClone).toBe(true);
    // Chrome's JSON messaging turns the typed array into a plain object.
    background().receive(subscribe(0, { 0: 0 }));
    expect(router.core.portsClone).toBe(false);
  });

  it('unsubscribes the hook, and a pending wait then subscribes nothing', () => {
    const { background, hook, hookSubscriptions } = setup();
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    background().receive({ type: 'unsubscribe' });
    expect(hook.at(-1)).toEqual({ type: 'unsubscribe' });
    background().receive(subscribe(2));
    background().receive({ type: 'unsubscribe' });
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    expect(hookSubscriptions()).toHaveLength(1);
  });
});

describe('data ports', () => {
  it('greets a panel data port with its document', () => {
    const { openDataPort } = setup();
    expect(openDataPort().sent).toEqual([{ type: 'data-hello', documentId: doc.documentId }]);
  });

  it('takes only data ports, and only from the extension itself', () => {
    const { background, openDataPort, hookSubscriptions } = setup();
    background().receive(subscribe(0));
    const otherName = openDataPort('sockscope-other');
    const otherSender = openDataPort(DATA_PORT, { id: 'someone-else' });
    const noSender = new FakePort<RelayToPanel>(DATA_PORT, {});
    for (const port of [otherName, otherSender, noSender]) {
      port.receive({ type: 'accept', cursor: 0 });
      expect(port.sent).toEqual([]);
    }
    expect(hookSubscriptions()).toEqual([]);
  });

  it('subscribes the hook from the panel cursor as soon as the panel accepts, without waiting', () => {
    const { background, openDataPort, hookSubscriptions } = setup();
    background().receive(subscribe(5));
    openDataPort().receive({ type: 'accept', cursor: 2 });
    expect(hookSubscriptions()).toEqual([{ type: 'subscribe', subscription: 1, fromSeq: 2 }]);
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    expect(hookSubscriptions()).toHaveLength(1);
  });

  it('sends events to the data port, not the background, once accepted', () => {
    const { router, background, openDataPort } = setup();
    background().receive(subscribe(0));
    const port = openDataPort();
    port.receive({ type: 'accept', cursor: 0 });
    router.fromHook(batch(1, 0));
    expect(eventsOf(port.sent)).toEqual([0]);
    expect(eventsOf(background().sent)).toEqual([]);
  });

  it('ignores anything from a data port but an accept with a whole cursor', () => {
    const { background, openDataPort, hookSubscriptions } = setup();
    background().receive(subscribe(5));
    const port = openDataPort();
    for (const message of [null, 'accept', { type: 'other', cursor: 1 }, { type: 'accept' }]) {
      port.receive(message);
    }
    port.receive({ type: 'accept', cursor: 1.5 });
    expect(hookSubscriptions()).toEqual([]);
    port.receive({ type: 'accept', cursor: -4 });
    expect(hookSubscriptions()).toEqual([{ type: 'subscribe', subscription: 1, fromSeq: 0 }]);
  });

  it('goes back to the background when the last data port closes', async () => {
    const { router, background, openDataPort } = setup();
    background().receive(subscribe(0));
    const port = openDataPort();
    port.receive({ type: 'accept', cursor: 0 });
    port.disconnect();
    router.fromHook({ result: { commandId: 2, ok: true } });
    await router.core.settled();
    expect(background().sent.at(-1)).toEqual({
      type: 'command-result',
      result: { commandId: 2, ok: true },
    });
    expect(port.sent.filter((message) => message.type === 'command-result')).toEqual([]);
  });
});

describe('commands', () => {
  const release = { type: 'command', commandId: 7, command: { kind: 'release-all' } };

  it('passes a command to the hook with its id', () => {
    const { background, hook } = setup();
    background().receive(release);
    expect(hook.at(-1)).toEqual({
      type: 'command',
      commandId: 7,
      command: { kind: 'release-all' },
    });
  });

  it('answers a command itself when no hook runs in the page, and never runs it later', () => {
    const { background, hook, connectHook } = setup({ hookFirst: false });
    background().receive(release);
    expect(background().sent.at(-1)).toEqual({
      type: 'command-result',
      result: { commandId: 7, ok: false, error: NO_HOOK_ERROR },
    });
    connectHook();
    expect(hook.filter((message) => message.type === 'command')).toEqual([]);
  });

  it('passes the hook results to the background, or with their document to the data ports', async () => {
    const { router, background, openDataPort } = setup();
    router.fromHook({ result: { commandId: 1, ok: false, error: 'No such connection.' } });
    await router.core.settled();
    expect(background().sent.at(-1)).toEqual({
      type: 'command-result',
      result: { commandId: 1, ok: false, error: 'No such connection.' },
    });
    const port = openDataPort();
    port.receive({ type: 'accept', cursor: 0 });
    router.fromHook({ result: { commandId: 2, ok: true } });
    await router.core.settled();
    expect(port.sent.at(-1)).toEqual({
      type: 'command-result',
      documentId: doc.documentId,
      result: { commandId: 2, ok: true },
    });
  });

  it('refuses a malformed result from the page and counts it', async () => {
    const { router, background } = setup();
    router.fromHook({ result: { commandId: 'x', ok: true } });
    await router.core.settled();
    expect(background().sent.filter((message) => message.type === 'command-result')).toEqual([]);
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    router.fromHook(batch(1, 0));
    const [events] = background().sent.filter((message) => message.type === 'events');
    expect((events as EventsMessage).rejected).toBe(1);
  });
});

describe('when the background goes away', () => {
  it('unsubscribes the hook, sends nothing meanwhile, and reconnects with a hello', async () => {
    const { router, background, backgrounds, hook } = setup();
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    const first = background();
    first.disconnect();
    expect(hook.at(-1)).toEqual({ type: 'unsubscribe' });
    router.fromHook(batch(1, 0));
    router.fromHook({ result: { commandId: 3, ok: true } });
    await router.core.settled();
    expect(first.sent.map((message) => message.type)).toEqual(['hello']);
    vi.advanceTimersByTime(RECONNECT_DELAY_MS - 1);
    expect(backgrounds).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(backgrounds).toHaveLength(2);
    expect(background().sent).toEqual([{ type: 'hello', document: doc }]);
    background().receive(subscribe(0));
    vi.advanceTimersByTime(DATA_PORT_WAIT_MS);
    expect(hook.at(-1)).toEqual({ type: 'subscribe', subscription: 2, fromSeq: 0 });
  });

  it('answers commands on the new port after it reconnects', () => {
    const { background, connects } = setup({ hookFirst: false });
    background().disconnect();
    vi.advanceTimersByTime(RECONNECT_DELAY_MS);
    expect(connects()).toBe(2);
    background().receive({ type: 'command', commandId: 9, command: { kind: 'release-all' } });
    expect(background().sent.at(-1)).toMatchObject({ type: 'command-result' });
  });

  it('gives up, quietly, when the extension is gone from the start', () => {
    const { connects } = setup({ extensionGone: true });
    expect(connects()).toBe(1);
    vi.advanceTimersByTime(RECONNECT_DELAY_MS * 10);
    expect(connects()).toBe(1);
  });

  it('gives up, quietly, when the extension went away with the background', () => {
    const { background, connects, removeExtension } = setup();
    removeExtension();
    background().disconnect();
    vi.advanceTimersByTime(RECONNECT_DELAY_MS * 10);
    expect(connects()).toBe(2);
  });
});
