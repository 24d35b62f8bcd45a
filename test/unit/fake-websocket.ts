/**
 * A stand-in for the browser's WebSocket with the same shape (getters on the prototype, constants,
 * EventTarget events), so the recorder can be tested without a browser.
 */
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

export function createFakeWebSocketClass() {
  class WebSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    #readyState = 0;
    #url: string;
    #protocol = '';
    #bufferedAmount = 0;
    sentData: unknown[] = [];
    binaryType: 'blob' | 'arraybuffer' = 'blob';
    constructor(url: string | URL, protocols?: string | string[]) {
      super();
      const text = String(url);
      if (!/^wss?:\/\//.test(text)) throw new SyntaxError(`The URL '${text}' is invalid.`);
      this.#url = text;
      void protocols;
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
    send(data: unknown) {
      if (this.#readyState === 0)
        throw new DOMException('Still in CONNECTING state.', 'InvalidStateError');
      this.sentData.push(data);
      this.#bufferedAmount += 1;
    }
    close(code?: number, reason?: string) {
      if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
        throw new DOMException('invalid code', 'InvalidAccessError');
      }
      this.#readyState = 2;
      void reason;
    }
    // Test controls, standing in for the network: the events they dispatch are trusted, as the
    // browser's are (a page's own dispatchEvent makes untrusted ones).
    serverOpens(protocol = '') {
      this.#readyState = 1;
      this.#protocol = protocol;
      this.dispatchEvent(new TrustedEvent('open'));
    }
    serverSends(data: unknown) {
      this.dispatchEvent(new TrustedMessageEvent('message', { data }));
    }
    serverFails() {
      this.dispatchEvent(new TrustedEvent('error'));
    }
    serverCloses(code: number, reason: string, wasClean = true) {
      this.#readyState = 3;
      this.dispatchEvent(new TrustedCloseEvent('close', { code, reason, wasClean }));
    }
  }
  for (const [name, value] of Object.entries({ CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 })) {
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
  }
  return WebSocket;
}

export type FakeWebSocket = InstanceType<ReturnType<typeof createFakeWebSocketClass>>;
