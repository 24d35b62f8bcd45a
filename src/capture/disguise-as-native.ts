import type { Intrinsics } from './native-intrinsics';

/**
 * Makes `Function.prototype.toString` report our wrappers exactly as it reports the natives they
 * wrap ("function WebSocket() { [native code] }"), including for itself.
 */
export function installNativeToString(
  global: typeof globalThis,
  intrinsics: Intrinsics,
): (wrapper: object, native: object) => void {
  const { reflectApply, functionToString, weakMapGet, weakMapSet } = intrinsics;
  const disguises = new intrinsics.WeakMap<object, string>();
  const FunctionProto = global.Function.prototype;
  const originalToString = FunctionProto.toString;
  const toStringProxy = new intrinsics.Proxy(originalToString, {
    apply(target, thisArg, args) {
      if ((typeof thisArg === 'function' || typeof thisArg === 'object') && thisArg !== null) {
        const disguise = weakMapGet(disguises, thisArg);
        if (disguise !== undefined) return disguise;
      }
      return reflectApply(target, thisArg, args);
    },
  });
  const disguise = (wrapper: object, native: object) => {
    weakMapSet(disguises, wrapper, reflectApply(functionToString, native, []) as string);
  };
  disguise(toStringProxy, originalToString);
  replaceValue(intrinsics, FunctionProto, 'toString', toStringProxy);
  return disguise;
}

/** Replaces a data property's value, keeping its attributes (writable, enumerable, configurable). */
export function replaceValue(
  intrinsics: Intrinsics,
  target: object,
  key: PropertyKey,
  value: unknown,
): void {
  const descriptor = intrinsics.getOwnPropertyDescriptor(target, key);
  intrinsics.defineProperty(target, key, { ...descriptor, value });
}
