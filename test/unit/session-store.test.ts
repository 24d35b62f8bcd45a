import { describe, expect, it } from 'vitest';
import type { SequencedEvent, WireEvent } from '../../src/protocol/relay-events';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';

const doc = { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 };
const text = (value: string) => ({
  kind: 'text' as const,
  text: value,
  size: value.length,
  originalSize: value.length,
});
const seq = (events: WireEvent[], from = 0): SequencedEvent[] =>
  events.map((event, i) => ({ seq: from + i, event }));

describe('SessionStore', () => {
  it('keeps no frame for a connection that clear() removed, even one it just saw', () => {
    const store = new SessionStore();
    store.addDocument(doc);
    const created = (id: number): WireEvent => ({
      type: 'created',
      id,
      time: 1,
      requestedUrl: 'ws://a/',
      url: 'ws://a/',
      protocols: [],
    });
    const failed: WireEvent = {
      type: 'closed',
      id: 1,
      time: 2,
      code: 1006,
      reason: '',
      wasClean: false,
      initiator: 'unknown',
    };
    const received = (id: number): WireEvent => ({
      type: 'received',
      id,
      time: 3,
      payload: text('late'),
      origin: 'page',
    });
    applyEvents(store, 'd', seq([created(1), created(2), received(2), failed]), 0, 0);
    store.clear();
    applyEvents(store, 'd', seq([received(1), received(2)], 4), 0, 0);
    expect(store.connectionList.map((connection) => connection.id)).toEqual([2]);
    expect(store.frames.map((frame) => frame.connectionKey)).toEqual(['d#2']);
  });

  it('builds connections and frames and applies each event once', () => {
    const store = new SessionStore();
    store.addDocument(doc);
    const events = seq([
      {
        type: 'created',
        id: 1,
        time: 1,
        requestedUrl: 'ws://a/',
        url: 'ws://a/',
        protocols: ['p'],
      },
      { type: 'opened', id: 1, time: 2, protocol: 'p', extensions: '' },
      {
        type: 'sent',
        id: 1,
        time: 3,
        payload: text('hi'),
        readyState: 1,
        bufferedAmount: 7,
        origin: 'page',
      },
      { type: 'received', id: 1, time: 4, payload: text('yo!'), origin: 'page' },
      { type: 'close-requested', id: 1, time: 5, code: 4001, reason: 'bye', byUser: false },
      {
        type: 'closed',
        id: 1,
        time: 6,
        code: 4001,
        reason: 'bye',
        wasClean: true,
        initiator: 'client',
      },
    ]);
    applyEvents(store, 'd', events, 0, 0);
    applyEvents(store, 'd', events, 0, 0);
    const [connection] = store.connectionList;
    expect(store.connectionList).toHaveLength(1);
    expect(connection).toMatchObject({
      state: 'closed',
      protocol: 'p',
      sent: { count: 1, bytes: 2 },
      received: { count: 1, bytes: 3 },
      peakBufferedAmount: 7,
      close: { code: 4001, reason: 'bye', initiator: 'client' },
    });
    expect(store.frames.map((frame) => frame.kind)).toEqual([
      'sent',
      'received',
      'close-requested',
      'closed',
    ]);
    expect(store.cursors()).toEqual({ d: 6 });
  });

  it('marks a connection that closed without opening as failed', () => {
    const store = new SessionStore();
    applyEvents(
      store,
      'd',
      seq([
        { type: 'created', id: 1, time: 1, requestedUrl: 'ws://a/', url: 'ws://a/', protocols: [] },
        { type: 'error', id: 1, time: 2 },
        {
          type: 'closed',
          id: 1,
          time: 3,
          code: 1006,
          reason: '',
          wasClean: false,
          initiator: 'unknown',
        },
      ]),
      0,
      0,
    );
    expect(store.connectionList[0]).toMatchObject({ state: 'failed', errors: 1 });
  });

  it('counts reported and unreported gaps as lost', () => {
    const store = new SessionStore();
    applyEvents(store, 'd', seq([{ type: 'error', id: 1, time: 1 }], 4), 4, 2);
    expect(store.lost).toBe(4);
    expect(store.rejected).toBe(2);
    applyEvents(store, 'd', seq([{ type: 'error', id: 1, time: 1 }], 8), 0, 0);
    expect(store.lost).toBe(7);
  });

  it('forgets a navigated-away document with its held frames, and never brings it back', () => {
    const store = new SessionStore();
    store.addDocument(doc);
    const created: WireEvent = {
      type: 'created',
      id: 1,
      time: 1,
      requestedUrl: 'ws://a/',
      url: 'ws://a/',
      protocols: [],
    };
    const held: WireEvent = {
      type: 'held',
      id: 1,
      time: 2,
      heldId: 1,
      direction: 'outgoing',
      payload: text('waiting'),
    };
    applyEvents(store, 'd', seq([created, held]), 0, 0);
    expect(store.held.size).toBe(1);
    store.addDocument({
      documentId: 'next',
      url: 'http://page.test/next',
      startedAt: 5,
      frameId: 0,
    });
    expect(store.held.size).toBe(0);
    // The old page's relay flushes as it goes away: its late events and a re-announcement.
    applyEvents(store, 'd', seq([{ type: 'error', id: 1, time: 3 }], 2), 0, 0);
    store.addDocument(doc);
    expect([...store.documents.keys()]).toEqual(['next']);
    expect(store.connectionList).toEqual([]);
    expect(store.frames).toEqual([]);
    expect(store.follows('d')).toBe(false);
  });

  it("gives a send's stack to the frame that send recorded, and to no other", () => {
    const store = new SessionStore();
    store.addDocument(doc);
    const stack = 'Error\n    at sendChat (https://page.test/a.js:6:15)';
    const sent = (value: string, origin: 'page' | 'composed' = 'page'): WireEvent => ({
      type: 'sent',
      id: 1,
      time: 2,
      payload: text(value),
      readyState: 1,
      bufferedAmount: 0,
      origin,
    });
    applyEvents(
      store,
      'd',
      seq([
        { type: 'created', id: 1, time: 1, requestedUrl: 'ws://a/', url: 'ws://a/', protocols: [] },
        { type: 'send-stack', id: 1, time: 2, stack },
        sent('first'),
        sent('second'),
        { type: 'send-stack', id: 1, time: 2, stack },
        sent('from the panel', 'composed'),
        sent('third'),
      ]),
    );
    expect(store.frames.map((frame) => frame.sentBy)).toEqual([
      stack,
      undefined,
      undefined,
      undefined,
    ]);
    expect(store.frames).toHaveLength(4);
  });
});
