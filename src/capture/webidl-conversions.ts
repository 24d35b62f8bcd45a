import {
  dataDescriptor,
  iteratorSymbol,
  nullArray,
  nullRecord,
  reflectApply,
  reflectConstruct,
  reflectDefineProperty,
  safeSequence,
} from './page-builtins';

/**
 * The hook converts the page's arguments itself, as the browser's WebIDL bindings would, so that
 * the page's code (a toString, an iterator) runs once and in the native order, and the native
 * function is given the result: it runs no page code again, and receives exactly what is
 * recorded. Where a conversion fails with no page code to blame (a Symbol, an iterator that is
 * not one), the native function is given a stand-in that fails the same way without page code,
 * so that the exception is the browser's own, message included.
 */

/** A converted string, or the stand-in to hand the native function instead. */
export type Converted =
  | { text: string; standIn?: undefined }
  | { text?: undefined; standIn: unknown };

const toPrimitiveSymbol: typeof Symbol.toPrimitive = Symbol.toPrimitive;

/** An object the native ToString turns into exactly the failure we met, running no page code. */
function failingWith(toPrimitive: unknown): Converted {
  const standIn: Record<PropertyKey, unknown> = nullRecord();
  reflectDefineProperty(
    standIn,
    toPrimitiveSymbol,
    dataDescriptor(toPrimitive, false, false, true),
  );
  return { standIn };
}

/** A value with no way to a primitive: the native ToPrimitive finds no method on it. */
const NO_PRIMITIVE: Converted = { standIn: nullRecord() };

export function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * WebIDL's DOMString (or USVString: the native function fixes lone surrogates in the string it
 * gets) conversion: ToString, its ToPrimitive spelled out to tell what failed.
 */
export function convertString(value: unknown): Converted {
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'symbol') return { standIn: value };
  if (!isObject(value)) return { text: `${value as string}` };
  const converted = toPrimitive(value, 'string');
  if (converted.standIn !== undefined) return { standIn: converted.standIn };
  const { primitive } = converted;
  if (typeof primitive === 'symbol') return { standIn: primitive };
  return { text: `${primitive as string}` };
}

/** An object's primitive, or the stand-in that fails its native conversion the same way. */
export type ToPrimitive =
  | { primitive: unknown; standIn?: undefined }
  | { primitive?: undefined; standIn: unknown };

/**
 * ToPrimitive of an object, spelled out: its Symbol.toPrimitive with the hint, else toString and
 * valueOf in the hint's order (each read once). Written out step by step, with no array to loop
 * over: an array's iterator is the page's.
 */
export function toPrimitive(value: object, hint: 'string' | 'number'): ToPrimitive {
  const exotic = (value as { [toPrimitiveSymbol]?: unknown })[toPrimitiveSymbol];
  if (exotic !== undefined && exotic !== null) {
    if (typeof exotic !== 'function') return { standIn: failingWith(exotic).standIn };
    const primitive: unknown = reflectApply(exotic, value, [hint]);
    if (isObject(primitive)) return { standIn: failingWith(() => primitive).standIn };
    return { primitive };
  }
  const first = hint === 'string' ? 'toString' : 'valueOf';
  const firstMethod = (value as Record<string, unknown>)[first];
  if (typeof firstMethod === 'function') {
    const primitive: unknown = reflectApply(firstMethod, value, []);
    if (!isObject(primitive)) return { primitive };
  }
  const secondMethod = (value as Record<string, unknown>)[
    hint === 'string' ? 'valueOf' : 'toString'
  ];
  if (typeof secondMethod === 'function') {
    const primitive: unknown = reflectApply(secondMethod, value, []);
    if (!isObject(primitive)) return { primitive };
  }
  return { standIn: NO_PRIMITIVE.standIn };
}

/**
 * The protocols argument as WebIDL converts `(DOMString or sequence<DOMString>)`: `argument` is
 * what the native constructor is given instead (undefined: nothing), `protocols` what it will
 * read from it.
 */
export interface ConvertedProtocols {
  argument: unknown;
  protocols: string[];
}

type SequenceFailure = 'method' | 'iterator' | 'next' | 'result' | 'item';

