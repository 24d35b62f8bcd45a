import type { SequencedEvent, WireEvent } from '../../src/protocol/relay-events';
import type { WirePayload } from '../../src/protocol/wire-payload';
import type { BinaryPayload } from '../../src/session/session-model';

type WireOf<T extends WireEvent['type']> = Extract<WireEvent, { type: T }>;

/** A text payload: the same on the wire and in the session model. */
export const text = (value: string): Extract<WirePayload, { kind: 'text' }> => ({
  kind: 'text',
  text: value,
  size: Buffer.byteLength(value),
  originalSize: Buffer.byteLength(value),
});

export const binary = (bytes: number[]): WirePayload => ({
  kind: 'binary',
  base64: Buffer.from(bytes).toString('base64'),
  size: bytes.length,
  originalSize: bytes.length,
});

/** A binary payload as the session model keeps it, for frames made without the wire. */
export const modelBinary = (bytes: number[]): BinaryPayload => ({
  kind: 'binary',
  bytes: Uint8Array.from(bytes),
  size: bytes.length,
  originalSize: bytes.length,
});

export const sequence = (events: WireEvent[], from = 0): SequencedEvent[] =>
  events.map((event, i) => ({ seq: from + i, event }));

export const created = (id: number, url = `ws://a/${id}`): WireOf<'created'> => ({
  type: 'created',
  id,
  time: 1000 + id,
  requestedUrl: url,
  url,
  protocols: [],
});

export const sent = (id: number, payload: WirePayload, time = 2000): WireOf<'sent'> => ({
  type: 'sent',
  id,
  time,
  payload,
  readyState: 1,
  bufferedAmount: 0,
  origin: 'page',
});

export const received = (id: number, payload: WirePayload, time = 2000): WireOf<'received'> => ({
  type: 'received',
  id,
  time,
  payload,
  origin: 'page',
});

export const closed = (id: number, code = 1000, reason = ''): WireOf<'closed'> => ({
  type: 'closed',
  id,
  time: 3000,
  code,
  reason,
  wasClean: true,
  initiator: 'server',
});
