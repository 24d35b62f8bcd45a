import { convertCloseArguments } from './close-arguments';
import { replaceValue } from './disguise-as-native';
import type { Intrinsics, PageGlobal } from './native-intrinsics';
import {
  isSharedArrayBuffer,
  ProxyConstructor,
  reflectApply,
  reflectConstruct,
  toOwnArray,
  withoutPrototype,
} from './page-builtins';
import { payloadSize } from './payload-size';
import type { SocketRegistry, SocketState } from './socket-registry';
import { takeStack } from './stack-capture';
import { convertProtocols, convertString } from './webidl-conversions';

/** What one window's WebSocket, send and close wrappers report to. */
export interface RealmWiring {
  /** The recording hook's intrinsics (its own window's). */
  intrinsics: Intrinsics;
  registry: SocketRegistry;
  /** The native constructor reads the protocols' value before their length (see webidl-conversions). */
  valueFirst: boolean;
  /** Makes a wrapper read as the native function it replaces (Function.prototype.toString...). */
  disguise(wrapper: object, native: object): void;
}

/**
 * Puts recording Proxies of the native WebSocket constructor, `send` and `close` in a window
 * (`realm` is that window's intrinsics): the page sees the same constructor, prototype,
 * descriptors, exceptions and argument reads as without them. Arguments are converted once, as
 * WebIDL does, and the converted values are what the native code receives.
 */
