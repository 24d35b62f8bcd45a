import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../src/capture/event-log';
import { installRecorder } from '../../src/capture/install-recorder';
import { createInterceptGate } from '../../src/capture/intercept-gate';
import type { PageGlobal } from '../../src/capture/native-intrinsics';
import type { CaptureEvent } from '../../src/protocol/capture-events';
import { createFakeWebSocketClass, type FakeWebSocket } from './fake-websocket';
import { fakeWindow } from './fake-window';
import { hookEvents } from './record-helpers';

const toStringDescriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!;
type Native = ReturnType<typeof createFakeWebSocketClass>;

const windowOf = (
  FunctionConstructor: FunctionConstructor,
  WebSocketClass: Native,
  parent?: EventTarget,
) => fakeWindow(FunctionConstructor, WebSocketClass, parent);

/** A window's WebSocket whose sockets the parent's getters accept (as a real browser's do). */
function siblingClass(Native: Native): Native {
  const Sibling = class WebSocket extends Native {} as Native;
  const { send: nativeSend, close: nativeClose } = Native.prototype;
  Object.defineProperty(Sibling.prototype, 'send', {
    value: function send(this: unknown, ...args: unknown[]) {
      return Reflect.apply(nativeSend, this, args);
    },
    writable: true,
    configurable: true,
  });
  Object.defineProperty(Sibling.prototype, 'close', {
    value: function close(this: unknown, ...args: unknown[]) {
      return Reflect.apply(nativeClose, this, args);
    },
    writable: true,
    configurable: true,
  });
  return Sibling;
}

function logSink() {
  const log = new EventLog(1_000_000, Number.MAX_SAFE_INTEGER);
  return {
    sink: {
      record: (event: CaptureEvent, bytes: number) => log.appendEvent(event, bytes),
      frame: (...fields: Parameters<EventLog['appendFrame']>) => log.appendFrame(...fields),
      describe: () => undefined,
    },
    events: () => hookEvents(log.read(0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).records),
  };
}

const silent = { record: () => undefined, frame: () => undefined, describe: () => undefined };

describe('windows no hook has reached', () => {
  afterEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toStringDescriptor);
  });

  it("records a socket's send made through another same-origin window's send", () => {
    const frameFunction = runInNewContext('Function') as FunctionConstructor;
    const Native = createFakeWebSocketClass();
    const parent = windowOf(Function, Native);
    const frame = windowOf(frameFunction, siblingClass(Native), parent);
    const parentLog = logSink();
    installRecorder(
      parent as unknown as PageGlobal,
      parentLog.sink,
      { payloadCap: 64, sendStacks: false },
      createInterceptGate,
    );
    installRecorder(
      frame as unknown as PageGlobal,
      silent,
      { payloadCap: 64, sendStacks: false },
      createInterceptGate,
    );
    const ws = new parent.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    frame.WebSocket.prototype.send.call(ws, 'through the frame');
    const sent = parentLog.events().filter((event) => event.type === 'sent');
    expect(sent.map((event) => 'payload' in event && event.payload)).toEqual([
      { kind: 'text', text: 'through the frame' },
    ]);
  });

  it("hooks a child window on first access to a frame's contentWindow, disguised as native", () => {
    const frameFunction = runInNewContext('Function') as FunctionConstructor;
    const Native = createFakeWebSocketClass();
    const parent = windowOf(Function, Native);
    const ChildNative = siblingClass(Native);
    const child = windowOf(frameFunction, ChildNative, parent);
    const childDocument = { defaultView: child };
    class HTMLIFrameElement {
      get contentWindow() {
        return child;
      }
      get contentDocument() {
        return childDocument;
      }
    }
    class Document {
      get defaultView() {
        return (this as unknown as typeof childDocument).defaultView;
      }
    }
    Object.setPrototypeOf(childDocument, Document.prototype);
    Object.assign(parent, { HTMLIFrameElement, Document });
    const nativeGetter = Object.getOwnPropertyDescriptor(
      HTMLIFrameElement.prototype,
      'contentWindow',
    )!.get!;
    const nativeText = Function.prototype.toString.call(nativeGetter);
    const parentLog = logSink();
    installRecorder(
      parent as unknown as PageGlobal,
      parentLog.sink,
      { payloadCap: 64, sendStacks: false },
      createInterceptGate,
    );
    const getter = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow')!
      .get!;
    expect(getter).not.toBe(nativeGetter);
    expect([Function.prototype.toString.call(getter), getter.name, getter.length]).toEqual([
      nativeText,
      nativeGetter.name,
      nativeGetter.length,
    ]);
    expect(child.WebSocket).toBe(ChildNative);
    const reached = new HTMLIFrameElement().contentWindow;
    expect(reached.WebSocket).not.toBe(ChildNative);
    expect(frameFunction.prototype.toString.call(reached.WebSocket)).toBe(
      Function.prototype.toString.call(ChildNative),
    );
    const ws = new reached.WebSocket('ws://example.test/child') as unknown as FakeWebSocket;
    ws.serverOpens();
    ws.send('from the child');
    const kinds = parentLog.events().map((event) => event.type);
    expect(kinds).toEqual(['created', 'opened', 'sent']);
    // Reached again, it is not hooked twice.
    const hooked = reached.WebSocket;
    expect(new HTMLIFrameElement().contentWindow.WebSocket).toBe(hooked);
  });
});
