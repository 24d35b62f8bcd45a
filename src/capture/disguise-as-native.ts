import type { Intrinsics } from './native-intrinsics';
import {
  dataDescriptor,
  nullRecord,
  objectHasOwn,
  ownValue,
  ProxyConstructor,
  reflectApply,
  reflectDefineProperty,
  reflectGetOwnPropertyDescriptor,
  uncurryThis,
  WeakMapConstructor,
  weakMapGet,
  weakMapHas,
  weakMapSet,
  withoutPrototype,
} from './page-builtins';

/** Each wrapper of every hook of the page's same-origin windows, with the text it shows. */
type Disguises = WeakMap<object, string>;

/**
 * The event a hook dispatches on its same-origin parent's window (and opener's) when it
 * installs, to share that window's disguises (see {@link shareDisguises}).
 */
const SHARE_EVENT = 'sockscope-share-disguises';

/**
 * Makes `Function.prototype.toString` report our wrappers exactly as it reports the natives they
 * wrap ("function WebSocket() { [native code] }"), including for itself, in this window and in
 * every same-origin window the page can reach: a page may call an iframe's toString on its own
 * WebSocket, or its own toString on an iframe's. Each window has its own hook (it runs in every
 * frame), and all of them share one registry of disguises.
 */
export function installNativeToString(
  global: typeof globalThis,
  intrinsics: Intrinsics,
): (wrapper: object, native: object) => void {
  const FunctionProto = global.Function.prototype;
  const originalToString = FunctionProto.toString;
  const isOriginalToString = originalToStringTest(originalToString);
  const disguises =
    joinRelatives(global, intrinsics, originalToString) ?? new WeakMapConstructor<object, string>();
  const toStringProxy = new ProxyConstructor(
    originalToString,
    // Without prototype: a trap the handler lacks (`get`, say) is looked up on it, and must not
    // be found on Object.prototype, where the page can put one.
    withoutPrototype({
      apply(target: typeof originalToString, thisArg: unknown, args: unknown[]) {
        if ((typeof thisArg === 'function' || typeof thisArg === 'object') && thisArg !== null) {
          const disguise = weakMapGet(disguises, thisArg);
          if (disguise !== undefined) return disguise;
        }
        return reflectApply(target, thisArg, args);
      },
    }),
  );
  const disguise = (wrapper: object, native: object) => {
    weakMapSet(disguises, wrapper, reflectApply(originalToString, native, []) as string);
  };
  disguise(toStringProxy, originalToString);
  shareDisguises(global, intrinsics, disguises, isOriginalToString);
  replaceValue(FunctionProto, 'toString', toStringProxy);
  return disguise;
}

/**
 * Whether a value is some window's original `Function.prototype.toString`: a native function of
 * that name (its text says so, which no wrapper's can) that gives a function's source. Only the
 * hooks hold those, once each has replaced its window's; a page that could reach one could tell
 * every wrapper from a native anyway. The test runs no page code: the candidate is only called
 * once known to be native, on a function without prototype whose lookups find nothing.
 */
function originalToStringTest(originalToString: () => string): (value: unknown) => boolean {
  const nativeText = reflectApply(originalToString, originalToString, []);
  const probe = withoutPrototype(function sockscopeProbe() {});
  const probeText = reflectApply(originalToString, probe, []);
  return (value) => {
    if (typeof value !== 'function') return false;
    try {
      return (
        reflectApply(originalToString, value, []) === nativeText &&
        reflectApply(value, probe, []) === probeText
      );
    } catch {
      return false;
    }
  };
}

/**
 * Listens, before any page script can, for a hook of a newer same-origin window asking to share
 * this window's disguises. The ask carries that hook's original toString, which no page can
 * forge; only then is the event stopped (no page listener ever sees it) and answered. An event
 * of that type the page dispatches itself goes on untouched.
 */
function shareDisguises(
  global: typeof globalThis,
  intrinsics: Intrinsics,
  disguises: Disguises,
  isOriginalToString: (value: unknown) => boolean,
): void {
  const { addEventListener, customEventDetail, stopImmediatePropagation } = intrinsics;
  const listener = (event: Event) => {
    let detail: unknown;
    try {
      detail = customEventDetail(event);
    } catch {
      return;
    }
    if (!isOriginalToString(detail)) return;
    stopImmediatePropagation(event);
    const take = ownValue(event, 'take');
    if (typeof take === 'function') take(disguises);
  };
  try {
    addEventListener(global, SHARE_EVENT, listener, true);
  } catch {
    // A global that is no EventTarget (a test double) shares nothing.
  }
}

/**
 * The disguises of this window's same-origin parent (or opener), whose hook installed first:
 * asked for with an event dispatched on that window, which its hook stops and answers at once.
 */
function joinRelatives(
  global: typeof globalThis,
  intrinsics: Intrinsics,
  originalToString: () => string,
): Disguises | undefined {
  const relatives = nullRecord<Record<number, unknown>>();
  let count = 0;
  // Null unless the parent is same-origin: a cross-origin window is never touched.
  const frameElement = ownGetter(global, 'frameElement');
  const parent = ownGetter(global, 'parent');
  if (frameElement && parent && read(frameElement, global) !== null)
    relatives[count++] = read(parent, global);
  const opener = ownGetter(global, 'opener');
  if (opener) relatives[count++] = read(opener, global);
  for (let i = 0; i < count; i++) {
    const relative = relatives[i];
    if (typeof relative !== 'object' || relative === null || relative === global) continue;
    let found: Disguises | undefined;
    const init = nullRecord<CustomEventInit<unknown>>();
    init.detail = originalToString;
    try {
      const event = new intrinsics.CustomEvent(SHARE_EVENT, init);
      const take = (shared: unknown) => {
        if (isWeakMap(shared)) found = shared;
      };
      reflectDefineProperty(event, 'take', dataDescriptor(take, false, false, false));
      intrinsics.dispatchEvent(relative as EventTarget, event);
    } catch {
      // A window we may not reach (cross-origin, or gone): nothing to share.
    }
    if (found) return found;
  }
  return undefined;
}

/** The getter of an own accessor of the window (its attributes), captured before page scripts. */
function ownGetter(global: object, name: string): ((target: object) => unknown) | undefined {
  const descriptor = reflectGetOwnPropertyDescriptor(global, name);
  const get = descriptor && objectHasOwn(descriptor, 'get') ? descriptor.get : undefined;
  return get ? uncurryThis(get) : undefined;
}

function read(getter: (target: object) => unknown, global: object): unknown {
  try {
    return getter(global);
  } catch {
    return null;
  }
}

const brandKey = {};

function isWeakMap(value: unknown): value is Disguises {
  if (typeof value !== 'object' || value === null) return false;
  try {
    weakMapHas(value as Disguises, brandKey);
    return true;
  } catch {
    return false;
  }
}

/** Replaces a data property's value, keeping its attributes (writable, enumerable, configurable). */
export function replaceValue(target: object, key: PropertyKey, value: unknown): void {
  const descriptor = reflectGetOwnPropertyDescriptor(target, key);
  reflectDefineProperty(
    target,
    key,
    dataDescriptor(
      value,
      descriptor?.writable ?? true,
      descriptor?.enumerable ?? false,
      descriptor?.configurable ?? true,
    ),
  );
}
