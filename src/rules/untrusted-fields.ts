import { parseJsonPath } from './json-path';

/**
 * Readers for fields of a value nothing vouches for (an imported file, storage): each takes an
 * own data property only, checks its type and bounds, and throws a FieldProblem naming the field
 * otherwise. A getter is never run and a prototype's value never read, so a hostile object can
 * neither change its answer between two reads nor lend a field it does not have.
 */

/** Thrown by the readers below; the validator turns it into its one-sentence error. */
export class FieldProblem {
  constructor(readonly message: string) {}
}

export function refuse(problem: string): never {
  throw new FieldProblem(problem);
}

/** An own data property's value: an inherited value or a getter (never run) is no field. */
export function field(object: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && Object.hasOwn(descriptor, 'value')
    ? descriptor.value
    : undefined;
}

export function record(value: unknown, what: string): object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse(`${what} must be an object`);
  }
  return value;
}

export function text(object: object, key: string, what: string, max: number, min = 0): string {
  const value = field(object, key);
  if (typeof value === 'string' && value.length >= min && value.length <= max) return value;
  refuse(`${what} must be a string of ${min > 0 ? `${min} to ` : 'at most '}${max} characters`);
}

export function integer(
  object: object,
  key: string,
  what: string,
  min: number,
  max: number,
): number {
  const value = field(object, key);
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  refuse(`${what} must be a whole number from ${min} to ${max}`);
}

export function boolean(object: object, key: string, what: string): boolean {
  const value = field(object, key);
  if (typeof value === 'boolean') return value;
  refuse(`${what} must be true or false`);
}

export function oneOf<T extends string>(value: unknown, options: readonly T[], what: string): T {
  if (typeof value === 'string' && (options as readonly string[]).includes(value))
    return value as T;
  const quoted = options.map((option) => `"${option}"`);
  refuse(`${what} must be ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`);
}

/** A field holding a JSON path as typed (kept as text: the form shows it back). */
export function jsonPathText(object: object, key: string, what: string, max: number): string {
  const path = text(object, key, what, max);
  const parsed = parseJsonPath(path);
  if ('error' in parsed) refuse(`${what} is not a valid JSON path: ${parsed.error}`);
  return path;
}

export function compiles(pattern: string, flags: string, what: string): void {
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    refuse(`${what} is not a valid regular expression (${(error as Error).message})`);
  }
}

/** JSON text for a string, a finite number, a boolean or null (`1e999` parses to Infinity). */
export function isJsonPrimitive(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'number') return Number.isFinite(value);
    return value === null || typeof value === 'string' || typeof value === 'boolean';
  } catch {
    return false;
  }
}
