import type { FrameOrigin, ReadyState } from '../protocol/capture-events';
import {
  flagsOrigin,
  flagsReadyState,
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  RECORD_SLOTS,
  SLOT_BUFFERED,
  SLOT_FLAGS,
  SLOT_ID,
  SLOT_KIND,
  SLOT_TIME,
  SLOT_VALUE,
  WIRE_BINARY,
  WIRE_PIECES,
  WIRE_TEXT,
} from '../protocol/event-records';
import { toMicrosecond, unstepFrameTimes } from '../protocol/microsecond-steps';
import { unpackRecords } from '../protocol/packed-records';
import type { SequencedEvent, WireEvent } from '../protocol/relay-events';
import type { WirePayload } from '../protocol/wire-payload';
import { base64Of, binaryPayload } from './frame-payload';
import type { FramePayload } from './session-model';
import { utf8ByteLength } from './utf8';

/** Slots of a payload that is not a whole text: [kind, data, size, originalSize] (RecordPayload). */
const PAYLOAD_SLOTS = 4;
/** Slots of a pieced payload: [WIRE_PIECES, number of pieces, emptied payload] (PiecedPayload). */
const PIECED_SLOTS = 3;

export interface DecodedRecords {
  events: SequencedEvent[];
  /** The sequence number after the last record (skipped records count too). */
  endSeq: number;
  /** Records (or a whole message) that did not decode. */
  malformed: number;
}

/**
 * Where {@link readRecords} puts what it reads: frames field by field, their payloads in the
 * model's form, so that the panel builds its one object per frame and nothing in between; any
 * other event whole, as the relay sent it.
 */
export interface RecordSink {
  sent(
    seq: number,
    id: number,
    time: number,
    payload: FramePayload,
    origin: FrameOrigin,
    readyState: ReadyState,
    bufferedAmount: number,
  ): void;
  received(seq: number, id: number, time: number, payload: FramePayload, origin: FrameOrigin): void;
  event(seq: number, event: WireEvent): void;
}

/**
 * Reads records (event-records.ts: flat, as the hook writes them; with frame times stepped, as
 * JSON ports carry them: microsecond-steps.ts; or packed, as ports that clone carry them:
 * packed-records.ts) into a sink, every time to the microsecond. The relay wrote them, but
 * nothing malformed may break the panel: a record that does not decode is counted and skipped,
 * and records that are not whole records are one malformed record.
 */
export function readRecords(
  firstSeq: number,
  records: unknown,
  pieces: readonly string[],
  sink: RecordSink,
): { endSeq: number; malformed: number } {
  const flat = Array.isArray(records)
    ? records
    : (unstepFrameTimes(records) ?? unpackRecords(records));
  if (!flat || flat.length % RECORD_SLOTS !== 0) return { endSeq: firstSeq, malformed: 1 };
  const pieceReader = new PieceReader(pieces);
  let malformed = 0;
  let seq = firstSeq;
  for (let at = 0; at < flat.length; at += RECORD_SLOTS, seq++) {
    const kind = flat[at + SLOT_KIND];
    if (kind === RECORD_SKIPPED) continue;
    if (kind === RECORD_EVENT) {
      const event = asEvent(flat[at + SLOT_VALUE]);
      if (event) {
        event.time = toMicrosecond(event.time);
        sink.event(seq, event);
      } else malformed++;
    } else if (!readFrame(flat, at, pieceReader, seq, sink)) malformed++;
  }
  // Pieces no record took: something went wrong on the way (the records may still be whole).
  if (pieceReader.left > 0) malformed++;
  return { endSeq: seq, malformed };
}

/**
 * {@link readRecords} into the relay's sequenced wire events, binary as base64 as the wire type
 * has it whichever way it travelled: what tests of the relay compare, and can turn back into
 * records. The session store reads records straight into its model instead.
 */
