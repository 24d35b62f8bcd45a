/**
 * The JavaScript built-ins the hook's page-world code calls, taken when the hook's script is
 * evaluated: at document_start, before any page script runs. A page may later replace globals
 * (Map, WeakRef, Reflect...), methods (Array.prototype.push, Function.prototype.call...) or put
 * getters, setters and Proxies on prototypes. The hook then never reaches what the page changed:
 *
 * - built-ins are called uncurried, as captured here, never as `value.method()`;
 * - stores go to objects without a prototype, to typed arrays, or to own properties made by
 *   Array.from (CreateDataProperty): never to a missing key of an object whose prototype chain
 *   the page can reach, where a page setter (`Array.prototype[0]`) would see or change the value;
 * - what crosses to the relay is null-prototype objects, literals with every field present, and
 *   arrays whose every element is an own property, read by index within their length;
 * - native code that converts our arguments (WebIDL dictionaries, sequences) gets null-prototype
 *   dictionaries and {@link safeSequence}s, never an array it would iterate with the page's
 *   `Array.prototype[Symbol.iterator]`.
 */

const FunctionPrototype = Function.prototype;

/** `fn` as a plain function of its receiver, e.g. `weakMapGet(map, key)`. */
export const uncurryThis = FunctionPrototype.bind.bind(FunctionPrototype.call) as <
  A extends unknown[],
  R,
>(
  fn: (...args: A) => R,
) => (thisArg: unknown, ...args: A) => R;

export const reflectApply = Reflect.apply;
export const reflectConstruct = Reflect.construct as (
  target: object,
  args: ArrayLike<unknown>,
  newTarget?: object,
) => object;
export const reflectDefineProperty = Reflect.defineProperty;
export const reflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const reflectGetPrototypeOf = Reflect.getPrototypeOf;
export const reflectOwnKeys = Reflect.ownKeys;
const objectCreate = Object.create;
const objectSetPrototypeOf = Object.setPrototypeOf;
export const objectHasOwn = Object.hasOwn;
export const isArray = Array.isArray as (value: unknown) => value is unknown[];
const arrayFrom = Array.from;
export const isArrayBufferView = ArrayBuffer.isView;

export const ProxyConstructor = Proxy;
export const WeakMapConstructor = WeakMap;
export const RegExpConstructor = RegExp;
export const Uint8ArrayConstructor = Uint8Array;
export const Float64ArrayConstructor = Float64Array;
export const iteratorSymbol: typeof Symbol.iterator = Symbol.iterator;

export const weakMapGet = uncurryThis(WeakMap.prototype.get) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
) => V | undefined;
export const weakMapSet = uncurryThis(WeakMap.prototype.set) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
  value: V,
) => WeakMap<K, V>;
export const weakMapHas = uncurryThis(WeakMap.prototype.has) as (
  map: WeakMap<object, unknown>,
  key: object,
) => boolean;
export const regExpExec = uncurryThis(RegExp.prototype.exec) as (
  pattern: RegExp,
  text: string,
) => RegExpExecArray | null;
export const charCodeAt = uncurryThis(String.prototype.charCodeAt) as (
  text: string,
  index: number,
) => number;
export const uint8ArraySet = uncurryThis(Uint8Array.prototype.set) as (
  target: Uint8Array,
  source: ArrayLike<number>,
  offset?: number,
) => void;
/** `Uint8Array.fromBase64` where the browser has it (it uses no receiver and reads no options). */
export const nativeFromBase64 = (
  Uint8Array as typeof Uint8Array & { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }
).fromBase64;

/** The getter of an accessor property on `proto` or up its chain, uncurried. */
export function getterOf<T>(proto: object | null | undefined, name: PropertyKey): Getter<T> {
  let current = proto;
  while (current) {
    const descriptor = reflectGetOwnPropertyDescriptor(current, name);
    if (descriptor !== undefined) {
      const get = objectHasOwn(descriptor, 'get') ? descriptor.get : undefined;
      if (get) return uncurryThis(get) as Getter<T>;
      break;
    }
    current = reflectGetPrototypeOf(current);
  }
  // Only where the environment lacks the accessor (test doubles): read it as a property.
  return (target) => (target as Record<PropertyKey, T>)[name] as T;
}

export type Getter<T> = (target: object) => T;

const typedArrayPrototype = reflectGetPrototypeOf(Uint8Array.prototype) as object;
export const typedArrayBuffer = getterOf<ArrayBuffer>(typedArrayPrototype, 'buffer');
export const typedArrayByteOffset = getterOf<number>(typedArrayPrototype, 'byteOffset');
export const typedArrayByteLength = getterOf<number>(typedArrayPrototype, 'byteLength');
export const arrayBufferByteLength = getterOf<number>(ArrayBuffer.prototype, 'byteLength');
export const dataViewBuffer = getterOf<ArrayBuffer>(DataView.prototype, 'buffer');
export const dataViewByteOffset = getterOf<number>(DataView.prototype, 'byteOffset');
export const dataViewByteLength = getterOf<number>(DataView.prototype, 'byteLength');
const SharedArrayBufferConstructor = (
  globalThis as { SharedArrayBuffer?: typeof SharedArrayBuffer }
).SharedArrayBuffer;
const sharedArrayBufferByteLength = SharedArrayBufferConstructor
  ? getterOf<number>(SharedArrayBufferConstructor.prototype, 'byteLength')
  : undefined;

