import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/capture/event-stream';
import type { CaptureEvent, RelayToHook } from '../../src/protocol/capture-events';
import { RECORD_SKIPPED, RECORD_SLOTS } from '../../src/protocol/event-records';
import {
  DEFAULT_LIMITS,
  HOOK_POST_SOON_EVENTS,
  type Limits,
  PORT_PIECE_CHARS,
} from '../../src/protocol/limits';
import type { SteppedRecords } from '../../src/protocol/microsecond-steps';
import type {
  EventsMessage,
  RelayToBackground,
  RelayToPanel,
} from '../../src/protocol/port-messages';
import { PARSE_LIMITS, parseCaptureEvent } from '../../src/relay/parse-hook-messages';
import { RelayCore } from '../../src/relay/relay-core';
import { messageEvents, relayedEvents } from './record-helpers';

const doc = { documentId: 'doc-1', url: 'http://page.test/', startedAt: 1 };

/**
 * The hook's stream and the relay, wired as in a page: posts are structured-cloned, and the
 * hook's scheduled flushes (one per forward delay) run on `tick()`.
 */
function pipeline(limits: Partial<Limits> = {}, soonEvents = HOOK_POST_SOON_EVENTS) {
  const all = { ...DEFAULT_LIMITS, ...limits };
  const sent: RelayToBackground[] = [];
  const tasks: Array<() => void> = [];
  const soonTasks: Array<() => void> = [];
  const posts: unknown[] = [];
  let relay: RelayCore;
  const stream = new EventStream({
    post: (batch, transfer) => {
      posts.push(batch);
      relay.receiveFromPage(structuredClone(batch, { transfer }));
      return false;
    },
    copyForTransfer: (buffer) => (buffer.byteLength >= 4 ? buffer.slice(0) : undefined),
    schedule: (task) => tasks.push(task),
    scheduleSoon: (task) => soonTasks.push(task),
    soonEvents,
    maxEvents: all.hookBatchEvents,
    maxBytes: all.hookBatchBytes,
    backlogEvents: all.backlogEvents,
    backlogBytes: all.backlogBytes,
    recentlyEnded: 1000,
  });
  const toHook = (message: RelayToHook) => {
    toHookMessages.push(message);
    if (message.type === 'subscribe') stream.subscribe(message.subscription, message.fromSeq);
    else if (message.type === 'unsubscribe') stream.unsubscribe();
  };
  const toHookMessages: RelayToHook[] = [];
  relay = new RelayCore(doc, all, (message) => sent.push(message), toHook);
  const record = (...events: object[]) => {
    for (const event of events) stream.record(event as CaptureEvent, 8);
  };
  const tick = () => {
    for (const task of tasks.splice(0)) task();
  };
  const runSoon = () => {
    for (const task of soonTasks.splice(0)) task();
  };
  const events = () => relayedEvents(sent);
  return { relay, stream, sent, posts, record, tick, runSoon, events, toHookMessages };
}

const created = (id: number) => ({
  type: 'created',
  id,
  time: 1000.5,
  requestedUrl: 'ws://a/',
  url: 'ws://a/',
  protocols: [],
});
const sentText = (id: number, text: string) => ({
  type: 'sent',
  id,
  time: 1001,
  payload: { kind: 'text', text },
  readyState: 1,
  bufferedAmount: 0,
  origin: 'page',
});