export function decodeRecords(
  firstSeq: number,
  records: unknown,
  pieces: readonly string[] = [],
): DecodedRecords {
  const events: SequencedEvent[] = [];
  const { endSeq, malformed } = readRecords(firstSeq, records, pieces, {
    sent: (seq, id, time, payload, origin, readyState, bufferedAmount) =>
      events.push({
        seq,
        event: {
          type: 'sent',
          id,
          time,
          payload: wirePayloadOf(payload),
          readyState,
          bufferedAmount,
          origin,
        },
      }),
    received: (seq, id, time, payload, origin) =>
      events.push({
        seq,
        event: { type: 'received', id, time, payload: wirePayloadOf(payload), origin },
      }),
    event: (seq, event) => events.push({ seq, event }),
  });
  return { events, endSeq, malformed };
}

/** Hands out the pieces of long payloads (payload-piece messages) in order. */
class PieceReader {
  private next = 0;
  constructor(private readonly pieces: readonly string[]) {}

  get left(): number {
    return this.pieces.length - this.next;
  }

  /** The next `count` pieces joined, or undefined if fewer are left. */
  take(count: unknown): string | undefined {
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) return;
    if (count > this.left) return;
    // Concatenation links the pieces; the engine copies them into one string once, when a view
    // first reads the payload (its row's preview), not here on the receiving path.
    let data = '';
    for (const end = this.next + count; this.next < end; this.next++)
      data += this.pieces[this.next];
    return data;
  }
}

/** Reads the frame record at `at` into the sink; false if it is malformed. */
function readFrame(
  records: unknown[],
  at: number,
  pieces: PieceReader,
  seq: number,
  sink: RecordSink,
): boolean {
  const kind = records[at + SLOT_KIND];
  const id = records[at + SLOT_ID];
  const recordedTime = records[at + SLOT_TIME];
  const flags = records[at + SLOT_FLAGS];
  const bufferedAmount = records[at + SLOT_BUFFERED];
  const payload = asPayload(withPieces(records[at + SLOT_VALUE], pieces));
  if (typeof id !== 'number' || typeof recordedTime !== 'number' || typeof flags !== 'number')
    return false;
  const time = toMicrosecond(recordedTime);
  const origin = flagsOrigin(flags);
  if (!payload || !origin) return false;
  if (kind === RECORD_RECEIVED) {
    sink.received(seq, id, time, payload, origin);
    return true;
  }
  if (kind !== RECORD_SENT || typeof bufferedAmount !== 'number') return false;
  sink.sent(seq, id, time, payload, origin, flagsReadyState(flags), bufferedAmount);
  return true;
}

/** A WIRE_PIECES value with its pieces put back in (anything else as it is). */
function withPieces(value: unknown, pieces: PieceReader): unknown {
  if (!Array.isArray(value) || value.length !== PIECED_SLOTS || value[0] !== WIRE_PIECES)
    return value;
  const [, count, emptied] = value as unknown[];
  const data = pieces.take(count);
  if (data === undefined) return;
  if (emptied === '') return data;
  if (!Array.isArray(emptied) || emptied.length !== PAYLOAD_SLOTS || emptied[1] !== '') return;
  return [emptied[0], data, emptied[2], emptied[3]];
}

function wirePayloadOf(payload: FramePayload): WirePayload {
  if (payload.kind === 'text') return payload;
  const { size, originalSize } = payload;
  return { kind: 'binary', base64: base64Of(payload), size, originalSize };
}

function asPayload(value: unknown): FramePayload | undefined {
  if (typeof value === 'string') {
    const size = utf8ByteLength(value);
    return { kind: 'text', text: value, size, originalSize: size };
  }
  if (!Array.isArray(value) || value.length !== PAYLOAD_SLOTS) return;
  const [kind, data, size, originalSize] = value as unknown[];
  if (typeof size !== 'number' || typeof originalSize !== 'number') return;
  if (kind === WIRE_BINARY && (typeof data === 'string' || data instanceof ArrayBuffer))
    return binaryPayload(data, size, originalSize);
  if (kind === WIRE_TEXT && typeof data === 'string')
    return { kind: 'text', text: data, size, originalSize };
  return;
}

function asEvent(value: unknown): WireEvent | undefined {
  if (typeof value !== 'object' || value === null) return;
  const { type, id, time } = value as Record<string, unknown>;
  if (typeof type !== 'string' || typeof id !== 'number' || typeof time !== 'number') return;
  return value as WireEvent;
}
