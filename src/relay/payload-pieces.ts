import {
  type PiecedPayload,
  RECORD_RECEIVED,
  RECORD_SENT,
  RECORD_SLOTS,
  type RecordPayload,
  SLOT_KIND,
  SLOT_VALUE,
  WIRE_PIECES,
} from '../protocol/event-records';

/**
 * Moves the long payloads of the frames in `records` out into pieces of at most `pieceChars`
 * characters (the port message that carries them costs less per byte: see PayloadPieceMessage),
 * and leaves a WIRE_PIECES value in their place. Returns the pieces in the order the records
 * take them. `records` is changed in place.
 */
export function takeLongPayloads(records: unknown[], pieceChars: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < records.length; at += RECORD_SLOTS) {
    const kind = records[at + SLOT_KIND];
    if (kind !== RECORD_SENT && kind !== RECORD_RECEIVED) continue;
    const value = records[at + SLOT_VALUE] as RecordPayload;
    const data = typeof value === 'string' ? value : value[1];
    // Bytes travel whole: only ports that carry structured clones carry bytes, and a clone copies
    // them as they are (pieces are for the long strings that JSON messaging serializes).
    if (typeof data !== 'string' || data.length <= pieceChars) continue;
    const count = splitText(data, pieceChars, pieces);
    const emptied: RecordPayload =
      typeof value === 'string' ? '' : [value[0], '', value[2], value[3]];
    const pieced: PiecedPayload = [WIRE_PIECES, count, emptied];
    records[at + SLOT_VALUE] = pieced;
  }
  return pieces;
}

/**
 * Appends `text` to `into` in pieces of at most `pieceChars` (at least 2) characters, never
 * between the two halves of a surrogate pair (a lone half might not survive a port's encoding).
 * Returns how many pieces it made.
 */
export function splitText(text: string, pieceChars: number, into: string[]): number {
  let count = 0;
  for (let start = 0; start < text.length; count++) {
    let end = Math.min(start + pieceChars, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    into.push(text.slice(start, end));
    start = end;
  }
  return count;
}

/** The UTF-16 units that open a surrogate pair. */
const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;

function isHighSurrogate(code: number): boolean {
  return code >= HIGH_SURROGATE_FIRST && code <= HIGH_SURROGATE_LAST;
}