/**
 * @param valueFirst Whether the browser reads each step's `value` before its `done` (Blink
 *   does, and even on the last step); the page's getters would tell the order.
 */
export function convertProtocols(value: unknown, valueFirst: boolean): ConvertedProtocols {
  const protocols = nullArray<string>();
  if (value === undefined) return { argument: undefined, protocols };
  if (!isObject(value)) return single(convertString(value), protocols);
  const method: unknown = (value as { [iteratorSymbol]?: unknown })[iteratorSymbol];
  if (method === undefined || method === null) return single(convertString(value), protocols);
  if (typeof method !== 'function') return failing(protocols, 0, 'method', method);
  const iterator: unknown = reflectApply(method, value, []);
  if (!isObject(iterator)) return failing(protocols, 0, 'iterator', iterator);
  const next: unknown = (iterator as { next?: unknown }).next;
  if (typeof next !== 'function') return failing(protocols, 0, 'next', next);
  let count = 0;
  for (;;) {
    const result: unknown = reflectApply(next, iterator, []);
    if (!isObject(result)) return failing(protocols, count, 'result', result);
    let item: unknown;
    if (valueFirst) {
      item = (result as IteratorResult<unknown>).value;
      if ((result as IteratorResult<unknown>).done) break;
    } else {
      if ((result as IteratorResult<unknown>).done) break;
      item = (result as IteratorResult<unknown>).value;
    }
    const converted = convertString(item);
    if (converted.text === undefined) return failing(protocols, count, 'item', converted.standIn);
    protocols[count++] = converted.text;
  }
  return {
    argument: count === 0 ? undefined : count === 1 ? protocols[0] : safeSequence(protocols),
    protocols,
  };
}

function single(converted: Converted, protocols: string[]): ConvertedProtocols {
  if (converted.text === undefined) return { argument: converted.standIn, protocols };
  protocols[0] = converted.text;
  return { argument: converted.text, protocols };
}

/**
 * An iterable that gives the native conversion the `count` strings already converted, then
 * fails as the page's value did (`bad` being what it had instead of a method, iterator, `next`,
 * result or item), running no page code.
 */
function failing(
  protocols: string[],
  count: number,
  failure: SequenceFailure,
  bad: unknown,
): ConvertedProtocols {
  const iterable: Record<PropertyKey, unknown> = nullRecord();
  const iterator: Record<string, unknown> = nullRecord();
  let index = 0;
  iterable[iteratorSymbol] =
    failure === 'method' ? bad : failure === 'iterator' ? () => bad : () => iterator;
  iterator.next =
    failure === 'next'
      ? bad
      : () => {
          if (index < count) return { value: protocols[index++], done: false };
          return failure === 'result' ? bad : { value: bad, done: false };
        };
  return { argument: iterable, protocols };
}

/**
 * Whether the browser's sequence conversion reads a step's `value` before its `done`, learnt
 * before any page script runs from a conversion that stops at the second read (an ftp: URL makes
 * sure no socket is ever opened).
 */
export function readsValueFirst(NativeWebSocket: object): boolean {
  const order = nullArray<string>();
  let reads = 0;
  const stop = nullRecord();
  const read = (name: string, value: unknown) => () => {
    order[reads++] = name;
    if (reads === 2) throw stop;
    return value;
  };
  const result = nullRecord();
  reflectDefineProperty(result, 'done', accessor(read('done', false)));
  reflectDefineProperty(result, 'value', accessor(read('value', '')));
  const iterator = nullRecord<{ next(): unknown }>();
  iterator.next = () => result;
  const iterable: Record<PropertyKey, unknown> = nullRecord();
  iterable[iteratorSymbol] = () => iterator;
  try {
    reflectConstruct(NativeWebSocket, ['ftp://sockscope.invalid/', iterable]);
  } catch {
    // The stop, or the browser's refusal of the URL.
  }
  return order[0] === 'value';
}

function accessor(get: () => unknown): PropertyDescriptor {
  const descriptor = nullRecord<PropertyDescriptor>();
  descriptor.get = get;
  descriptor.configurable = true;
  return descriptor;
}
