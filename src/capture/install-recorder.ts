import type { CaptureEvent, ConnectionId, FrameOrigin } from '../protocol/capture-events';
import type { CommandPayload } from '../protocol/page-commands';
import { base64ToBuffer } from './base64';
import { installNativeToString, replaceValue } from './disguise-as-native';
import type { EventLog, FramePayload } from './event-log';
import { InterceptGate, type QueuedFrame } from './intercept-gate';
import { captureIntrinsics, type Intrinsics, type PageGlobal } from './native-intrinsics';
import {
  getterOf,
  isSharedArrayBuffer,
  nullRecord,
  objectHasOwn,
  ProxyConstructor,
  reflectApply,
  reflectConstruct,
  reflectDefineProperty,
  reflectGetOwnPropertyDescriptor,
  safeSequence,
  toOwnArray,
  weakMapGet,
  weakMapHas,
  weakMapSet,
  withoutPrototype,
} from './page-builtins';
import { copyBinary, snapshotBinary } from './payload-snapshot';
import { convertProtocols, convertString, readsValueFirst } from './webidl-conversions';

export interface RecorderSink {
  /** Receives each event but frames; `bytes` is the memory its payload holds (0 if none). */
  record(event: CaptureEvent, bytes: number): void;
  /** Receives each sent or received frame field by field, so that recording allocates nothing. */
  frame(...fields: Parameters<EventLog['appendFrame']>): void;
  /** A recorded connection's URL and requested protocols, while the sink remembers it. */
  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined;
}

export interface RecorderSettings {
  /** Bytes of a binary payload kept; the rest is counted, not copied. */
  payloadCap: number;
}

interface SocketState {
  id: ConnectionId;
  closeRequested: boolean;
  /** The hook that recorded the socket: a send or close through any window's hook goes to it. */
  owner: SocketOwner;
}

interface SocketOwner {
  gate: InterceptGate;
  recordSend(socket: WebSocket, id: ConnectionId, data: unknown, origin: FrameOrigin): void;
  recordCloseRequest(
    state: SocketState,
    code: number | null,
    reason: string,
    byUser: boolean,
  ): void;
}

