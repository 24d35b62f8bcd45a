import type {
  CaptureEvent,
  ConnectionId,
  FrameOrigin,
  PagePayload,
  ReadyState,
} from '../protocol/capture-events';
import { installNativeToString, replaceValue } from './disguise-as-native';
import { captureIntrinsics, type Intrinsics, type PageGlobal } from './native-intrinsics';
import { snapshotBinary } from './payload-snapshot';

export interface RecorderSink {
  /** Receives each event; `bytes` is the payload's captured size, `buffer` a transferable copy. */
  record(event: CaptureEvent, bytes: number, buffer?: ArrayBuffer): void;
}

export interface RecorderSettings {
  /** Bytes of a binary payload kept; the rest is counted, not copied. */
  payloadCap: number;
}

interface SocketState {
  id: ConnectionId;
  closeRequested: boolean;
}

export interface Recorder {
  readonly intrinsics: Intrinsics;
  settings: RecorderSettings;
  /** The socket with this id, while the page holds it (commands act on it). */
  socketById(id: ConnectionId): WebSocket | undefined;
  /** Sends on a socket as the page would, recording the frame with the given origin. */
  sendAs(socket: WebSocket, data: string | ArrayBuffer, origin: FrameOrigin): void;
}

/**
 * Replaces the page's `WebSocket` with a Proxy of the native constructor that records every
 * connection, send, message, error and close, while the page sees the same constructor,
 * prototype, descriptors, exceptions, events and `Function.prototype.toString` as without it.
 */
