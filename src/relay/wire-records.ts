import type { CaptureEvent, PagePayload } from '../protocol/capture-events';
import {
  flagsOrigin,
  RECORD_EVENT,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SKIPPED,
  RECORD_SLOTS,
  type RecordPayload,
  SLOT_BUFFERED,
  SLOT_FLAGS,
  SLOT_ID,
  SLOT_KIND,
  SLOT_TIME,
  SLOT_VALUE,
  WIRE_BINARY,
  WIRE_TEXT,
} from '../protocol/event-records';
import type { WireEvent } from '../protocol/relay-events';
import type { WirePayload } from '../protocol/wire-payload';
import {
  blobSize,
  copyBytes,
  encodePayload,
  encodePayloadSync,
  MAX_UTF8_BYTES_PER_UNIT,
  readBlob,
} from './encode-payload';
import {
  isConnectionId,
  isCount,
  isTime,
  type ParseLimits,
  parseCaptureEvent,
  parsePayload,
} from './parse-hook-messages';

/** A Blob payload the relay still has to read; its record's value slot waits for it. */
interface PendingBlob {
  at: number;
  payload: Extract<PagePayload, { kind: 'blob' }>;
  /** The event it belongs to, when it is not a frame's (a held frame). */
  event?: CaptureEvent;
}

/** A hook batch's records, checked and encoded for the extension's ports. */
export interface WireRecords {
  /** Flat records (event-records.ts); values are {@link RecordPayload}s and {@link WireEvent}s. */
  records: unknown[];
  /** Payload bytes per event, to bound port messages. */
  sizes: number[];
  rejected: number;
  blobs: PendingBlob[];
}

/**
 * Checks every record the page's world posted (nothing in it is trusted) and encodes payloads:
 * whole texts stay strings, a frame's binary becomes a copy of its bytes (`binaryAsBytes`, for
 * ports that carry structured clones) or base64, all cut at `payloadCap`. A refused record
 * keeps its place as RECORD_SKIPPED, so sequence numbers stay implicit. Blobs are read later
 * ({@link readBlobs}).
 */
export function toWireRecords(
  raw: unknown[],
  payloadCap: number,
  limits: ParseLimits,
  binaryAsBytes = false,
): WireRecords {
  const records: unknown[] = new Array(raw.length);
  const sizes: number[] = [];
  const blobs: PendingBlob[] = [];
  let rejected = 0;
  for (let at = 0; at < records.length; at += RECORD_SLOTS) {
    // Each slot is read once: in Firefox the relay reads the page's own array, which a hostile
    // page could have reached and fitted with getters that answer differently each time.
    const kind = raw[at + SLOT_KIND];
    const value = raw[at + SLOT_VALUE];
    let size = REFUSED;
    if (kind === RECORD_EVENT) {
      size = putEvent(records, at, value, blobs, payloadCap, limits);
      if (size !== REFUSED) putFields(records, at, RECORD_EVENT, 0, 0, 0, 0);
    } else if (kind === RECORD_SENT || kind === RECORD_RECEIVED) {
      const id = raw[at + SLOT_ID];
      const time = raw[at + SLOT_TIME];
      const flags = raw[at + SLOT_FLAGS];
      const buffered = raw[at + SLOT_BUFFERED];
      if (isFrameFields(id, time, flags, buffered)) {
        size = putFramePayload(records, at, value, blobs, payloadCap, limits, binaryAsBytes);
        if (size !== REFUSED) putFields(records, at, kind, id, time, flags, buffered);
      }
    }
    if (size === REFUSED) {
      rejected++;
      size = 0;
      putRefused(records, at);
    }
    sizes.push(size);
  }
  return { records, sizes, rejected, blobs };
}

/** `count` records, all refused (for a batch that could not be read at all). */
export function refusedRecords(count: number): WireRecords {
  const records: unknown[] = new Array(count * RECORD_SLOTS);
  const sizes: number[] = [];
  for (let at = 0; at < records.length; at += RECORD_SLOTS) {
    putRefused(records, at);
    sizes.push(0);
  }
  return { records, sizes, rejected: count, blobs: [] };
}

function putRefused(records: unknown[], at: number): void {
  putFields(records, at, RECORD_SKIPPED, 0, 0, 0, 0);
  records[at + SLOT_VALUE] = null;
}

/** What the put functions return for a record they refuse (else the payload's wire size). */
const REFUSED = -1;

/** Writes a record's slots but its value. */
function putFields(
  records: unknown[],
  at: number,
  kind: unknown,
  id: unknown,
  time: unknown,
  flags: unknown,
  buffered: unknown,
): void {
  records[at + SLOT_KIND] = kind;
  records[at + SLOT_ID] = id;
  records[at + SLOT_TIME] = time;
  records[at + SLOT_FLAGS] = flags;
  records[at + SLOT_BUFFERED] = buffered;
}

