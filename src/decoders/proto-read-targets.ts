/**
 * The objects the typed protobuf reader fills: keys come from the schema and the wire, so
 * every write goes through `setEntry` and every read through an own-property check, and
 * fields the schema cannot explain are gathered under `_unknown` by number.
 */

import { joinI64, joinU64 } from './byte-cursor';
import { type PlainMap, setEntry } from './plain-map';
import type { Varint64 } from './proto-wire-read';

export const UNKNOWN_FIELDS = '_unknown';

/** An own property only: reading `__proto__` from a plain object would give Object.prototype. */
export const own = (target: PlainMap, key: string): unknown =>
  Object.hasOwn(target, key) ? target[key] : undefined;

export const isPlainObject = (value: unknown): value is PlainMap =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Uint8Array);

/** The object kept under `key`, made first if there is none. */
export function ownObject(target: PlainMap, key: string): PlainMap {
  const seen = own(target, key);
  if (isPlainObject(seen)) return seen;
  const made: PlainMap = {};
  setEntry(target, key, made);
  return made;
}

export function ownList(target: PlainMap, key: string): unknown[] {
  const seen = own(target, key);
  if (Array.isArray(seen)) return seen;
  const made: unknown[] = [];
  setEntry(target, key, made);
  return made;
}

/** A varint without a schema: negative when its top bit says a sign-extended int was sent. */
export function varintValue({ lo, hi }: Varint64): number | string {
  return hi >= 2 ** 31 ? joinI64(hi | 0, lo) : joinU64(hi, lo);
}

/** Keeps one value of an unknown field; a number seen again becomes a list. */
export function addUnknown(target: PlainMap, field: number, value: unknown): void {
  const unknown = ownObject(target, UNKNOWN_FIELDS);
  const key = String(field);
  const seen = own(unknown, key);
  if (seen === undefined) unknown[key] = value;
  else if (Array.isArray(seen)) seen.push(value);
  else unknown[key] = [seen, value];
}