describe('parseCaptureEvent', () => {
  const limits = { ...PARSE_LIMITS, maxPayload: 100 };
  it('accepts well-formed events and copies only known fields', () => {
    const parsed = parseCaptureEvent({ ...created(1), extra: 'x' }, limits);
    expect(parsed).toEqual(created(1));
  });
  it.each([
    ['not an object', 'created'],
    ['unknown type', { ...created(1), type: 'bogus' }],
    ['id not a positive integer', { ...created(1), id: -1 }],
    ['time not finite', { ...created(1), time: Number.NaN }],
    ['protocols not strings', { ...created(1), protocols: [1] }],
    ['text too long', sentText(1, 'x'.repeat(101))],
    ['payload of unknown kind', { ...sentText(1, 'x'), payload: { kind: 'html', text: '<b>' } }],
    [
      'bytes not an ArrayBuffer',
      { ...sentText(1, ''), payload: { kind: 'bytes', bytes: [1, 2], originalSize: 2 } },
    ],
    [
      'originalSize below the kept size',
      {
        ...sentText(1, ''),
        payload: { kind: 'bytes', bytes: new ArrayBuffer(4), originalSize: 2 },
      },
    ],
    ['bad readyState', { ...sentText(1, 'x'), readyState: 7 }],
    [
      'bad close initiator',
      { type: 'closed', id: 1, time: 1, code: 1000, reason: '', wasClean: true, initiator: 'me' },
    ],
    ['an empty send stack', { type: 'send-stack', id: 1, time: 1, stack: '' }],
    ['a send stack not text', { type: 'send-stack', id: 1, time: 1, stack: ['at f'] }],
    [
      'a send stack beyond the longest',
      { type: 'send-stack', id: 1, time: 1, stack: 'x'.repeat(PARSE_LIMITS.maxStack + 1) },
    ],
  ])('refuses %s', (_, raw) => {
    expect(parseCaptureEvent(raw, limits)).toBeUndefined();
  });
  it('copies a send stack', () => {
    const stack = 'Error\n    at sendChat (https://page.test/a.js:6:15)';
    expect(parseCaptureEvent({ type: 'send-stack', id: 2, time: 5, stack, x: 1 }, limits)).toEqual({
      type: 'send-stack',
      id: 2,
      time: 5,
      stack,
    });
  });
});

