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
 * What the hooks of the page's same-origin windows share: the disguises, and the state of every
 * recorded socket (so that a send through another window's `WebSocket.prototype.send` is still
 * recorded, by the hook that recorded the socket).
 */
export interface HookGroup {
  disguises: Disguises;
  sockets: WeakMap<object, unknown>;
  /** Windows a hook of the group adopted (see install-recorder), by the toString put there. */
  adopted: WeakMap<object, AdoptedWindow>;
  /**
   * The first hook's original `Function.prototype.toString`, which no page can reach: every hook
   * of the group hands it with the group, so that a hook asking for one knows that a hook
   * answered, not a page listener (see {@link joinRelatives}).
   */
  proof: unknown;
}

/**
 * A window adopted while it showed its initial about:blank. A same-origin navigation keeps that
 * window (and our wrappers in it): the new document's hook then asks to join the group with our
 * toString, which it takes for the original. That ask is answered once, and only once the
 * window shows another document (it comes as that document starts, before any of its scripts).
 */
interface AdoptedWindow {
  documentOf: (target: object) => unknown;
  global: object;
  document: unknown;
  joined: boolean;
}

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
  joined?: HookGroup,
): {
  disguise: (wrapper: object, native: object) => void;
  group: HookGroup;
  /** Listens again for other hooks' asks, after `document.open()` erased the listener. */
  listenAgain: () => void;
} {
  const FunctionProto = global.Function.prototype;
  const originalToString = FunctionProto.toString;
  const isOriginalToString = originalToStringTest(originalToString);
  let group = joined ?? joinRelatives(global, intrinsics, originalToString, isOriginalToString);
  if (group === undefined) {
    group = nullRecord<HookGroup>();
    group.disguises = new WeakMapConstructor<object, string>();
    group.sockets = new WeakMapConstructor<object, unknown>();
    group.adopted = new WeakMapConstructor<object, AdoptedWindow>();
    group.proof = originalToString;
  }
  const { disguises } = group;
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
  const documentOf = joined ? ownGetter(global, 'document') : undefined;
  if (documentOf) {
    const adopted = nullRecord<AdoptedWindow>();
    adopted.documentOf = documentOf;
    adopted.global = global;
    adopted.document = read(documentOf, global);
    adopted.joined = false;
    weakMapSet(group.adopted, toStringProxy, adopted);
  }
  const listenAgain = shareDisguises(global, intrinsics, group, isOriginalToString);
  replaceValue(FunctionProto, 'toString', toStringProxy);
  return { disguise, group, listenAgain };
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
 * forge, or the toString an adopted window got from us: such an event is stopped (no page
 * listener ever sees it, nor answers it in our place), and answered, with the group's proof,
 * when the ask is a hook's (see isNewDocumentOfAdopted). An event of that type the page
 * dispatches itself with anything else goes on untouched.
 */
function shareDisguises(
  global: typeof globalThis,
  intrinsics: Intrinsics,
  group: HookGroup,
  isOriginalToString: (value: unknown) => boolean,
): () => void {
  const { addEventListener, customEventDetail, stopImmediatePropagation } = intrinsics;
  const listener = (event: Event) => {
    let detail: unknown;
    try {
      detail = customEventDetail(event);
    } catch {
      return;
    }
    const genuine = isOriginalToString(detail);
    if (!genuine && !isAdoptedToString(group, detail)) return;
    stopImmediatePropagation(event);
    if (!genuine && !isNewDocumentOfAdopted(group, detail)) return;
    const take = ownValue(event, 'take');
    if (typeof take === 'function') take(group, group.proof);
  };
  const listen = () => {
    try {
      addEventListener(global, SHARE_EVENT, listener, true);
    } catch {
      // A global that is no EventTarget (a test double) shares nothing.
    }
  };
  listen();
  return listen;
}

/** The most windows of the page's frame tree a hook looks through for a same-origin one. */
const MAX_TREE_WINDOWS = 1000;

/**
 * The disguises of this window's same-origin parent (or opener, or top), whose hook installed first:
 * asked for with an event dispatched on that window, which its hook stops and answers at once.
 * Failing those, of any same-origin window in the page's frame tree (two frames of one origin
 * inside a page of another reach each other as `parent[1]`). An answer counts only with the
 * group's proof, an original toString no page can reach: a page listener that saw the ask (one
 * `document.open()` put before the hook's) cannot answer it.
 */
function joinRelatives(
  global: typeof globalThis,
  intrinsics: Intrinsics,
  originalToString: () => string,
  isOriginalToString: (value: unknown) => boolean,
): HookGroup | undefined {
  const ask = (relative: unknown): HookGroup | undefined => {
    if (typeof relative !== 'object' || relative === null || relative === global) return undefined;
    let found: HookGroup | undefined;
    const init = nullRecord<CustomEventInit<unknown>>();
    init.detail = originalToString;
    try {
      const event = new intrinsics.CustomEvent(SHARE_EVENT, init);
      const take = (shared: unknown, proof: unknown) => {
        if (found === undefined && isGroup(shared) && isOriginalToString(proof)) found = shared;
      };
      reflectDefineProperty(event, 'take', dataDescriptor(take, false, false, false));
      intrinsics.dispatchEvent(relative as EventTarget, event);
    } catch {
      // A window we may not reach (cross-origin, or gone): nothing to share.
    }
    return found;
  };
  // Null unless the parent is same-origin: a cross-origin window is never touched.
  const frameElement = ownGetter(global, 'frameElement');
  const parent = ownGetter(global, 'parent');
  const fromParent =
    frameElement && parent && read(frameElement, global) !== null
      ? ask(read(parent, global))
      : undefined;
  if (fromParent) return fromParent;
  const opener = ownGetter(global, 'opener');
  const fromOpener = opener ? ask(read(opener, global)) : undefined;
  if (fromOpener) return fromOpener;
  // The top window, when it is same-origin across a cross-origin parent (A > B > A): the page
  // reaches this window from there (window[0][0]) and hands it its sockets. A cross-origin top
  // refuses the dispatch, as the opener does.
  const topGetter = ownGetter(global, 'top');
  const top = topGetter ? read(topGetter, global) : null;
  return ask(top) ?? askAcrossTree(top, ask);
}

/**
 * Asks every window of the frame tree under `top`, in tree order, until one answers: the
 * cross-origin ones refuse the dispatch. Children are read as the window's own indexed
 * properties (a child frame, whatever the origin), which no page can define or intercept, so
 * the walk runs no page code.
 */
function askAcrossTree(
  top: unknown,
  ask: (window: unknown) => HookGroup | undefined,
): HookGroup | undefined {
  if (typeof top !== 'object' || top === null) return undefined;
  const queue = nullRecord<Record<number, object>>();
  queue[0] = top;
  let head = 0;
  let tail = 1;
  while (head < tail && tail < MAX_TREE_WINDOWS) {
    const window = queue[head++]!;
    for (let index = 0; tail < MAX_TREE_WINDOWS; index++) {
      let child: unknown;
      try {
        child = ownValue(window, index);
      } catch {
        break;
      }
      if (typeof child !== 'object' || child === null) break;
      const found = ask(child);
      if (found) return found;
      queue[tail++] = child;
    }
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

function isAdoptedToString(group: HookGroup, detail: unknown): boolean {
  return typeof detail === 'function' && weakMapGet(group.adopted, detail) !== undefined;
}

function isNewDocumentOfAdopted(group: HookGroup, detail: unknown): boolean {
  if (typeof detail !== 'function') return false;
  const adopted = weakMapGet(group.adopted, detail);
  if (adopted === undefined || adopted.joined) return false;
  const current = read(adopted.documentOf, adopted.global);
  if (current === null || current === adopted.document) return false;
  adopted.joined = true;
  return true;
}

function isWeakMap(value: unknown): value is Disguises {
  if (typeof value !== 'object' || value === null) return false;
  try {
    weakMapHas(value as Disguises, brandKey);
    return true;
  } catch {
    return false;
  }
}

function isGroup(value: unknown): value is HookGroup {
  return (
    typeof value === 'object' &&
    value !== null &&
    isWeakMap(ownValue(value, 'disguises')) &&
    isWeakMap(ownValue(value, 'sockets')) &&
    isWeakMap(ownValue(value, 'adopted'))
  );
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
