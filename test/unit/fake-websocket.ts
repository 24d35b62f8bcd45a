/**
 * A stand-in for the browser's WebSocket with the same shape (getters on the prototype, constants,
 * EventTarget events), so the recorder can be tested without a browser. Like the browser's, it
 * converts its arguments as WebIDL says (the URL with ToString, protocols as a string or through
 * their iterator, send's data to a string unless binary) and, being "native", it uses only
 * built-ins taken when this module loads: a test may patch every other one.
 */

const { apply, defineProperty, getOwnPropertyDescriptor } = Reflect;
const createObject = Object.create;
const setPrototypeOf = Object.setPrototypeOf;
const iteratorSymbol = Symbol.iterator;
const DOMExceptionConstructor = DOMException;
const TypeErrorConstructor = TypeError;
const SyntaxErrorConstructor = SyntaxError;
const regExpExec = RegExp.prototype.exec;
const dispatch = EventTarget.prototype.dispatchEvent;
const ArrayBufferIsView = ArrayBuffer.isView;
const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
const blobSize = getOwnPropertyDescriptor(Blob.prototype, 'size')!.get!;

/** Appends to an array without a store that a setter on Array.prototype could see. */
function append(list: unknown[], value: unknown): void {
  const descriptor = createObject(null) as PropertyDescriptor;
  descriptor.value = value;
  descriptor.writable = true;
  descriptor.enumerable = true;
  descriptor.configurable = true;
  defineProperty(list, list.length, descriptor);
}

function hasBrand(value: unknown, getter: () => unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    apply(getter, value, []);
    return true;
  } catch {
    return false;
  }
}

function init<T extends object>(fields: T): T {
  return setPrototypeOf(fields, null) as T;
}

/**
 * WebIDL's string conversion as a browser's binding does it: the engine's own failures (a Symbol,
 * an object without a primitive) come out as the binding's TypeError, whose message names the
 * call, as Blink's does; what the page's code throws goes through as it is.
 */
function toDOMString(value: unknown, context: string): string {
  try {
    return `${value as string}`;
  } catch (error) {
    if (
      error instanceof TypeErrorConstructor &&
      (error.message === 'Cannot convert a Symbol value to a string' ||
        error.message === 'Cannot convert object to primitive value')
    )
      throw new TypeErrorConstructor(`${context}: ${error.message}`);
    throw error;
  }
}

const CONSTRUCT = "Failed to construct 'WebSocket'";

/** A protocol token as RFC 6455 allows it (HTTP token characters). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * WebIDL's conversion of `(DOMString or sequence<DOMString>)`, as a browser does it: `valueFirst`
 * reads each step's `value` before its `done`, as Blink does.
 */
function convertProtocols(value: unknown, valueFirst: boolean): string[] {
  const protocols: string[] = [];
  if (value === undefined) return protocols;
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    append(protocols, toDOMString(value, CONSTRUCT));
    return protocols;
  }
  const method = (value as { [iteratorSymbol]?: unknown })[iteratorSymbol];
  if (method === undefined || method === null) {
    append(protocols, toDOMString(value, CONSTRUCT));
    return protocols;
  }
  if (typeof method !== 'function')
    throw new TypeErrorConstructor("Failed to construct 'WebSocket': not iterable");
  const iterator: unknown = apply(method, value, []);
  if ((typeof iterator !== 'object' && typeof iterator !== 'function') || iterator === null)
    throw new TypeErrorConstructor("Failed to construct 'WebSocket': no iterator");
  const next = (iterator as { next: unknown }).next;
  for (;;) {
    if (typeof next !== 'function')
      throw new TypeErrorConstructor("Failed to construct 'WebSocket': next is not a function");
    const result: unknown = apply(next, iterator, []);
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null)
      throw new TypeErrorConstructor("Failed to construct 'WebSocket': result is not an object");
    let item: unknown;
    if (valueFirst) {
      item = (result as IteratorResult<unknown>).value;
      if ((result as IteratorResult<unknown>).done) return protocols;
    } else {
      if ((result as IteratorResult<unknown>).done) return protocols;
      item = (result as IteratorResult<unknown>).value;
    }
    append(protocols, toDOMString(item, CONSTRUCT));
  }
}