export interface Recorder {
  readonly intrinsics: Intrinsics;
  readonly gate: InterceptGate;
  settings: RecorderSettings;
  /** The socket with this id, while the page holds it (commands act on it). */
  socketById(id: ConnectionId): WebSocket | undefined;
  /** Sends on a socket as the page would, recording the frame with the given origin. */
  sendAs(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Makes the page receive `data` as if the server had sent it (a MessageEvent, in native order). */
  deliver(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Closes a socket for the user; throws the browser's own error for an invalid code or reason. */
  closeAs(socket: WebSocket, code: number, reason: string): void;
  /** Opens a new, recorded socket in the page, as `new WebSocket(url, protocols)` would. */
  open(url: string, protocols: string[]): WebSocket;
  /** What a send or a message event carries for a user's payload, on this socket. */
  dataFor(socket: WebSocket, payload: CommandPayload, direction: 'outgoing' | 'incoming'): unknown;
  /** A connection's URL and requested protocols, as recorded (bounded: see ConnectionRegistry). */
  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined;
}

/**
 * Replaces the page's `WebSocket` with a Proxy of the native constructor that records every
 * connection, send, message, error and close, while the page sees the same constructor,
 * prototype, descriptors, exceptions, events and `Function.prototype.toString` as without it.
 *
 * Page-world code (see page-builtins.ts): once installed, it calls only built-ins captured before
 * any page script ran, and the page code it runs (an argument's toString, a protocols iterator)
 * runs exactly as often, and in the same order, as without it.
 */
export function installRecorder(
  global: PageGlobal,
  sink: RecorderSink,
  settings: RecorderSettings,
): Recorder {
  const intrinsics = captureIntrinsics(global);
  const { NativeWebSocket } = intrinsics;
  const valueFirst = readsValueFirst(NativeWebSocket);
  const { disguise, group } = installNativeToString(global, intrinsics);
  // Shared with the hooks of every same-origin window of the page (see HookGroup).
  const states = group.sockets as WeakMap<object, SocketState>;
  // The sockets commands can act on, until their close event. Held strongly: the browser keeps a
  // socket that has listeners (ours) alive until then anyway, and a WeakRef per socket costs
  // construction time. A null-prototype record, not a Map: the page may patch Map.prototype.
  const sockets: Record<ConnectionId, WebSocket> = nullRecord();
  let nextId = 1;
  /** The message event we are dispatching ourselves (deliver, or forwarding a held frame). */
  let synthetic: { event: Event; origin: FrameOrigin } | null = null;

  /** The payload to keep: text as the string itself, binary as a copy, a Blob as is. */
  function framePayloadOf(data: unknown): FramePayload {
    if (typeof data === 'string') return data;
    if (intrinsics.isBlob(data)) return { kind: 'blob', blob: data };
    return snapshotBinary(data as ArrayBuffer, recorder.settings.payloadCap);
  }

  /** Memory a kept payload holds: text 2 bytes per UTF-16 unit at most, a Blob all of it. */
  function payloadBytes(payload: FramePayload): number {
    if (typeof payload === 'string') return payload.length * 2;
    if (payload.kind === 'text') return payload.text.length * 2;
    if (payload.kind === 'blob') return intrinsics.blobByteSize(payload.blob);
    return intrinsics.arrayBufferByteLength(payload.bytes);
  }

  function recordSend(socket: WebSocket, id: ConnectionId, data: unknown, origin: FrameOrigin) {
    const payload = framePayloadOf(data);
    sink.frame(
      'sent',
      id,
      intrinsics.epochNow(),
      payload,
      payloadBytes(payload),
      intrinsics.readyState(socket),
      intrinsics.bufferedAmount(socket),
      origin,
    );
  }

  function recordReceive(id: ConnectionId, data: unknown, origin: FrameOrigin) {
    const payload = framePayloadOf(data);
    sink.frame('received', id, intrinsics.epochNow(), payload, payloadBytes(payload), 0, 0, origin);
  }

  function dispatchMessage(socket: WebSocket, data: unknown, origin: FrameOrigin) {
    // Without prototype: the constructor reads every member (`ports`, `source`...), and one
    // missing must not be looked up on Object.prototype, where the page can put a getter.
    const init = nullRecord<MessageEventInit>();
    init.data = data;
    init.origin = intrinsics.originOf(intrinsics.url(socket));
    const event = new intrinsics.MessageEvent('message', init);
    synthetic = { event, origin };
    try {
      intrinsics.dispatchEvent(socket, event);
    } finally {
      synthetic = null;
    }
  }

  const gate = new InterceptGate({
    pass(frame: QueuedFrame, data: unknown, origin: 'page' | 'edited') {
      if (frame.direction === 'outgoing') sendAs(frame.socket, data, origin);
      else dispatchMessage(frame.socket, data, origin);
    },
    drop(frame) {
      if (frame.direction === 'outgoing')
        recordSend(frame.socket, frame.connectionId, frame.data, 'dropped');
      else recordReceive(frame.connectionId, frame.data, 'dropped');
    },
    held(frame, payload) {
      sink.record(
        {
          type: 'held',
          id: frame.connectionId,
          time: intrinsics.epochNow(),
          heldId: frame.heldId!,
          direction: frame.direction,
          payload,
        },
        payloadBytes(payload),
      );
    },
    released(frame, heldId, action) {
      sink.record(
        {
          type: 'released',
          id: frame.connectionId,
          time: intrinsics.epochNow(),
          heldId,
          action,
        },
        0,
      );
    },
    payloadOf: (data) => {
      const payload = framePayloadOf(data);
      return typeof payload === 'string' ? { kind: 'text', text: payload } : payload;
    },
    dataFor: (frame, payload) => dataFor(frame.socket, payload, frame.direction),
  });

  const owner: SocketOwner = { gate, recordSend, recordCloseRequest };

  function watch(socket: WebSocket, requestedUrl: string, protocols: string[]) {
    const state: SocketState = { id: nextId++, closeRequested: false, owner };
    weakMapSet(states, socket, state);
    sockets[state.id] = socket;
    sink.record(
      {
        type: 'created',
        id: state.id,
        time: intrinsics.epochNow(),
        requestedUrl,
        url: intrinsics.url(socket),
        protocols,
      },
      0,
    );
    // Registered before any page code can add its own, so they run first (the message listener
    // may hold the event). One function per event type, shared by every socket (`this` is the
    // socket): a listener costs Firefox several microseconds, a new closure per socket more.
    intrinsics.addEventListener(socket, 'open', onOpen);
    intrinsics.addEventListener(socket, 'message', onMessage);
    intrinsics.addEventListener(socket, 'error', onError);
    intrinsics.addEventListener(socket, 'close', onClose);
  }

  // Only the browser's own events are the connection's (isTrusted is an unforgeable own property
  // of each event): one the page dispatches on a socket reaches its listeners as usual, but is no
  // frame, open, error or close of the connection, and is not recorded.

  function onOpen(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    sink.record(
      {
        type: 'opened',
        id: state.id,
        time: intrinsics.epochNow(),
        protocol: intrinsics.protocol(this),
        extensions: intrinsics.extensions(this),
      },
      0,
    );
  }

  function onMessage(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (state === undefined) return;
    if (synthetic !== null && synthetic.event === event) {
      recordReceive(state.id, intrinsics.messageData(event), synthetic.origin);
      return;
    }
    if (!event.isTrusted) return;
    const data = intrinsics.messageData(event);
    if (gate.active && gate.offer(this, state.id, 'incoming', data)) {
      intrinsics.stopImmediatePropagation(event);
      return;
    }
    recordReceive(state.id, data, 'page');
  }

  function onError(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    sink.record({ type: 'error', id: state.id, time: intrinsics.epochNow() }, 0);
  }

  function onClose(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    const wasClean = intrinsics.closeWasClean(event);
    sink.record(
      {
        type: 'closed',
        id: state.id,
        time: intrinsics.epochNow(),
        code: intrinsics.closeCode(event),
        reason: intrinsics.closeReason(event),
        wasClean,
        initiator: state.closeRequested ? 'client' : wasClean ? 'server' : 'unknown',
      },
      0,
    );
    delete sockets[state.id];
  }

  /**
   * Puts our WebSocket, send and close in a window (this one, or a same-origin window of the
   * page's that no hook has reached), and watches the getters through which the page reaches
   * that window's own child windows.
   */
  function hookRealm(realmGlobal: PageGlobal, realm: Intrinsics, realmDisguise: typeof disguise) {
    const WebSocketProxy: typeof WebSocket = new ProxyConstructor(
      realm.NativeWebSocket,
      withoutPrototype({
        construct(target: typeof WebSocket, args: unknown[], newTarget: object) {
          const nativeTarget = newTarget === WebSocketProxy ? target : newTarget;
          // No URL: the native constructor throws its own TypeError.
          if (args.length === 0) return reflectConstruct(target, args, nativeTarget);
          // WebIDL converts the URL, then the protocols, each once, running page code as it goes.
          const url = convertString(args[0]);
          if (url.text === undefined) return reflectConstruct(target, [url.standIn], nativeTarget);
          const converted = convertProtocols(args.length > 1 ? args[1] : undefined, valueFirst);
          const nativeArgs =
            converted.argument === undefined ? [url.text] : [url.text, converted.argument];
          const socket = reflectConstruct(target, nativeArgs, nativeTarget) as WebSocket;
          watch(socket, url.text, toOwnArray(converted.protocols));
          return socket;
        },
      }),
    );

    /** The recorded state of a receiver, if it is one of the sockets the hooks know. */
    const stateOf = (receiver: unknown) =>
      typeof receiver === 'object' && receiver !== null ? weakMapGet(states, receiver) : undefined;

    const sendProxy = new ProxyConstructor(
      realm.nativeSend,
      withoutPrototype({
        apply(target: WebSocket['send'], thisArg: unknown, args: unknown[]) {
          const state = stateOf(thisArg);
          let data: unknown = args[0];
          // WebIDL converts anything that is not binary to a string; convert once here so the
          // page's toString runs exactly once, as it would natively, and record what was sent.
          // Not for a receiver that is no WebSocket: the browser refuses it before converting.
          if (
            args.length > 0 &&
            typeof data !== 'string' &&
            !isBinary(data) &&
            (state !== undefined || isSocket(thisArg))
          ) {
            const converted = convertString(data);
            // Not convertible: the native send throws its own error, and nothing was sent.
            if (converted.text === undefined)
              return reflectApply(target, thisArg, [converted.standIn]);
            data = converted.text;
            args = [data];
          }
          // Intercept holds a frame only where native send would accept it (not while CONNECTING).
          const owner = state?.owner;
          if (owner?.gate.active && args.length > 0 && intrinsics.readyState(thisArg!) !== 0) {
            if (owner.gate.offer(thisArg as WebSocket, state!.id, 'outgoing', ownCopy(data)))
              return undefined;
          }
          const result = reflectApply(target, thisArg, args);
          if (state) state.owner.recordSend(thisArg as WebSocket, state.id, data, 'page');
          return result;
        },
      }),
    );

    const closeProxy = new ProxyConstructor(
      realm.nativeClose,
      withoutPrototype({
        apply(target: WebSocket['close'], thisArg: unknown, args: unknown[]) {
          const state = stateOf(thisArg);
          const before = state ? intrinsics.readyState(thisArg!) : 3;
          const result = reflectApply(target, thisArg, args);
          if (state && before < 2) {
            state.owner.recordCloseRequest(
              state,
              typeof args[0] === 'number' ? args[0] : null,
              typeof args[1] === 'string' ? args[1] : '',
              false,
            );
          }
          return result;
        },
      }),
    );

    realmDisguise(WebSocketProxy, realm.NativeWebSocket);
    realmDisguise(sendProxy, realm.nativeSend);
    realmDisguise(closeProxy, realm.nativeClose);
    replaceValue(realm.wsProto, 'send', sendProxy);
    replaceValue(realm.wsProto, 'close', closeProxy);
    replaceValue(realm.wsProto, 'constructor', WebSocketProxy);
    replaceValue(realmGlobal, 'WebSocket', WebSocketProxy);
    watchChildRealms(realmGlobal, realmDisguise, adoptRealm);
  }

  /** Hooks a window the page just reached, if same-origin and its WebSocket is not ours yet. */
  function adoptRealm(candidate: unknown): void {
    try {
      const descriptor = reflectGetOwnPropertyDescriptor(candidate as object, 'WebSocket');
      if (descriptor === undefined || !objectHasOwn(descriptor, 'value')) return;
      const value = descriptor.value;
      if (typeof value !== 'function' || weakMapHas(group.disguises, value)) return;
      const child = candidate as PageGlobal;
      const childIntrinsics = captureIntrinsics(child);
      if (childIntrinsics.NativeWebSocket !== value) return;
      const childToString = installNativeToString(child, childIntrinsics, group);
      hookRealm(child, childIntrinsics, childToString.disguise);
    } catch {
      // A cross-origin window, or one going away: nothing the page can use there.
    }
  }

  function recordCloseRequest(
    state: SocketState,
    code: number | null,
    reason: string,
    byUser: boolean,
  ) {
    state.closeRequested = true;
    sink.record(
      { type: 'close-requested', id: state.id, time: intrinsics.epochNow(), code, reason, byUser },
      0,
    );
  }

  /** A held outgoing frame must not change if the page reuses its buffer afterwards. */
  function ownCopy(data: unknown): unknown {
    if (typeof data === 'string' || intrinsics.isBlob(data)) return data;
    return copyBinary(data as ArrayBuffer);
  }

  /** A WebSocket of any window (one made before the hook, or in another frame, has no state). */
  function isSocket(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    try {
      intrinsics.readyState(value);
      return true;
    } catch {
      return false;
    }
  }

  function isBinary(value: unknown): boolean {
    return (
      intrinsics.isArrayBufferView(value) ||
      intrinsics.isArrayBuffer(value) ||
      intrinsics.isBlob(value) ||
      // Refused by the native send (a TypeError): passed on as is, never turned into text.
      isSharedArrayBuffer(value)
    );
  }

  function socketById(id: ConnectionId): WebSocket | undefined {
    return sockets[id];
  }

  function sendAs(socket: WebSocket, data: unknown, origin: FrameOrigin): void {
    reflectApply(intrinsics.nativeSend, socket, [data]);
    const state = weakMapGet(states, socket);
    if (state) recordSend(socket, state.id, data, origin);
  }

  function dataFor(
    socket: WebSocket,
    payload: CommandPayload,
    direction: 'outgoing' | 'incoming',
  ): unknown {
    if (payload.kind === 'text') return payload.text;
    const buffer = base64ToBuffer(payload.base64);
    if (direction === 'incoming' && intrinsics.binaryType(socket) === 'blob')
      return new intrinsics.BlobConstructor(safeSequence([buffer]) as BlobPart[]);
    return buffer;
  }

  const recorder: Recorder = {
    intrinsics,
    gate,
    settings,
    socketById,
    sendAs,
    deliver: dispatchMessage,
    closeAs(socket, code, reason) {
      const state = weakMapGet(states, socket);
      const before = intrinsics.readyState(socket);
      reflectApply(intrinsics.nativeClose, socket, [code, reason]);
      if (state && before < 2) recordCloseRequest(state, code, reason, true);
    },
    open(url, protocols) {
      const count = protocols.length;
      const args =
        count === 0 ? [url] : [url, count === 1 ? protocols[0] : safeSequence(protocols)];
      const socket = reflectConstruct(NativeWebSocket, args) as WebSocket;
      watch(socket, url, protocols);
      return socket;
    },
    dataFor,
    describe: (id) => sink.describe(id),
  };

  // A window another hook adopted first (see adoptRealm) records there already.
  const current = reflectGetOwnPropertyDescriptor(global, 'WebSocket');
  const adopted = current !== undefined && weakMapHas(group.disguises, current.value as object);
  if (!adopted) hookRealm(global, intrinsics, disguise);
  return recorder;
}

/** The elements whose getters hand the page a child window (or its document). */
const FRAME_ELEMENTS = ['HTMLIFrameElement', 'HTMLFrameElement', 'HTMLObjectElement'];

/**
 * Wraps, disguised as native, the getters and functions through which a page reaches another
 * window of its own origin (a frame's contentWindow and contentDocument, window.open's result),
 * so that such a window is hooked (`adopt`) before the page gets it, even where no content script
 * has run or will run: a frame's initial about:blank, a sandboxed frame without scripts.
 */
function watchChildRealms(
  realmGlobal: PageGlobal,
  disguise: (wrapper: object, native: object) => void,
  adopt: (candidate: unknown) => void,
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
  disguise: (wrapper: object, native: object) => void,
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
