import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from '../../src/protocol/limits';
import type { RelayToBackground } from '../../src/protocol/port-messages';
import { RelayCore } from '../../src/relay/relay-core';
import { PARSE_LIMITS, parseCaptureEvent } from '../../src/relay/validate-capture-event';

const doc = { documentId: 'doc-1', url: 'http://page.test/', startedAt: 1 };

function relayWith(limits: Partial<Limits> = {}) {
  const sent: RelayToBackground[] = [];
  // Timers run at once here; the coalescing itself has its own test below.
  const relay = new RelayCore(
    doc,
    { ...DEFAULT_LIMITS, ...limits },
    (message) => sent.push(message),
    (callback) => callback(),
  );
  const events = () => sent.flatMap((message) => (message.type === 'events' ? message.events : []));
  return { relay, sent, events };
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
  ])('refuses %s', (_, raw) => {
    expect(parseCaptureEvent(raw, limits)).toBeUndefined();
  });
});

describe('RelayCore', () => {
  it('keeps events while no panel listens and sends them, numbered, on subscribe', () => {
    const { relay, sent, events } = relayWith();
    relay.receiveFromPage({ events: [created(1), sentText(1, 'héllo')] });
    expect(sent).toEqual([]);
    relay.subscribe(0);
    expect(events().map((event) => event.seq)).toEqual([0, 1]);
    expect(events()[1]!.event).toMatchObject({
      payload: { kind: 'text', text: 'héllo', size: 6, originalSize: 6 },
    });
    relay.receiveFromPage({ events: [sentText(1, 'live')] });
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2]);
  });

  it('counts malformed messages and events as rejected and forwards the rest', () => {
    const { relay, sent } = relayWith();
    relay.subscribe(0);
    relay.receiveFromPage('garbage');
    relay.receiveFromPage({ events: [created(1), { type: 'created' }] });
    const rejected = sent.reduce(
      (sum, message) => sum + (message.type === 'events' ? message.rejected : 0),
      0,
    );
    expect(rejected).toBe(2);
  });

  it('reports how many events the backlog dropped before a late subscriber', () => {
    const { relay, sent, events } = relayWith({ backlogEvents: 3 });
    relay.receiveFromPage({
      events: [created(1), sentText(1, 'a'), sentText(1, 'b'), sentText(1, 'c'), sentText(1, 'd')],
    });
    relay.subscribe(0);
    expect(events().map((event) => event.seq)).toEqual([2, 3, 4]);
    expect(sent[0]).toMatchObject({ type: 'events', lost: 2 });
  });

  it('resends from a cursor after a reconnect, without loss', () => {
    const { relay, events } = relayWith();
    relay.subscribe(0);
    relay.receiveFromPage({ events: [created(1), sentText(1, 'a')] });
    relay.unsubscribe();
    relay.receiveFromPage({ events: [sentText(1, 'b')] });
    relay.subscribe(2);
    expect(events().map((event) => event.seq)).toEqual([0, 1, 2]);
  });

  it('splits large forwards into port messages bounded in count and bytes', () => {
    const { relay, sent } = relayWith({ portMessageEvents: 2, portMessageBytes: 10 });
    relay.receiveFromPage({
      events: [
        created(1),
        sentText(1, 'x'.repeat(8)),
        sentText(1, 'y'.repeat(8)),
        sentText(1, 'z'),
      ],
    });
    relay.subscribe(0);
    expect(sent.map((message) => (message.type === 'events' ? message.events.length : -1))).toEqual(
      [2, 2],
    );
  });

  it('coalesces live events into one port message per forward delay', () => {
    const sent: RelayToBackground[] = [];
    const timers: Array<() => void> = [];
    const relay = new RelayCore(
      doc,
      DEFAULT_LIMITS,
      (message) => sent.push(message),
      (callback) => timers.push(callback),
    );
    relay.subscribe(0);
    const before = sent.length;
    relay.receiveFromPage({ events: [created(1)] });
    relay.receiveFromPage({ events: [sentText(1, 'a')] });
    relay.receiveFromPage({ events: [sentText(1, 'b')] });
    expect(sent.length).toBe(before);
    expect(timers).toHaveLength(1);
    timers.shift()!();
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)).toMatchObject({
      type: 'events',
      events: [{ seq: 0 }, { seq: 1 }, { seq: 2 }],
    });
  });

  it('truncates text at the payload cap on a character boundary and records the original size', () => {
    const { relay, events } = relayWith({ payloadCap: 5 });
    relay.receiveFromPage({ events: [created(1), sentText(1, 'ab€€')] });
    relay.subscribe(0);
    expect(events()[1]!.event).toMatchObject({
      payload: { kind: 'text', text: 'ab€', size: 5, originalSize: 8 },
    });
  });

  it('reads Blobs as bytes and keeps the page order behind them', async () => {
    const { relay, events } = relayWith();
    relay.subscribe(0);
    relay.receiveFromPage({
      events: [
        created(1),
        {
          ...sentText(1, ''),
          payload: { kind: 'blob', blob: new Blob([new Uint8Array([1, 2, 3])]) },
        },
      ],
    });
    relay.receiveFromPage({ events: [sentText(1, 'after')] });
    await relay.settled();
    await relay.settled();
    expect(
      events().map((event) => event.event.type === 'sent' && event.event.payload.kind),
    ).toEqual([false, 'binary', 'text']);
    expect(events()[1]!.event).toMatchObject({ payload: { base64: 'AQID', size: 3 } });
  });
});