/** Whether `value` has the internal slots `getter` checks (a brand check that runs no page code). */
function hasBrand(value: unknown, getter: Getter<unknown> | undefined): boolean {
  if (getter === undefined || typeof value !== 'object' || value === null) return false;
  try {
    getter(value);
    return true;
  } catch {
    return false;
  }
}

export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(value, arrayBufferByteLength);
}

export function isSharedArrayBuffer(value: unknown): boolean {
  return hasBrand(value, sharedArrayBufferByteLength);
}

export function isDataView(value: unknown): value is DataView {
  return hasBrand(value, dataViewByteLength);
}

/** An object with no prototype: a missing key reads as undefined and a store makes an own key. */
export function nullRecord<T extends object>(): T {
  return objectCreate(null) as T;
}

/** `object`, its prototype removed (for literals such as Proxy handlers, made before any use). */
export function withoutPrototype<T extends object>(object: T): T {
  return objectSetPrototypeOf(object, null) as T;
}

/**
 * An array for the hook's own use, without prototype: index stores never reach a page setter.
 * Not iterable, so never hand one to native code that expects a sequence (see safeSequence).
 */
export function nullArray<T>(): T[] {
  return objectSetPrototypeOf([], null) as T[];
}

/**
 * An ordinary array of `length` undefined elements, each an own property (Array.from stores with
 * CreateDataProperty): assigning to an index below `length` then never reaches a page setter.
 */
export function ownArray<T>(length: number): T[] {
  const arrayLike = nullRecord<{ length: number }>();
  arrayLike.length = length;
  return arrayFrom(arrayLike) as T[];
}

/**
 * An ordinary array holding what a {@link nullArray} or null-prototype array-like holds, each
 * element an own property (Array.from reads an object without `Symbol.iterator` by index).
 */
export function toOwnArray<T>(items: ArrayLike<T>): T[] {
  return arrayFrom(items);
}

/**
 * An iterable over `items` for native code that converts a WebIDL sequence (a WebSocket's
 * protocols, a transfer list, Blob parts): its iterator and results are own properties of
 * objects without a page prototype, so the conversion runs no page code.
 */
export function safeSequence(items: ArrayLike<unknown>): Iterable<unknown> {
  let index = 0;
  const iterator = nullRecord<{ next(): IteratorResult<unknown> }>();
  iterator.next = () =>
    index < items.length
      ? { value: items[index++], done: false }
      : { value: undefined, done: true };
  const iterable = nullRecord<Iterable<unknown>>();
  iterable[iteratorSymbol] = () => iterator as Iterator<unknown>;
  return iterable;
}

/**
 * A data property descriptor without prototype, so that defining it reads no `get` or `set`
 * a page put on Object.prototype.
 */
export function dataDescriptor(
  value: unknown,
  writable: boolean,
  enumerable: boolean,
  configurable: boolean,
): PropertyDescriptor {
  const descriptor = nullRecord<PropertyDescriptor>();
  descriptor.value = value;
  descriptor.writable = writable;
  descriptor.enumerable = enumerable;
  descriptor.configurable = configurable;
  return descriptor;
}

/** An own data property's value, or undefined (never a getter's, never an inherited one). */
export function ownValue(target: object, key: PropertyKey): unknown {
  const descriptor = reflectGetOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && objectHasOwn(descriptor, 'value')
    ? descriptor.value
    : undefined;
}

/** An error of the hook's own making, in words for the user. */
export class CaptureFailure {
  constructor(readonly text: string) {}
}

const DOMExceptionPrototype = (globalThis as { DOMException?: typeof DOMException }).DOMException
  ?.prototype;
const domExceptionName = DOMExceptionPrototype
  ? getterOf<string>(DOMExceptionPrototype, 'name')
  : undefined;
const domExceptionMessage = DOMExceptionPrototype
  ? getterOf<string>(DOMExceptionPrototype, 'message')
  : undefined;
const ERROR_NAMES: Array<[object, string]> = [
  [TypeError.prototype, 'TypeError'],
  [RangeError.prototype, 'RangeError'],
  [SyntaxError.prototype, 'SyntaxError'],
  [ReferenceError.prototype, 'ReferenceError'],
  [EvalError.prototype, 'EvalError'],
  [URIError.prototype, 'URIError'],
  [Error.prototype, 'Error'],
];

/** A browser DOMException's message, read with the captured getter; else undefined. */
export function domExceptionMessageOf(error: unknown): string | undefined {
  return domExceptionMessage && hasBrand(error, domExceptionMessage)
    ? domExceptionMessage(error as object)
    : undefined;
}

/**
 * "Name: message" for an exception a command met: a browser's DOMException (read with the
 * captured getters), a JavaScript error (named by its prototype, its message an own property set
 * when it was made), or one of ours. Reads nothing a page could have patched.
 */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return 'Error';
  const proto = reflectGetPrototypeOf(error);
  if (proto === CaptureFailure.prototype) return (error as CaptureFailure).text;
  if (domExceptionName && domExceptionMessage && hasBrand(error, domExceptionName)) {
    return `${domExceptionName(error)}: ${domExceptionMessage(error)}`;
  }
  const message = ownValue(error, 'message');
  const text = typeof message === 'string' ? message : '';
  for (let i = 0; i < ERROR_NAMES.length; i++) {
    const entry = ERROR_NAMES[i]!;
    if (entry[0] === proto) return `${entry[1]}: ${text}`;
  }
  return `Error: ${text}`;
}
