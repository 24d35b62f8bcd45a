import { EventLog } from '../../src/capture/event-log';
import { installRecorder, type Recorder } from '../../src/capture/install-recorder';
import { createInterceptGate } from '../../src/capture/intercept-gate';
import type { PageGlobal } from '../../src/capture/native-intrinsics';
import type { CaptureEvent } from '../../src/protocol/capture-events';
import { createFakeWebSocketClass, FakeCloseEvent } from './fake-websocket';
import { hookEvents } from './record-helpers';

/** A page with the recorder installed over a fake WebSocket, and what the hook recorded. */
export interface Page {
  WebSocket: typeof WebSocket;
  Native: ReturnType<typeof createFakeWebSocketClass>;
  recorder: Recorder;
  events: CaptureEvent[];
}

export function setUpPage(payloadCap = 1024, sendStacks = false): Page {
  const Native = createFakeWebSocketClass();
  const page = {
    ...globalThis,
    WebSocket: Native,
    CloseEvent: FakeCloseEvent,
    EventTarget,
    Event,
    MessageEvent,
    Function,
    performance,
    Blob,
  } as unknown as PageGlobal;
  // The hook's own log, read back whole: what a panel subscribing from the start would get.
  const log = new EventLog(1_000_000, Number.MAX_SAFE_INTEGER);
  const described = new Map<number, { url: string; protocols: string[] }>();
  const recorder = installRecorder(
    page,
    {
      record: (event, bytes) => {
        log.appendEvent(event, bytes);
        if (event.type === 'created') described.set(event.id, event);
      },
      frame: (...fields) => log.appendFrame(...fields),
      describe: (id) => described.get(id),
    },
    { payloadCap, sendStacks },
    createInterceptGate,
  );
  return {
    WebSocket: page.WebSocket,
    Native,
    recorder,
    get events() {
      return hookEvents(log.read(0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).records);
    },
  };
}