describe('hook stream and relay', () => {
  it('posts nothing while no panel listens, then the log, numbered, on subscribe', () => {
    const { relay, posts, sent, record, tick, events } = pipeline();
    record(created(1), sentText(1, 'héllo'));
    tick();
    expect(posts).toEqual([]);
    expect(sent).toEqual([]);
    relay.subscribe(0);
    expect(events().map((event) => event.seq)).toEqual([0, 1]);
    expect(events()[1]!.event).toMatchObject({
      payload: { kind: 'text', text: 'héllo', size: 6, originalSize: 6 },
    });
    record(sentText(1, 'live'));
    tick();
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2]);
  });

  it('transfers copies of large binary payloads, keeping its own for a later subscriber', () => {
    const { relay, stream, record, events } = pipeline();
    record(created(1));
    for (const size of [2, 6]) {
      const bytes = new Uint8Array(size).fill(size).buffer;
      stream.frame(
        'received',
        1,
        5,
        { kind: 'bytes', bytes, originalSize: size },
        size,
        0,
        0,
        'page',
      );
    }
    relay.subscribe(0);
    relay.subscribe(0);
    const base64 = events().map(({ event }) => event.type === 'received' && event.payload);
    expect(base64).toEqual([
      false,
      expect.objectContaining({ base64: 'AgI=' }),
      expect.objectContaining({ base64: 'BgYGBgYG' }),
      false,
      expect.objectContaining({ base64: 'AgI=' }),
      expect.objectContaining({ base64: 'BgYGBgYG' }),
    ]);
  });

  it('posts busy traffic right after the page task, not inside it, nor after the delay', () => {
    const { relay, posts, record, runSoon, events } = pipeline({}, 3);
    relay.subscribe(0);
    const before = posts.length;
    record(created(1), sentText(1, 'a'), sentText(1, 'b'), sentText(1, 'c'));
    expect(posts.length).toBe(before);
    runSoon();
    expect(posts.length).toBe(before + 1);
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2, 3]);
  });

  it('posts once per forward delay however many events it recorded', () => {
    const { relay, posts, record, tick } = pipeline();
    relay.subscribe(0);
    const before = posts.length;
    for (let i = 0; i < 500; i++) record(sentText(1, `${i}`));
    expect(posts.length).toBe(before);
    tick();
    expect(posts.length).toBe(before + 1);
  });

  it('counts malformed messages and events as rejected and forwards the rest', () => {
    const { relay, sent } = pipeline();
    relay.subscribe(0);
    relay.receiveFromPage('garbage');
    relay.receiveFromPage({
      subscription: 1,
      firstSeq: 0,
      lost: 0,
      records: [0, 0, 0, created(1), 0, 0, 0, 0, 0, { type: 'created' }, 0, 0],
    });
    const rejected = sent.reduce(
      (sum, message) => sum + (message.type === 'events' ? message.rejected : 0),
      0,
    );
    expect(rejected).toBe(2);
  });

  it('packs the records where the ports clone, steps frame times where they carry JSON', () => {
    const batch = [0, 0, 0, created(1), 0, 0, 1, 1, 1001, 'hi', 1, 0, 2, 1, 1002, 'ho', 0, 0];
    const forwarded = [false, true].map((portsClone) => {
      const { relay, sent } = pipeline();
      relay.portsClone = portsClone;
      relay.subscribe(0);
      relay.receiveFromPage({ subscription: 1, firstSeq: 0, lost: 0, records: [...batch] });
      // The last: subscribing sends an empty one first.
      return sent.filter((message): message is EventsMessage => message.type === 'events').pop()!;
    });
    expect(forwarded[0]!.records).toMatchObject({
      steppedTimes: [0, 0, 0, created(1), 0, 0, 1, 1, 1001000, 'hi', 1, 0, 2, 1, 1000, 'ho', 0, 0],
    });
    expect(forwarded[1]!.records).toMatchObject({
      numbers: expect.any(Float64Array),
      texts: 'hiho',
    });
    expect(messageEvents(forwarded[1]!)).toEqual(messageEvents(forwarded[0]!));
    expect(messageEvents(forwarded[0]!).map(({ event }) => event.type)).toEqual([
      'created',
      'sent',
      'received',
    ]);
  });

  it('reads each slot of a batch once, so a getter answering differently cannot slip past checks', () => {
    const { relay, events } = pipeline();
    relay.subscribe(0);
    const records: unknown[] = [1, 1, 1001, 'hello', 1, 0];
    let reads = 0;
    Object.defineProperty(records, 1, {
      get: () => (reads++ === 0 ? 1 : { not: 'an id' }),
    });
    relay.receiveFromPage({ subscription: 1, firstSeq: 0, lost: 0, records });
    expect(events().map(({ event }) => [event.type, event.id])).toEqual([['sent', 1]]);
    expect(reads).toBe(1);
  });

  it('refuses, in their places, the events of a batch whose records throw when read', () => {
    const { relay, sent } = pipeline();
    relay.subscribe(0);
    const records: unknown[] = [0, 0, 0, created(1), 0, 0, 1, 1, 1001, 'hi', 1, 0];
    Object.defineProperty(records, 9, {
      get: () => {
        throw new Error('hostile');
      },
    });
    relay.receiveFromPage({ subscription: 1, firstSeq: 0, lost: 0, records });
    const messages = sent.filter(
      (message): message is EventsMessage =>
        message.type === 'events' && (message.records as SteppedRecords).steppedTimes.length > 0,
    );
    expect(messages.map(({ firstSeq, rejected }) => [firstSeq, rejected])).toEqual([[0, 2]]);
    const forwarded = (messages[0]!.records as SteppedRecords).steppedTimes;
    const kinds = forwarded.filter((_, at) => at % RECORD_SLOTS === 0);
    expect(kinds).toEqual([RECORD_SKIPPED, RECORD_SKIPPED]);
  });

  it('ignores posts of an earlier subscription', () => {
    const { relay, events } = pipeline();
    relay.subscribe(0);
    relay.subscribe(0);
    relay.receiveFromPage({
      subscription: 1,
      firstSeq: 0,
      lost: 0,
      records: [0, 0, 0, created(9), 0, 0],
    });
    expect(events()).toEqual([]);
  });

  it('reports how many events the log dropped before a late subscriber', () => {
    const { relay, sent, record, events } = pipeline({ backlogEvents: 3 });
    record(created(1), sentText(1, 'a'), sentText(1, 'b'), sentText(1, 'c'), sentText(1, 'd'));
    relay.subscribe(0);
    expect(events().map((event) => event.seq)).toEqual([2, 3, 4]);
    expect(sent[0]).toMatchObject({ type: 'events', lost: 2 });
  });

  it('bounds the log by payload bytes too', () => {
    const { stream, record } = pipeline({ backlogBytes: 20 });
    record(created(1), sentText(1, 'a'), sentText(1, 'b'), sentText(1, 'c'));
    expect(stream.log.size).toBe(2);
    expect(stream.log.byteSize).toBe(16);
  });

  it('resends from a cursor after a reconnect, without loss or repeats', () => {
    const { relay, record, tick, events } = pipeline();
    relay.subscribe(0);
    record(created(1), sentText(1, 'a'));
    tick();
    relay.unsubscribe();
    record(sentText(1, 'b'));
    tick();
    relay.subscribe(2);
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2]);
  });

  it('splits large forwards into port messages bounded in count and bytes', () => {
    const { relay, sent, record } = pipeline({ portMessageEvents: 2, portMessageBytes: 10 });
    record(created(1), sentText(1, 'x'.repeat(8)), sentText(1, 'y'.repeat(8)), sentText(1, 'z'));
    relay.subscribe(0);
    expect(
      sent.map((message) => (message.type === 'events' ? messageEvents(message).length : -1)),
    ).toEqual([2, 2]);
  });

  it('splits a long log into hook posts bounded in count', () => {
    const { relay, posts, record, events } = pipeline({ hookBatchEvents: 2 });
    record(created(1), sentText(1, 'a'), sentText(1, 'b'), sentText(1, 'c'), sentText(1, 'd'));
    relay.subscribe(1);
    expect(posts).toHaveLength(2);
    expect(events().map((event) => event.seq)).toEqual([1, 2, 3, 4]);
  });

  it('forwards one port message per hook post, whatever the events in it', () => {
    const { relay, sent, record, tick } = pipeline();
    relay.subscribe(0);
    const before = sent.length;
    record(created(1));
    record(sentText(1, 'a'));
    record(sentText(1, 'b'));
    expect(sent.length).toBe(before);
    tick();
    expect(sent.length).toBe(before + 1);
    const last = sent.at(-1)!;
    expect(last.type === 'events' && messageEvents(last).map((event) => event.seq)).toEqual([
      0, 1, 2,
    ]);
  });

  it('truncates text at the payload cap on a character boundary and records the original size', () => {
    const { relay, record, events } = pipeline({ payloadCap: 5 });
    record(created(1), sentText(1, 'ab€€'));
    relay.subscribe(0);
    expect(events()[1]!.event).toMatchObject({
      payload: { kind: 'text', text: 'ab€', size: 5, originalSize: 8 },
    });
  });

  it('reads Blobs as bytes and keeps the page order behind them', async () => {
    const { relay, record, tick, events } = pipeline();
    relay.subscribe(0);
    record(created(1), {
      ...sentText(1, ''),
      payload: { kind: 'blob', blob: new Blob([new Uint8Array([1, 2, 3])]) },
    });
    tick();
    record(sentText(1, 'after'));
    tick();
    await relay.settled();
    await relay.settled();
    expect(
      events().map((event) => event.event.type === 'sent' && event.event.payload.kind),
    ).toEqual([false, 'binary', 'text']);
    expect(events()[1]!.event).toMatchObject({ payload: { base64: 'AQID', size: 3 } });
  });
});

