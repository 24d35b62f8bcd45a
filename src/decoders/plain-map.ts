/**
 * Maps from binary formats as plain objects for the details' tree. Their keys come from the
 * wire, so `__proto__` must become an own property instead of replacing the prototype, and
 * keys that are not strings (MessagePack and CBOR allow any value) are shown as text.
 */

import { previewValue } from './value-preview';

export type PlainMap = Record<string, unknown>;

export function setEntry(target: PlainMap, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** A map key as the object key that shows it: strings as they are, other values as their preview. */
export function mapKeyText(key: unknown): string {
  return typeof key === 'string' ? key : previewValue(key);
}
