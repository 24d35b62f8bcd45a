import { MAX_STACK_TEXT } from '../protocol/limits';
import {
  nullRecord,
  objectHasOwn,
  reflectApply,
  reflectConstruct,
  reflectGetOwnPropertyDescriptor,
  reflectGetPrototypeOf,
  uncurryThis,
} from './page-builtins';

/**
 * The page's stack where it called `new WebSocket()`: the browser's own text of it, without the
 * hook's frames, taken with built-ins captured at install and only where the page cannot notice.
 *
 * V8 formats a stack through `Error.prepareStackTrace` wherever a property of that name sits on
 * the chain of the realm's Error (Error, Function.prototype, Object.prototype): a page that set
 * one would be called with our capture, see it and could change it. So where one is set, or
 * that chain was changed, no stack is taken: the connection simply has no initiator. The stack
 * depth is the page's `Error.stackTraceLimit`, which V8 reads without running page code.
 */

const ErrorConstructor = Error;
const FunctionPrototype = Function.prototype;
const ObjectPrototype = Object.prototype;
const captureStackTrace = (
  Error as unknown as { captureStackTrace?: (target: object, above?: unknown) => void }
).captureStackTrace;
const stringSlice = uncurryThis(String.prototype.slice) as (
  text: string,
  start: number,
  end: number,
) => string;
/** SpiderMonkey's stack is an accessor of Error.prototype (V8's is the error's own). */
const prototypeStackDescriptor = reflectGetOwnPropertyDescriptor(Error.prototype, 'stack');
const prototypeStackGetter =
  prototypeStackDescriptor && objectHasOwn(prototypeStackDescriptor, 'get')
    ? prototypeStackDescriptor.get
    : undefined;

/**
 * The stack below `above` (the function the page's call entered, itself left out), or '' when
 * none can be taken unnoticed.
 */
export function takeStack(above: unknown): string {
  if (customisedFormatting()) return '';
  let holder: object;
  if (captureStackTrace) {
    holder = nullRecord<object>();
    reflectApply(captureStackTrace, ErrorConstructor, [holder, above]);
  } else holder = reflectConstruct(ErrorConstructor, []);
  const stack = ownStack(holder);
  return typeof stack === 'string' ? stringSlice(stack, 0, MAX_STACK_TEXT) : '';
}

function ownStack(holder: object): unknown {
  const own = reflectGetOwnPropertyDescriptor(holder, 'stack');
  if (own) {
    if (objectHasOwn(own, 'get')) return own.get ? reflectApply(own.get, holder, []) : undefined;
    return objectHasOwn(own, 'value') ? own.value : undefined;
  }
  return prototypeStackGetter ? reflectApply(prototypeStackGetter, holder, []) : undefined;
}

function customisedFormatting(): boolean {
  if (reflectGetPrototypeOf(ErrorConstructor) !== FunctionPrototype) return true;
  if (reflectGetPrototypeOf(FunctionPrototype) !== ObjectPrototype) return true;
  return (
    reflectGetOwnPropertyDescriptor(ErrorConstructor, 'prepareStackTrace') !== undefined ||
    reflectGetOwnPropertyDescriptor(FunctionPrototype, 'prepareStackTrace') !== undefined ||
    reflectGetOwnPropertyDescriptor(ObjectPrototype, 'prepareStackTrace') !== undefined
  );
}