describe('acknowledgements', () => {
  it('tell the hook how far the relay has read each subscription, when asked for', () => {
    const { relay, record, tick, toHookMessages } = pipeline();
    relay.acknowledgeBatches = true;
    record(created(1));
    relay.subscribe(0);
    record(sentText(1, 'a'), sentText(1, 'b'));
    tick();
    expect(toHookMessages.filter((message) => message.type === 'received')).toEqual([
      { type: 'received', subscription: 1, endSeq: 1 },
      { type: 'received', subscription: 1, endSeq: 3 },
    ]);
  });
});

describe('a Blob that cannot be read', () => {
  it('costs only its own record: later batches and command results still arrive, in order', async () => {
    const { relay, record, tick, sent, events } = pipeline();
    relay.subscribe(0);
    // A Blob's read can fail (a file-backed Blob whose file changed, say). The relay reads with
    // the browser's own Blob methods, whatever Blob.prototype holds: an object that only looks
    // like a Blob makes them fail.
    const unreadable = Object.create(Blob.prototype) as Blob;
    record(created(1), { ...sentText(1, ''), payload: { kind: 'blob', blob: unreadable } });
    tick();
    record(sentText(1, 'after'));
    tick();
    relay.receiveFromPage({ result: { commandId: 7, ok: true } });
    await relay.settled();
    await relay.settled();
    expect(events().map((event) => event.seq)).toEqual([0, 2]);
    expect(events()[1]!.event).toMatchObject({ payload: { text: 'after' } });
    const rejected = sent.reduce(
      (total, message) => total + (message.type === 'events' ? message.rejected : 0),
      0,
    );
    expect(rejected).toBe(1);
    expect(sent.at(-1)).toEqual({ type: 'command-result', result: { commandId: 7, ok: true } });
  });
});

