/**
 * Everything the recorder calls on the page's objects, captured once at install, before any page
 * script runs. Later the page may replace globals or prototype methods; the recorder keeps using
 * the originals, so the page can neither observe nor break it by patching built-ins.
 */

type Getter<T> = (target: object) => T;

export type PageGlobal = typeof globalThis & {
  WebSocket: typeof WebSocket;
  CloseEvent?: typeof CloseEvent;
};

const uncurryThis = Function.prototype.bind.bind(Function.prototype.call) as <
  A extends unknown[],
  R,
>(
  fn: (...args: A) => R,
) => (thisArg: unknown, ...args: A) => R;

function getterOf<T>(proto: object | undefined, name: string): Getter<T> {
  let current = proto;
  while (current) {
    const descriptor = Object.getOwnPropertyDescriptor(current, name);
    if (descriptor?.get) return uncurryThis(descriptor.get) as Getter<T>;
    if (descriptor) break;
    current = Object.getPrototypeOf(current) ?? undefined;
  }
  return (target) => (target as Record<string, T>)[name] as T;
}

export function captureIntrinsics(global: PageGlobal) {
  const NativeWebSocket = global.WebSocket;
  const wsProto = NativeWebSocket.prototype;
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const performance = global.performance;
  const now = performance.now.bind(performance);
  const timeOrigin = performance.timeOrigin;
  const Blob = global.Blob;
  const blobSize = Blob ? getterOf<number>(Blob.prototype, 'size') : undefined;
  const arrayBufferByteLength = getterOf<number>(ArrayBuffer.prototype, 'byteLength');
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  return {
    NativeWebSocket,
    wsProto,
    nativeSend: wsProto.send,
    nativeClose: wsProto.close,
    addEventListener: uncurryThis(global.EventTarget.prototype.addEventListener),
    dispatchEvent: uncurryThis(global.EventTarget.prototype.dispatchEvent) as (
      target: EventTarget,
      event: Event,
    ) => boolean,
    stopImmediatePropagation: uncurryThis(global.Event.prototype.stopImmediatePropagation) as (
      event: Event,
    ) => void,
    MessageEvent: global.MessageEvent,
    CustomEvent: global.CustomEvent,
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
    /** Epoch milliseconds with sub-millisecond precision. */
    epochNow: (): number => timeOrigin + now(),
    isArrayBufferView: ArrayBuffer.isView,
    arrayBufferByteLength,
    isArrayBuffer(value: unknown): value is ArrayBuffer {
      if (typeof value !== 'object' || value === null) return false;
      try {
        arrayBufferByteLength(value);
        return true;
      } catch {
        return false;
      }
    },
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
    sliceArrayBuffer: uncurryThis(ArrayBuffer.prototype.slice) as (
      buffer: ArrayBuffer,
      begin?: number,
      end?: number,
    ) => ArrayBuffer,
    typedArrayBuffer: getterOf<ArrayBuffer>(typedArrayProto, 'buffer'),
    typedArrayByteOffset: getterOf<number>(typedArrayProto, 'byteOffset'),
    typedArrayByteLength: getterOf<number>(typedArrayProto, 'byteLength'),
    dataViewBuffer: getterOf<ArrayBuffer>(DataView.prototype, 'buffer'),
    dataViewByteOffset: getterOf<number>(DataView.prototype, 'byteOffset'),
    dataViewByteLength: getterOf<number>(DataView.prototype, 'byteLength'),
    isDataView(value: object): boolean {
      try {
        getterOf<number>(DataView.prototype, 'byteLength')(value);
        return true;
      } catch {
        return false;
      }
    },
    uint8ArraySet: uncurryThis(Uint8Array.prototype.set) as (
      target: Uint8Array,
      source: ArrayLike<number>,
      offset?: number,
    ) => void,
    weakMapGet: uncurryThis(weakMapGet) as <K extends object, V>(map: WeakMap<K, V>, key: K) => V,
    weakMapSet: uncurryThis(weakMapSet) as <K extends object, V>(
      map: WeakMap<K, V>,
      key: K,
      value: V,
    ) => WeakMap<K, V>,
    weakRefDeref: uncurryThis(WeakRef.prototype.deref) as <T extends object>(
      ref: WeakRef<T>,
    ) => T | undefined,
    isArray: Array.isArray as (value: unknown) => value is unknown[],
    functionToString: Function.prototype.toString,
    defineProperty: Object.defineProperty,
    getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
    reflectApply: Reflect.apply,
    reflectConstruct: Reflect.construct,
    Proxy,
    WeakMap,
    ArrayBuffer,
    String,
  };
}

export type Intrinsics = ReturnType<typeof captureIntrinsics>;
