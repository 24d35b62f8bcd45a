import type { RelayToHook } from '../protocol/capture-events';
import { isArray, nullArray, nullRecord, objectHasOwn, reflectOwnKeys } from './page-builtins';

/** Deeper than any message of the relay's: the rest is left out. */
const MAX_DEPTH = 8;

/**
 * The relay's message as the hook reads it: a copy made of null-prototype objects and arrays.
 * The port hands the hook a structured clone made with the page's Object.prototype, where
 * reading a field a message leaves out (a release's `payload`, say) would run a getter the page
 * put there; in the copy it reads as undefined. Only the relay holds the port, so the clone
 * holds nothing but own data properties.
 */
export function readRelayMessage(data: unknown): RelayToHook {
  return copyOwnData(data) as RelayToHook;
}

/** A copy of plain data (a structured clone) in null-prototype objects and arrays. */
export function copyOwnData(data: unknown): unknown {
  return copyOwn(data, 0);
}

function copyOwn(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (isArray(value)) {
    const copy = nullArray<unknown>();
    const length = value.length;
    for (let i = 0; i < length; i++) {
      copy[i] = objectHasOwn(value, i) ? copyOwn(value[i], depth + 1) : undefined;
    }
    return copy;
  }
  const copy: Record<string, unknown> = nullRecord();
  const keys = reflectOwnKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (typeof key === 'string')
      copy[key] = copyOwn((value as Record<string, unknown>)[key], depth + 1);
  }
  return copy;
}