describe('data ports', () => {
  const seqs = (messages: Array<RelayToPanel | RelayToBackground>) =>
    messages.flatMap((message) =>
      message.type === 'events' ? messageEvents(message).map((event) => event.seq) : [],
    );

  it('waits for the panel to take its data port, then sends everything there', () => {
    const { relay, sent, record, tick } = pipeline();
    record(created(1), sentText(1, 'a'));
    relay.subscribe(0, true);
    expect(sent).toEqual([]);
    const direct: RelayToPanel[] = [];
    relay.dataPortAccepted((message) => direct.push(message), 0);
    record(sentText(1, 'b'));
    tick();
    expect(seqs(direct)).toEqual([0, 1, 2]);
    expect(sent).toEqual([]);
  });

  it('goes through the background when no data port comes', () => {
    const { relay, sent, record } = pipeline();
    record(created(1));
    relay.subscribe(0, true);
    relay.stopWaiting();
    expect(seqs(sent)).toEqual([0]);
  });

  it('resends from the panel cursor when a port comes late, so nothing in flight is missed', () => {
    const { relay, sent, record, tick } = pipeline();
    relay.subscribe(0);
    record(created(1), sentText(1, 'a'), sentText(1, 'b'));
    tick();
    expect(seqs(sent)).toEqual([0, 1, 2]);
    const direct: RelayToPanel[] = [];
    relay.dataPortAccepted((message) => direct.push(message), 1);
    record(sentText(1, 'c'));
    tick();
    expect(seqs(direct)).toEqual([1, 2, 3]);
    expect(seqs(sent)).toEqual([0, 1, 2]);
  });

  it('sends long payloads in pieces just before their events, on either path', () => {
    const { relay, sent, stream, record, tick } = pipeline();
    const text = `${'😀'.repeat(PORT_PIECE_CHARS)}end`;
    const bytes = new Uint8Array(PORT_PIECE_CHARS).map((_, at) => at % 251);
    relay.subscribe(0);
    record(created(1));
    stream.frame('sent', 1, 5, text, text.length * 2, 1, 0, 'page');
    stream.frame('sent', 1, 5, 'short', 10, 1, 0, 'page');
    const originalSize = bytes.byteLength;
    const binary = { kind: 'bytes' as const, bytes: bytes.buffer, originalSize };
    stream.frame('received', 1, 5, binary, originalSize, 0, 0, 'page');
    tick();
    const direct: RelayToPanel[] = [];
    relay.dataPortAccepted((message) => direct.push(message), 0);
    tick();
    for (const messages of [sent, direct]) {
      const pieces = messages.filter((message) => message.type === 'payload-piece');
      // 2 × PORT_PIECE_CHARS + 3 characters of text, 4/3 × PORT_PIECE_CHARS of base64.
      expect(pieces.map((piece) => piece.index)).toEqual([0, 1, 2, 3, 4]);
      expect(messages.at(-1)!.type).toBe('events');
      const payloads = relayedEvents(messages).map(
        ({ event }) => 'payload' in event && event.payload,
      );
      expect(payloads).toEqual([
        false,
        expect.objectContaining({ kind: 'text', text }),
        expect.objectContaining({ kind: 'text', text: 'short' }),
        expect.objectContaining({ kind: 'binary', base64: Buffer.from(bytes).toString('base64') }),
      ]);
    }
  });

  it('sends to every open data port, and command results with their document', () => {
    const { relay, record } = pipeline();
    const first: RelayToPanel[] = [];
    const second: RelayToPanel[] = [];
    const toFirst = (message: RelayToPanel) => first.push(message);
    relay.subscribe(0, true);
    relay.dataPortAccepted(toFirst, 0);
    relay.dataPortAccepted((message) => second.push(message), 0);
    relay.dataPortClosed(toFirst);
    record(created(1));
    relay.receiveFromPage({ result: { commandId: 4, ok: true } });
    return relay.settled().then(() => {
      expect(first.filter((message) => message.type === 'command-result')).toEqual([]);
      expect(second.at(-1)).toEqual({
        type: 'command-result',
        documentId: doc.documentId,
        result: { commandId: 4, ok: true },
      });
    });
  });
});