export function installWebSocketProxies(
  realmGlobal: PageGlobal,
  realm: Intrinsics,
  { intrinsics, registry, valueFirst, disguise }: RealmWiring,
): void {
  function construct(target: typeof WebSocket, args: unknown[], newTarget: object): WebSocket {
    // No URL: the native constructor throws its own TypeError.
    if (args.length === 0) {
      const bare = newTarget === WebSocketProxy ? target : newTarget;
      return reflectConstruct(target, args, bare) as WebSocket;
    }
    const nativeTarget = newTarget === WebSocketProxy ? target : prototypeReadFirst(newTarget);
    // WebIDL converts the URL, then the protocols, each once, running page code as it goes.
    const url = convertString(args[0]);
    if (url.text === undefined) {
      return reflectConstruct(target, [url.standIn], nativeTarget) as WebSocket;
    }
    const converted = convertProtocols(args.length > 1 ? args[1] : undefined, valueFirst);
    const nativeArgs =
      converted.argument === undefined ? [url.text] : [url.text, converted.argument];
    // Who opened it: the page's stack, from the call into this trap down. Taken before the
    // native constructor, not after: right after it, the same capture takes half as long again
    // (a plain page measured 20 against 30 µs in Chromium, 6.4 against 8.8 in Firefox). Wasted
    // only when the constructor throws.
    const initiator = takeStack(construct);
    const socket = reflectConstruct(target, nativeArgs, nativeTarget) as WebSocket;
    registry.watch(socket, url.text, toOwnArray(converted.protocols), initiator);
    return socket;
  }
  const WebSocketProxy: typeof WebSocket = new ProxyConstructor(
    realm.NativeWebSocket,
    withoutPrototype({ construct }),
  );

  function send(target: WebSocket['send'], thisArg: unknown, args: unknown[]): unknown {
    const state = registry.stateOf(thisArg);
    let data: unknown = args[0];
    // WebIDL converts anything that is not binary to a string; convert once here so the
    // page's toString runs exactly once, as it would natively, and record what was sent.
    // Not for a receiver that is no WebSocket: the browser refuses it before converting.
    if (
      args.length > 0 &&
      typeof data !== 'string' &&
      !isBinary(intrinsics, data) &&
      (state !== undefined || isSocket(intrinsics, thisArg))
    ) {
      const converted = convertString(data);
      // Not convertible: the native send throws its own error, and nothing was sent.
      if (converted.text === undefined) return reflectApply(target, thisArg, [converted.standIn]);
      data = converted.text;
      args = [data];
    }
    const owner = state?.owner;
    if (state?.mock !== undefined && args.length > 0)
      return sendOnMock(thisArg as WebSocket, state, data);
    // Rules act on a frame only where the native send would send it (an open socket).
    if (owner?.rules.active && args.length > 0 && intrinsics.readyState(thisArg!) === 1) {
      const socket = thisArg as WebSocket;
      state!.rules = owner.rules.rulesOf(socket, state!.rules);
      const copy = owner.frames.ownCopy(data);
      if (owner.rules.offer(socket, state!.id, 'outgoing', copy, state!.rules)) return undefined;
    }
    // Intercept holds a frame only where native send would accept it (not while CONNECTING).
    if (owner?.gate.active && args.length > 0 && intrinsics.readyState(thisArg!) !== 0) {
      const socket = thisArg as WebSocket;
      if (owner.gate.offer(socket, state!.id, 'outgoing', owner.frames.ownCopy(data)))
        return undefined;
    }
    const result = reflectApply(target, thisArg, args);
    if (state) {
      const { frames } = state.owner;
      if (frames.sendStacks()) {
        // Which code sent it: the page's stack, from the call into this trap down.
        const stack = takeStack(send);
        if (stack) frames.recordSendStack(state.id, stack);
      }
      frames.recordSend(thisArg as WebSocket, state.id, data, 'page');
    }
    return result;
  }
  const sendProxy = new ProxyConstructor(realm.nativeSend, withoutPrototype({ apply: send }));

  /** A send on a mocked socket: as the browser would treat it, answered by reply rules. */
  function sendOnMock(socket: WebSocket, state: SocketState, data: unknown): undefined {
    const mock = state.mock!;
    if (mock.readyState === 0) {
      throw reflectConstruct(intrinsics.DOMExceptionConstructor, [
        mock.sendRefusal,
        'InvalidStateError',
      ]);
    }
    registry.sentOnMock(mock, payloadSize(intrinsics, data));
    // Closing or closed: the browser discards the frame.
    if (mock.readyState !== 1) return undefined;
    const { rules, frames } = state.owner;
    const copy = frames.ownCopy(data);
    state.rules = rules.rulesOf(socket, state.rules);
    if (!rules.offer(socket, state.id, 'outgoing', copy, state.rules))
      frames.recordSend(socket, state.id, copy, 'page', true);
    return undefined;
  }

  const closeProxy = new ProxyConstructor(
    realm.nativeClose,
    withoutPrototype({
      apply(target: WebSocket['close'], thisArg: unknown, args: unknown[]) {
        const state = registry.stateOf(thisArg);
        // Not for a receiver that is no WebSocket: the browser refuses it before converting.
        if (state === undefined && !isSocket(intrinsics, thisArg)) {
          return reflectApply(target, thisArg, args);
        }
        const before = state ? intrinsics.readyState(thisArg!) : 3;
        const { nativeArgs, code, reason } = convertCloseArguments(args);
        // The native close checks the arguments (its own errors); a mock's socket is closed.
        const result = reflectApply(target, thisArg, nativeArgs);
        if (state?.mock !== undefined) {
          registry.closeMock(thisArg as WebSocket, state, code, reason);
          return result;
        }
        if (state && before < 2) state.owner.recordCloseRequest(state, code, reason, false);
        return result;
      },
    }),
  );

  disguise(WebSocketProxy, realm.NativeWebSocket);
  disguise(sendProxy, realm.nativeSend);
  disguise(closeProxy, realm.nativeClose);
  replaceValue(realm.wsProto, 'send', sendProxy);
  replaceValue(realm.wsProto, 'close', closeProxy);
  replaceValue(realm.wsProto, 'constructor', WebSocketProxy);
  replaceValue(realmGlobal, 'WebSocket', WebSocketProxy);
}

/**
 * A subclass's (or Reflect.construct's) new.target, its `prototype` read now, once, as the
 * browser reads it before it converts the arguments (a getter there runs first, and if it
 * throws, no argument is converted). The native constructor is given a stand-in that answers
 * the value read, running no page code again; a Proxy of new.target, so that the realm a
 * non-object prototype falls back to is new.target's own.
 */
function prototypeReadFirst(newTarget: object): object {
  const prototype: unknown = (newTarget as { prototype?: unknown }).prototype;
  return new ProxyConstructor(
    newTarget,
    withoutPrototype({
      get: (_target: object, key: PropertyKey) => (key === 'prototype' ? prototype : undefined),
    }),
  );
}

/** A WebSocket of any window (one made before the hook, or in another frame, has no state). */
function isSocket(intrinsics: Intrinsics, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    intrinsics.readyState(value);
    return true;
  } catch {
    return false;
  }
}

function isBinary(intrinsics: Intrinsics, value: unknown): boolean {
  return (
    intrinsics.isArrayBufferView(value) ||
    intrinsics.isArrayBuffer(value) ||
    intrinsics.isBlob(value) ||
    // Refused by the native send (a TypeError): passed on as is, never turned into text.
    isSharedArrayBuffer(value)
  );
}
