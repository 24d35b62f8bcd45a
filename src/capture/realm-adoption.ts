import { type HookGroup, installNativeToString, replaceValue } from './disguise-as-native';
import { captureIntrinsics, type Intrinsics, type PageGlobal } from './native-intrinsics';
import {
  getterOf,
  nullRecord,
  objectHasOwn,
  ProxyConstructor,
  reflectApply,
  reflectDefineProperty,
  reflectGetOwnPropertyDescriptor,
  weakMapHas,
  withoutPrototype,
} from './page-builtins';

type Disguise = (wrapper: object, native: object) => void;

/** Puts the hook's wrappers in a window: `realm` is its intrinsics, `disguise` its toString's. */
export type HookWindow = (realmGlobal: PageGlobal, realm: Intrinsics, disguise: Disguise) => void;

/** The elements whose getters hand the page a child window (or its document). */
const FRAME_ELEMENTS = ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'];

/**
 * Hooks a window the page just reached, if same-origin and its WebSocket is nobody's yet (no
 * content script has run there, or will: a frame's initial about:blank, a sandboxed frame
 * without scripts, a window used in the task that made it). It joins the group of `group`.
 */
export function adoptWindow(candidate: unknown, group: HookGroup, hook: HookWindow): void {
  try {
    const descriptor = reflectGetOwnPropertyDescriptor(candidate as object, 'WebSocket');
    if (descriptor === undefined || !objectHasOwn(descriptor, 'value')) return;
    const value = descriptor.value;
    if (typeof value !== 'function' || weakMapHas(group.disguises, value)) return;
    const child = candidate as PageGlobal;
    const childIntrinsics = captureIntrinsics(child);
    if (childIntrinsics.NativeWebSocket !== value) return;
    const childToString = installNativeToString(child, childIntrinsics, group);
    hook(child, childIntrinsics, childToString.disguise);
  } catch {
    // A cross-origin window, or one going away: nothing the page can use there.
  }
}

/**
 * Wraps, disguised as native, the getters and functions through which a page reaches another
 * window of its own origin (a frame's contentWindow and contentDocument, window.open's result),
 * so that such a window is hooked (`adopt`) before the page gets it. `reopened` is told of each
 * document `document.open()` reset, as that call returns (see {@link wrapDocumentOpen}).
 */
export function watchChildWindows(
  realmGlobal: PageGlobal,
  disguise: Disguise,
  adopt: (candidate: unknown) => void,
  reopened: (document: unknown) => void,
): void {
  const globals = realmGlobal as unknown as Record<string, unknown>;
  const documentView = getterOf<unknown>(
    (globals.Document as typeof Document | undefined)?.prototype,
    'defaultView',
  );
  for (let i = 0; i < FRAME_ELEMENTS.length; i++) {
    const element = globals[FRAME_ELEMENTS[i]!] as { prototype: object } | undefined;
    if (typeof element !== 'function') continue;
    const proto = (element as { prototype: object }).prototype;
    const documentGetter = ownGetterOf(proto, 'contentDocument');
    const windowGetter = ownGetterOf(proto, 'contentWindow');
    if (documentGetter) {
      wrapGetter(proto, 'contentDocument', documentGetter, disguise, (result) => {
        if (result !== null && typeof result === 'object') adopt(documentView(result));
      });
    }
    if (windowGetter) {
      wrapGetter(proto, 'contentWindow', windowGetter, disguise, (result, element) => {
        // Same-origin only: a cross-origin frame's document reads as null (and is never touched).
        if (result === null || typeof result !== 'object' || documentGetter === undefined) return;
        if (reflectApply(documentGetter, element, []) !== null) adopt(result);
      });
    }
  }
  const descriptor = reflectGetOwnPropertyDescriptor(realmGlobal, 'open');
  const open = descriptor && objectHasOwn(descriptor, 'value') ? descriptor.value : undefined;
  if (typeof open === 'function') {
    const openProxy = new ProxyConstructor(
      open,
      withoutPrototype({
        apply(target: typeof open, thisArg: unknown, args: unknown[]) {
          const opened = reflectApply(target, thisArg, args);
          if (opened !== null && typeof opened === 'object') adopt(opened);
          return opened;
        },
      }),
    );
    disguise(openProxy, open);
    replaceValue(realmGlobal, 'open', openProxy);
  }
  wrapDocumentOpen(globals, disguise, adopt, reopened);
}

/**
 * `document.open()` erases every event listener of the document's window, the hook's own
 * included (its pagehide hand-over, its answer to other hooks): wrapped, disguised as native, so
 * that the hook puts them back as the call returns, before any page script runs again. The
 * three-argument form opens a window, as window.open does: that window is adopted.
 */
function wrapDocumentOpen(
  globals: Record<string, unknown>,
  disguise: Disguise,
  adopt: (candidate: unknown) => void,
  reopened: (document: unknown) => void,
): void {
  const proto = (globals.Document as typeof Document | undefined)?.prototype;
  const descriptor = proto && reflectGetOwnPropertyDescriptor(proto, 'open');
  const open = descriptor && objectHasOwn(descriptor, 'value') ? descriptor.value : undefined;
  if (typeof open !== 'function') return;
  const openProxy = new ProxyConstructor(
    open,
    withoutPrototype({
      apply(target: typeof open, thisArg: unknown, args: unknown[]) {
        const result = reflectApply(target, thisArg, args);
        if (result === thisArg) reopened(thisArg);
        else if (result !== null && typeof result === 'object') adopt(result);
        return result;
      },
    }),
  );
  disguise(openProxy, open);
  replaceValue(proto!, 'open', openProxy);
}

function ownGetterOf(proto: object, name: string): ((this: unknown) => unknown) | undefined {
  const descriptor = reflectGetOwnPropertyDescriptor(proto, name);
  return descriptor && objectHasOwn(descriptor, 'get') ? descriptor.get : undefined;
}

/** Replaces an accessor's getter with a disguised Proxy that calls `after` with each result. */
function wrapGetter(
  proto: object,
  name: string,
  getter: (this: unknown) => unknown,
  disguise: Disguise,
  after: (result: unknown, receiver: unknown) => void,
): void {
  const descriptor = reflectGetOwnPropertyDescriptor(proto, name)!;
  const getterProxy = new ProxyConstructor(
    getter,
    withoutPrototype({
      apply(target: typeof getter, thisArg: unknown, args: unknown[]) {
        const result = reflectApply(target, thisArg, args);
        after(result, thisArg);
        return result;
      },
    }),
  );
  disguise(getterProxy, getter);
  const replacement = nullRecord<PropertyDescriptor>();
  replacement.get = getterProxy;
  replacement.set = descriptor.set;
  replacement.enumerable = descriptor.enumerable;
  replacement.configurable = descriptor.configurable;
  reflectDefineProperty(proto, name, replacement);
}