export class FakeCloseEvent extends Event {
  #code: number;
  #reason: string;
  #wasClean: boolean;
  constructor(type: string, init: { code: number; reason: string; wasClean: boolean }) {
    super(type);
    this.#code = init.code;
    this.#reason = init.reason;
    this.#wasClean = init.wasClean;
  }
  get code() {
    return this.#code;
  }
  get reason() {
    return this.#reason;
  }
  get wasClean() {
    return this.#wasClean;
  }
}

class TrustedEvent extends Event {
  override get isTrusted() {
    return true;
  }
}
class TrustedMessageEvent extends MessageEvent<unknown> {
  override get isTrusted() {
    return true;
  }
}
class TrustedCloseEvent extends FakeCloseEvent {
  override get isTrusted() {
    return true;
  }
}

export function createFakeWebSocketClass({ valueFirst = false } = {}) {
  class WebSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    #readyState = 0;
    #url: string;
    #protocol = '';
    #bufferedAmount = 0;
    /** What send() received, after its conversion. */
    sentData: unknown[] = [];
    /** The protocols the constructor received, after its conversion. */
    requestedProtocols: string[];
    binaryType: 'blob' | 'arraybuffer' = 'blob';
    constructor(...args: [url?: string | URL, protocols?: string | string[]]) {
      super();
      if (args.length === 0)
        throw new TypeErrorConstructor(
          "Failed to construct 'WebSocket': 1 argument required, but only 0 present.",
        );
      const url = args[0];
      const protocols = args.length > 1 ? args[1] : undefined;
      const text = toDOMString(url, CONSTRUCT);
      this.requestedProtocols = convertProtocols(protocols, valueFirst);
      if (apply(regExpExec, /^wss?:\/\//, [text]) === null)
        throw new SyntaxErrorConstructor(`The URL '${text}' is invalid.`);
      for (let i = 0; i < this.requestedProtocols.length; i++) {
        const protocol = this.requestedProtocols[i]!;
        let duplicate = false;
        for (let j = 0; j < i; j++) duplicate ||= this.requestedProtocols[j] === protocol;
        if (duplicate || apply(regExpExec, TOKEN, [protocol]) === null)
          throw new DOMExceptionConstructor(
            `The subprotocol '${protocol}' is invalid.`,
            'SyntaxError',
          );
      }
      this.#url = text;
    }
    get readyState() {
      return this.#readyState;
    }
    get url() {
      return this.#url;
    }
    get protocol() {
      return this.#protocol;
    }
    get extensions() {
      return '';
    }
    get bufferedAmount() {
      return this.#bufferedAmount;
    }
    send(...args: [data?: unknown]) {
      // The receiver is checked before anything is converted.
      void this.#readyState;
      if (args.length === 0)
        throw new TypeErrorConstructor(
          "Failed to execute 'send' on 'WebSocket': 1 argument required, but only 0 present.",
        );
      const data = args[0];
      const binary =
        ArrayBufferIsView(data) ||
        hasBrand(data, arrayBufferByteLength) ||
        hasBrand(data, blobSize);
      const converted = binary
        ? data
        : toDOMString(data, "Failed to execute 'send' on 'WebSocket'");
      if (this.#readyState === 0)
        throw new DOMExceptionConstructor('Still in CONNECTING state.', 'InvalidStateError');
      append(this.sentData, converted);
      this.#bufferedAmount += 1;
    }
    close(code?: number, reason?: string) {
      if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
        throw new DOMExceptionConstructor('invalid code', 'InvalidAccessError');
      }
      this.#readyState = 2;
      void reason;
    }
    // Test controls, standing in for the network: the events they dispatch are trusted, as the
    // browser's are (a page's own dispatchEvent makes untrusted ones).
    serverOpens(protocol = '') {
      this.#readyState = 1;
      this.#protocol = protocol;
      apply(dispatch, this, [new TrustedEvent('open')]);
    }
    serverSends(data: unknown) {
      apply(dispatch, this, [new TrustedMessageEvent('message', init({ data }))]);
    }
    serverFails() {
      apply(dispatch, this, [new TrustedEvent('error')]);
    }
    serverCloses(code: number, reason: string, wasClean = true) {
      this.#readyState = 3;
      apply(dispatch, this, [new TrustedCloseEvent('close', { code, reason, wasClean })]);
    }
  }
  for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
  }
  return WebSocket;
}

export type FakeWebSocket = InstanceType<ReturnType<typeof createFakeWebSocketClass>>;
