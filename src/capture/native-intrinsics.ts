/**
 * Everything the recorder calls on the page's DOM objects, captured once at install, before any
 * page script runs. Later the page may replace globals or prototype methods and getters; the
 * recorder keeps using the originals, so the page can neither observe nor break it by patching
 * built-ins. (JavaScript built-ins are in page-builtins.ts.)
 */

import {
  arrayBufferByteLength,
  type Getter,
  getterOf,
  isArrayBuffer,
  isArrayBufferView,
  reflectApply,
  reflectConstruct,
  uncurryThis,
} from './page-builtins';
import { createPostTaskTimer } from './task-schedulers';

export type PageGlobal = typeof globalThis & {
  WebSocket: typeof WebSocket;
  CloseEvent?: typeof CloseEvent;
};

export function captureIntrinsics(global: PageGlobal) {
  const NativeWebSocket = global.WebSocket;
  const wsProto = NativeWebSocket.prototype;
  const performance = global.performance;
  const now = performance.now.bind(performance);
  const timeOrigin = performance.timeOrigin;
  const Blob = global.Blob;
  const blobSize: Getter<number> | undefined = Blob
    ? getterOf<number>(Blob.prototype, 'size')
    : undefined;
  // A test double of a window may lack URL: the hook's own realm has one.
  const URLConstructor = global.URL ?? URL;
  const urlOrigin = getterOf<string>(URLConstructor.prototype, 'origin');
  const setTimeoutNative = global.setTimeout;
  /** setTimeout as the page had it at install. */
  const setTimer = (callback: () => void, ms: number): void => {
    reflectApply(setTimeoutNative, global, [callback, ms]);
  };
  return {
    setTimer,
    /** A timer the page cannot notice (no timer id taken) where the browser allows it. */
    setQuietTimer: createPostTaskTimer(global) ?? setTimer,
    EventConstructor: global.Event,
    DOMExceptionConstructor: global.DOMException,
    CloseEventConstructor: global.CloseEvent,
    NativeWebSocket,
    wsProto,
    nativeSend: wsProto.send,
    nativeClose: wsProto.close,
    addEventListener: uncurryThis(global.EventTarget.prototype.addEventListener) as (
      target: EventTarget,
      type: string,
      listener: (event: Event) => void,
      options?: boolean | AddEventListenerOptions,
    ) => void,
    dispatchEvent: uncurryThis(global.EventTarget.prototype.dispatchEvent) as (
      target: EventTarget,
      event: Event,
    ) => boolean,
    stopImmediatePropagation: uncurryThis(global.Event.prototype.stopImmediatePropagation) as (
      event: Event,
    ) => void,
    MessageEvent: global.MessageEvent,
    CustomEvent: global.CustomEvent,
    customEventDetail: getterOf<unknown>(global.CustomEvent?.prototype, 'detail'),
    binaryType: getterOf<BinaryType>(wsProto, 'binaryType'),
    BlobConstructor: global.Blob,
    readyState: getterOf<number>(wsProto, 'readyState'),
    url: getterOf<string>(wsProto, 'url'),
    protocol: getterOf<string>(wsProto, 'protocol'),
    extensions: getterOf<string>(wsProto, 'extensions'),
    bufferedAmount: getterOf<number>(wsProto, 'bufferedAmount'),
    messageData: getterOf<unknown>(global.MessageEvent?.prototype, 'data'),
    closeCode: getterOf<number>(global.CloseEvent?.prototype, 'code'),
    closeReason: getterOf<string>(global.CloseEvent?.prototype, 'reason'),
    closeWasClean: getterOf<boolean>(global.CloseEvent?.prototype, 'wasClean'),
    /** The origin of a URL the browser already accepted as a socket's, or '' for none. */
    originOf(url: string): string {
      try {
        return urlOrigin(reflectConstruct(URLConstructor, [url]) as URL);
      } catch {
        return '';
      }
    },
    /** Epoch milliseconds with sub-millisecond precision. */
    epochNow: (): number => timeOrigin + now(),
    isArrayBufferView,
    arrayBufferByteLength,
    isArrayBuffer,
    /** A Blob's size in bytes (the caller knows it is a Blob). */
    blobByteSize: (blob: Blob): number => (blobSize ? blobSize(blob) : 0),
    isBlob(value: unknown): value is Blob {
      if (!blobSize || typeof value !== 'object' || value === null) return false;
      try {
        blobSize(value);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type Intrinsics = ReturnType<typeof captureIntrinsics>;
