import { RECORD_SLOTS, SLOT_VALUE } from './event-records';

/**
 * An events message's records as they travel on ports that carry structured clones (Firefox's):
 * three values however many records the message holds, not six per record. Cloning costs the
 * page's thread, the parent process and the panel's process by the value; a typed array and a
 * string cost by the byte. Chrome's ports carry JSON, whose cost goes by the bytes whatever their
 * shape, and which writes and parses numbers faster than a script joins and splits them: the
 * records travel flat there (measured: CHANGELOG.md).
 *
 * Unpacked, the records are the flat records of event-records.ts, value for value.
 */
export interface PackedRecords {
  /**
   * Per record, RECORD_SLOTS numbers: its five number slots in slot order (SLOT_VALUE left
   * out), then the length of its value in `texts` when the value is a string, or -1 when it is
   * the next of `values`.
   */
  numbers: Float64Array;
  /** The string values, one after another. */
  texts: string;
  /** Every other value (events, cut or binary payloads, null), in record order. */
  values: unknown[];
}

/** Numbers of a record before its value's length, in slot order. */
const NUMBER_SLOTS = RECORD_SLOTS - 1;
const IN_VALUES = -1;

/** Packs flat records (whose slots but the value are finite numbers, as the relay writes them). */
export function packRecords(records: readonly unknown[]): PackedRecords {
  const numbers = new Float64Array(records.length);
  const texts: string[] = [];
  const values: unknown[] = [];
  for (let at = 0; at < records.length; at += RECORD_SLOTS) {
    for (let slot = 0, out = at; slot < RECORD_SLOTS; slot++) {
      if (slot !== SLOT_VALUE) numbers[out++] = records[at + slot] as number;
    }
    const value = records[at + SLOT_VALUE];
    if (typeof value === 'string') {
      texts.push(value);
      numbers[at + NUMBER_SLOTS] = value.length;
    } else {
      values.push(value);
      numbers[at + NUMBER_SLOTS] = IN_VALUES;
    }
  }
  return { numbers, texts: texts.join(''), values };
}

/**
 * The flat records a {@link PackedRecords} holds, or undefined when it does not add up (a count,
 * a length or a number slot that is not a finite number).
 */
export function unpackRecords(packed: unknown): unknown[] | undefined {
  if (typeof packed !== 'object' || packed === null) return undefined;
  const { numbers, texts, values } = packed as Partial<PackedRecords>;
  if (!(numbers instanceof Float64Array) || typeof texts !== 'string' || !Array.isArray(values)) {
    return undefined;
  }
  if (numbers.length % RECORD_SLOTS !== 0) return undefined;
  const records: unknown[] = new Array(numbers.length);
  let textAt = 0;
  let valueAt = 0;
  for (let at = 0; at < numbers.length; at += RECORD_SLOTS) {
    for (let slot = 0, from = at; slot < RECORD_SLOTS; slot++) {
      if (slot === SLOT_VALUE) continue;
      const number = numbers[from++]!;
      if (!Number.isFinite(number)) return undefined;
      records[at + slot] = number;
    }
    const length = numbers[at + NUMBER_SLOTS]!;
    if (length === IN_VALUES) {
      if (valueAt === values.length) return undefined;
      records[at + SLOT_VALUE] = values[valueAt++];
    } else {
      if (!Number.isSafeInteger(length) || length < 0 || textAt + length > texts.length) {
        return undefined;
      }
      records[at + SLOT_VALUE] = texts.slice(textAt, textAt + length);
      textAt += length;
    }
  }
  return textAt === texts.length && valueAt === values.length ? records : undefined;
}
