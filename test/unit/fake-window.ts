import { createFakeWebSocketClass, FakeCloseEvent } from './fake-websocket';

/**
 * A window as the hook sees one: an EventTarget with its globals (a realm's own `Function` when
 * given one made with node:vm), and, for a frame, its `parent` and a `frameElement`.
 */
export function fakeWindow(
  FunctionConstructor: FunctionConstructor,
  WebSocketClass: ReturnType<typeof createFakeWebSocketClass> = createFakeWebSocketClass(),
  parent?: EventTarget,
) {
  const page = Object.assign(new EventTarget(), {
    WebSocket: WebSocketClass,
    CloseEvent: FakeCloseEvent,
    EventTarget,
    Event,
    MessageEvent,
    CustomEvent,
    Function: FunctionConstructor,
    performance,
    Blob,
    URL,
  });
  if (parent) {
    Object.defineProperty(page, 'parent', { get: () => parent, configurable: true });
    Object.defineProperty(page, 'frameElement', { get: () => ({}), configurable: true });
  }
  return page;
}