/** Writes a frame's payload, encoded (a Blob is read later: its slot waits as null). */
function putFramePayload(
  records: unknown[],
  at: number,
  value: unknown,
  blobs: PendingBlob[],
  payloadCap: number,
  limits: ParseLimits,
  binaryAsBytes: boolean,
): number {
  if (typeof value === 'string') {
    if (value.length > limits.maxPayload) return REFUSED;
    records[at + SLOT_VALUE] = encodeText(value, payloadCap);
    return value.length;
  }
  const payload = parsePayload(value, limits);
  if (!payload) return REFUSED;
  if (payload.kind === 'blob') {
    blobs.push({ at, payload });
    records[at + SLOT_VALUE] = null;
    return 0;
  }
  const asRecord =
    binaryAsBytes && payload.kind === 'bytes'
      ? bytesRecord(new Uint8Array(payload.bytes), payload.originalSize, payloadCap)
      : toRecordPayload(encodePayloadSync(payload, payloadCap));
  records[at + SLOT_VALUE] = asRecord;
  return wireSize(asRecord);
}

function bytesRecord(bytes: Uint8Array, originalSize: number, payloadCap: number): RecordPayload {
  const data = copyBytes(bytes, payloadCap);
  return [WIRE_BINARY, data, data.byteLength, originalSize];
}

/** Writes any other event, checked and with its payload encoded. */
function putEvent(
  records: unknown[],
  at: number,
  value: unknown,
  blobs: PendingBlob[],
  payloadCap: number,
  limits: ParseLimits,
): number {
  const event = parseCaptureEvent(value, limits);
  if (!event) return REFUSED;
  if ('payload' in event && event.payload.kind === 'blob') {
    blobs.push({ at, payload: event.payload, event });
    records[at + SLOT_VALUE] = null;
    return 0;
  }
  const wireEvent = encodeEvent(event, payloadCap);
  records[at + SLOT_VALUE] = wireEvent;
  return 'payload' in wireEvent ? wireSize(toRecordPayload(wireEvent.payload)) : 0;
}

/**
 * Reads the Blobs a batch holds into its records (binary, cut at the payload cap; a frame's as
 * bytes with `binaryAsBytes`, as {@link toWireRecords}). A Blob that cannot be read (the page
 * can make one whose read fails) costs only its own record, refused in place; returns how many.
 */
export async function readBlobs(
  wire: WireRecords,
  payloadCap: number,
  binaryAsBytes = false,
): Promise<number> {
  const outcomes = await Promise.all(
    wire.blobs.map(async ({ at, payload, event }) => {
      let asRecord: RecordPayload;
      try {
        if (event) {
          const encoded = await encodePayload(payload, payloadCap);
          asRecord = toRecordPayload(encoded);
          wire.records[at + SLOT_VALUE] = { ...event, payload: encoded };
        } else {
          asRecord = binaryAsBytes
            ? bytesRecord(
                await readBlob(payload.blob, payloadCap),
                blobSize(payload.blob),
                payloadCap,
              )
            : toRecordPayload(await encodePayload(payload, payloadCap));
          wire.records[at + SLOT_VALUE] = asRecord;
        }
      } catch {
        putRefused(wire.records, at);
        wire.sizes[at / RECORD_SLOTS] = 0;
        return 1;
      }
      wire.sizes[at / RECORD_SLOTS] = wireSize(asRecord);
      return 0;
    }),
  );
  wire.blobs = [];
  let failed = 0;
  for (const outcome of outcomes) failed += outcome;
  wire.rejected += failed;
  return failed;
}

/** A whole text stays the string itself; a text longer than the cap is cut (and marked so). */
function encodeText(text: string, payloadCap: number): RecordPayload {
  // Short texts skip the exact count (see MAX_UTF8_BYTES_PER_UNIT).
  if (text.length * MAX_UTF8_BYTES_PER_UNIT <= payloadCap) return text;
  return toRecordPayload(encodePayloadSync({ kind: 'text', text }, payloadCap));
}

function encodeEvent(event: CaptureEvent, payloadCap: number): WireEvent {
  if (!('payload' in event)) return event;
  const payload = encodePayloadSync(
    event.payload as Exclude<PagePayload, { kind: 'blob' }>,
    payloadCap,
  );
  return { ...event, payload };
}

export function toRecordPayload(payload: WirePayload): RecordPayload {
  if (payload.kind === 'binary') {
    return [WIRE_BINARY, payload.base64, payload.size, payload.originalSize];
  }
  if (payload.size === payload.originalSize) return payload.text;
  return [WIRE_TEXT, payload.text, payload.size, payload.originalSize];
}

function wireSize(payload: RecordPayload): number {
  if (typeof payload === 'string') return payload.length;
  const data = payload[1];
  return typeof data === 'string' ? data.length : data.byteLength;
}

/**
 * Flags values fit in a byte (see frameFlags): a larger one is malformed, and one past 2^31 would
 * wrap in the shift that reads its origin and pass as a known one.
 */
const MAX_FRAME_FLAGS = 0xff;

function isFrameFields(id: unknown, time: unknown, flags: unknown, buffered: unknown): boolean {
  return (
    isConnectionId(id) &&
    isTime(time) &&
    isCount(flags) &&
    flags <= MAX_FRAME_FLAGS &&
    flagsOrigin(flags) !== undefined &&
    isCount(buffered)
  );
}
