import { FRAME_ORIGINS, type FrameOrigin, type ReadyState } from './capture-events';

/**
 * Events travel from the hook to the panel as one flat array per batch, RECORD_SLOTS slots per
 * event, not as one object per event: cloning, serializing and parsing a flat array of numbers
 * and strings costs each hop a fraction of what an object graph does, and the page's thread and
 * the service worker carry every frame the page sends or receives.
 *
 * Slots: [kind, connection id, time, value, flags, bufferedAmount]. A frame (RECORD_SENT or
 * RECORD_RECEIVED) keeps its fields in the slots and its payload in `value`; any other event
 * (RECORD_EVENT) is the whole event object in `value`, the other slots 0. RECORD_SKIPPED holds a
 * place in the sequence for an event the relay refused. Sequence numbers are implicit: a batch
 * says where it starts.
 */
export const RECORD_SLOTS = 6;

export const RECORD_EVENT = 0;
export const RECORD_SENT = 1;
export const RECORD_RECEIVED = 2;
export const RECORD_SKIPPED = 3;

export const SLOT_KIND = 0;
export const SLOT_ID = 1;
export const SLOT_TIME = 2;
export const SLOT_VALUE = 3;
export const SLOT_FLAGS = 4;
export const SLOT_BUFFERED = 5;

/** A frame's origin's code in the flags slot is its index in FRAME_ORIGINS. */
export { FRAME_ORIGINS };

/** The flags slot: readyState at send() in the low 2 bits, the origin's code above them. */
export function frameFlags(readyState: number, originCode: number): number {
  return readyState | (originCode << 2);
}

export function flagsReadyState(flags: number): ReadyState {
  return (flags & 3) as ReadyState;
}

/** The origin a flags value names, or undefined for a code no origin has. */
export function flagsOrigin(flags: number): FrameOrigin | undefined {
  return FRAME_ORIGINS[flags >> 2];
}

export const WIRE_TEXT = 0;
export const WIRE_BINARY = 1;

/**
 * A frame's payload on the wire: a whole text is the string itself (the panel counts its bytes);
 * a cut text or any binary is [WIRE_TEXT or WIRE_BINARY, text or binary data, size, originalSize].
 * Binary data is the bytes themselves where the extension's ports carry structured clones
 * (Firefox: see SubscribeMessage), else base64.
 */
export type RecordPayload =
  | string
  | [typeof WIRE_TEXT, string, number, number]
  | [typeof WIRE_BINARY, string | ArrayBuffer, number, number];

/**
 * On the extension's ports only: a payload whose text or base64 is longer than
 * PORT_PIECE_CHARS goes ahead in payload-piece messages (port-messages.ts), and its record holds
 * [WIRE_PIECES, number of pieces, the payload with '' for its text or base64].
 */
export const WIRE_PIECES = 2;

export type PiecedPayload = [typeof WIRE_PIECES, number, RecordPayload];