export function installRecorder(
  global: PageGlobal,
  sink: RecorderSink,
  settings: RecorderSettings,
): Recorder {
  const intrinsics = captureIntrinsics(global);
  const { NativeWebSocket, wsProto, reflectApply, reflectConstruct, weakMapGet, weakMapSet } =
    intrinsics;
  const disguise = installNativeToString(global, intrinsics);
  const states = new intrinsics.WeakMap<object, SocketState>();
  // A null-prototype record, not a Map: the page may patch Map.prototype after we install.
  const sockets: Record<ConnectionId, WeakRef<WebSocket>> = Object.create(null);
  let nextId = 1;
  const recorder: Recorder = { intrinsics, settings, socketById, sendAs };

  function payloadOf(data: unknown): { payload: PagePayload; bytes: number; buffer?: ArrayBuffer } {
    if (typeof data === 'string')
      return { payload: { kind: 'text', text: data }, bytes: data.length };
    if (intrinsics.isBlob(data)) return { payload: { kind: 'blob', blob: data }, bytes: 0 };
    const payload = snapshotBinary(intrinsics, data as ArrayBuffer, recorder.settings.payloadCap);
    const buffer = payload.kind === 'bytes' ? payload.bytes : undefined;
    return { payload, bytes: buffer ? intrinsics.arrayBufferByteLength(buffer) : 0, buffer };
  }

  function recordSend(socket: WebSocket, state: SocketState, data: unknown, origin: FrameOrigin) {
    const { payload, bytes, buffer } = payloadOf(data);
    sink.record(
      {
        type: 'sent',
        id: state.id,
        time: intrinsics.epochNow(),
        payload,
        readyState: intrinsics.readyState(socket) as ReadyState,
        bufferedAmount: intrinsics.bufferedAmount(socket),
        origin,
      },
      bytes,
      buffer,
    );
  }

  function watch(socket: WebSocket, requestedUrl: string, protocols: string[]) {
    const state: SocketState = { id: nextId++, closeRequested: false };
    weakMapSet(states, socket, state);
    sockets[state.id] = new WeakRef(socket);
    const { id } = state;
    sink.record(
      {
        type: 'created',
        id,
        time: intrinsics.epochNow(),
        requestedUrl,
        url: intrinsics.url(socket),
        protocols,
      },
      0,
    );
    intrinsics.addEventListener(socket, 'open', () => {
      sink.record(
        {
          type: 'opened',
          id,
          time: intrinsics.epochNow(),
          protocol: intrinsics.protocol(socket),
          extensions: intrinsics.extensions(socket),
        },
        0,
      );
    });
    intrinsics.addEventListener(socket, 'message', (event: Event) => {
      const { payload, bytes, buffer } = payloadOf(intrinsics.messageData(event));
      sink.record(
        { type: 'received', id, time: intrinsics.epochNow(), payload, origin: 'page' },
        bytes,
        buffer,
      );
    });
    intrinsics.addEventListener(socket, 'error', () => {
      sink.record({ type: 'error', id, time: intrinsics.epochNow() }, 0);
    });
    intrinsics.addEventListener(socket, 'close', (event: Event) => {
      const wasClean = intrinsics.closeWasClean(event);
      sink.record(
        {
          type: 'closed',
          id,
          time: intrinsics.epochNow(),
          code: intrinsics.closeCode(event),
          reason: intrinsics.closeReason(event),
          wasClean,
          initiator: state.closeRequested ? 'client' : wasClean ? 'server' : 'unknown',
        },
        0,
      );
      delete sockets[id];
    });
  }

  const WebSocketProxy = new intrinsics.Proxy(NativeWebSocket, {
    construct(target, args, newTarget) {
      const socket = reflectConstruct(
        target,
        args,
        newTarget === WebSocketProxy ? target : newTarget,
      ) as WebSocket;
      // The constructor has validated and converted its arguments. Record them without running
      // page code a second time: strings as given, anything else as the browser resolved it.
      const requestedUrl = typeof args[0] === 'string' ? args[0] : intrinsics.url(socket);
      watch(socket, requestedUrl, protocolsOf(args[1]));
      return socket;
    },
  });

  const sendProxy = new intrinsics.Proxy(intrinsics.nativeSend, {
    apply(target, thisArg, args) {
      let data: unknown = args[0];
      // WebIDL converts anything that is not binary to a string; convert once here so the page's
      // toString runs exactly once, as it would natively, and record what was actually sent.
      if (
        args.length > 0 &&
        typeof data !== 'string' &&
        typeof data !== 'symbol' &&
        !isBinary(data)
      ) {
        data = `${data as string}`;
        args = [data];
      }
      const result = reflectApply(target, thisArg, args);
      const state =
        typeof thisArg === 'object' && thisArg !== null ? weakMapGet(states, thisArg) : undefined;
      if (state) recordSend(thisArg as WebSocket, state, data, 'page');
      return result;
    },
  });

  const closeProxy = new intrinsics.Proxy(intrinsics.nativeClose, {
    apply(target, thisArg, args) {
      const state =
        typeof thisArg === 'object' && thisArg !== null ? weakMapGet(states, thisArg) : undefined;
      const before = state ? intrinsics.readyState(thisArg) : 3;
      const result = reflectApply(target, thisArg, args);
      if (state && before < 2) {
        state.closeRequested = true;
        sink.record(
          {
            type: 'close-requested',
            id: state.id,
            time: intrinsics.epochNow(),
            code: typeof args[0] === 'number' ? args[0] : null,
            reason: typeof args[1] === 'string' ? args[1] : '',
          },
          0,
        );
      }
      return result;
    },
  });

  /** Protocols as strings, read by index only when the page passed an array of strings. */
  function protocolsOf(value: unknown): string[] {
    if (value === undefined) return [];
    if (typeof value === 'string') return [value];
    const protocols: string[] = [];
    if (!intrinsics.isArray(value)) return protocols;
    for (let i = 0; i < value.length; i++) {
      const protocol: unknown = value[i];
      protocols[i] = typeof protocol === 'string' ? protocol : '';
    }
    return protocols;
  }

  function isBinary(value: unknown): boolean {
    return (
      intrinsics.isArrayBufferView(value) ||
      intrinsics.isArrayBuffer(value) ||
      intrinsics.isBlob(value)
    );
  }

  function socketById(id: ConnectionId): WebSocket | undefined {
    const ref = sockets[id];
    return ref ? intrinsics.weakRefDeref(ref) : undefined;
  }

  function sendAs(socket: WebSocket, data: string | ArrayBuffer, origin: FrameOrigin): void {
    reflectApply(intrinsics.nativeSend, socket, [data]);
    const state = weakMapGet(states, socket);
    if (state) recordSend(socket, state, data, origin);
  }

  disguise(WebSocketProxy, NativeWebSocket);
  disguise(sendProxy, intrinsics.nativeSend);
  disguise(closeProxy, intrinsics.nativeClose);
  replaceValue(intrinsics, wsProto, 'send', sendProxy);
  replaceValue(intrinsics, wsProto, 'close', closeProxy);
  replaceValue(intrinsics, wsProto, 'constructor', WebSocketProxy);
  replaceValue(intrinsics, global, 'WebSocket', WebSocketProxy);
  return recorder;
}
