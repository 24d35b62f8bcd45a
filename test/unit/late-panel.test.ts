import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/capture/event-stream';
import type { CaptureEvent, RelayToHook } from '../../src/protocol/capture-events';
import { DEFAULT_LIMITS, HOOK_POST_SOON_EVENTS } from '../../src/protocol/limits';
import type { EventsMessage, RelayToBackground } from '../../src/protocol/port-messages';
import { RelayCore } from '../../src/relay/relay-core';
import { SessionStore } from '../../src/session/session-store';

const doc = { documentId: 'doc', url: 'http://page.test/', startedAt: 1 };

/**
 * A page's hook with a small backlog, its relay, and a panel's session store that subscribes
 * late: what a user sees when DevTools opens on a page that has been busy for a while.
 */
function page(backlogEvents: number, recentlyEnded = 1000) {
  const limits = { ...DEFAULT_LIMITS, backlogEvents };
  const messages: RelayToBackground[] = [];
  const tasks: Array<() => void> = [];
  let relay: RelayCore;
  const stream = new EventStream({
    post: (batch) => {
      relay.receiveFromPage(structuredClone(batch));
      return false;
    },
    copyForTransfer: () => undefined,
    schedule: (task) => tasks.push(task),
    scheduleSoon: (task) => tasks.push(task),
    soonEvents: HOOK_POST_SOON_EVENTS,
    maxEvents: limits.hookBatchEvents,
    maxBytes: limits.hookBatchBytes,
    backlogEvents,
    backlogBytes: limits.backlogBytes,
    recentlyEnded,
  });
  const toHook = (message: RelayToHook) => {
    if (message.type === 'subscribe') stream.subscribe(message.subscription, message.fromSeq);
  };
  relay = new RelayCore(doc, limits, (message) => messages.push(message), toHook);
  const store = new SessionStore();
  store.addDocument({ ...doc, frameId: 0 });
  let time = 1000;
  const record = (event: Record<string, unknown>) =>
    stream.record({ time: ++time, ...event } as unknown as CaptureEvent, 0);
  const open = (id: number, url = `ws://server.test/${id}`) => {
    record({ type: 'created', id, requestedUrl: url, url, protocols: ['chat'] });
    record({ type: 'opened', id, protocol: 'chat', extensions: '' });
  };
  const send = (id: number, text: string) =>
    stream.frame('sent', id, ++time, text, text.length * 2, 1, 0, 'page');
  const close = (id: number, code = 1000) =>
    record({ type: 'closed', id, code, reason: 'bye', wasClean: true, initiator: 'server' });
  /** Delivers what the relay sent so far to the store, as the panel does. */
  const deliver = () => {
    for (const task of tasks.splice(0)) task();
    for (const message of messages.splice(0)) {
      if (message.type !== 'events') continue;
      const { firstSeq, records, lost, rejected, connections } = message as EventsMessage;
      store.applyRecords(doc.documentId, firstSeq, records, [], lost, rejected, connections);
    }
  };
  const subscribe = () => {
    relay.subscribe(store.cursorOf(doc.documentId));
    deliver();
  };
  return { stream, store, open, send, close, deliver, subscribe, relay };
}

const texts = (store: SessionStore) =>
  store.frames.map((frame) => (frame.payload?.kind === 'text' ? frame.payload.text : frame.kind));

describe('a panel that opens after the backlog dropped a socket’s creation', () => {
  it('lists the connection, with its newest frames, new live frames, and its dropped count', () => {
    const { store, open, send, subscribe, deliver } = page(100);
    open(1);
    for (let i = 0; i < 1500; i++) send(1, `frame ${i}`);
    subscribe();
    expect(store.connectionList).toHaveLength(1);
    const [connection] = store.connectionList;
    expect(connection).toMatchObject({
      url: 'ws://server.test/1',
      state: 'open',
      protocol: 'chat',
    });
    // 1,502 events; the backlog kept the last 100 (frames 1400 to 1499).
    expect(connection!.droppedFrames).toBe(1400);
    expect(store.lost).toBe(1402);
    expect(texts(store)[0]).toBe('frame 1400');
    expect(texts(store).at(-1)).toBe('frame 1499');
    for (let i = 0; i < 5; i++) send(1, `live ${i}`);
    deliver();
    expect(texts(store).slice(-5)).toEqual(['live 0', 'live 1', 'live 2', 'live 3', 'live 4']);
    expect(connection!.sent.count).toBe(105);
    expect(store.droppedFrames).toBe(1400);
  });

  it('shows a connection that ended while its events fell out, closed as it closed', () => {
    const { store, open, send, close, subscribe } = page(10);
    open(1);
    send(1, 'early');
    close(1, 4001);
    open(2);
    for (let i = 0; i < 50; i++) send(2, `busy ${i}`);
    subscribe();
    const byId = new Map(store.connectionList.map((connection) => [connection.id, connection]));
    expect(byId.get(1)).toMatchObject({ state: 'closed', close: { code: 4001, reason: 'bye' } });
    expect(byId.get(1)!.droppedFrames).toBe(1);
    expect(byId.get(2)).toMatchObject({ state: 'open', droppedFrames: 40 });
    // The close is a row of the log too, ahead of the frames the backlog kept.
    expect(texts(store)[0]).toBe('closed');
    expect(store.unattributed).toBe(0);
  });

  it('counts dropped frames once when the panel subscribes again and again', () => {
    const { store, open, send, subscribe } = page(20);
    open(1);
    for (let i = 0; i < 100; i++) send(1, `a ${i}`);
    subscribe();
    expect(store.connectionList[0]!.droppedFrames).toBe(80);
    for (let i = 0; i < 100; i++) send(1, `b ${i}`);
    // Not delivered: a second subscription from the panel's cursor loses 80 more.
    subscribe();
    expect(store.connectionList[0]!.droppedFrames).toBe(160);
    subscribe();
    expect(store.connectionList[0]!.droppedFrames).toBe(160);
    expect(store.connectionList).toHaveLength(1);
  });

  it('keeps a bounded number of ended connections described, the live ones always', () => {
    const { stream, open, close, send } = page(10, 3);
    open(1);
    for (let id = 2; id <= 20; id++) {
      open(id);
      close(id);
      for (let i = 0; i < 20; i++) send(1, 'push the closes out of the log');
    }
    // The live one and the three most recently ended.
    expect(stream.connections.size).toBe(4);
    expect(stream.describe(1)).toMatchObject({ url: 'ws://server.test/1' });
    expect(stream.describe(2)).toBeUndefined();
    expect(stream.describe(20)).toMatchObject({ url: 'ws://server.test/20' });
    expect(Object.keys(stream.log.droppedFrames)).toEqual(['1']);
  });

  it('counts, where the panel shows it, an event for a connection the user cleared', () => {
    const { store, open, send, close, deliver, subscribe } = page(1000);
    open(1);
    subscribe();
    close(1);
    deliver();
    store.clear();
    send(1, 'sent on a closed socket');
    deliver();
    expect(store.connectionList).toHaveLength(0);
    expect(store.unattributed).toBe(1);
  });
});
