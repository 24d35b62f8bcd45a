import type { Intrinsics } from './native-intrinsics';
import type { PageActions } from './page-actions';
import { payloadSize } from './payload-size';
import type { RecordedFrames } from './recorded-frames';
import type { RecorderSink } from './recorder-sink';
import type { RuleHost } from './rule-engine';
import type { SocketRegistry } from './socket-registry';

/** The parts of the recorder a rule acts through (the registry and actions are made later). */
export interface RuleHostParts {
  intrinsics: Intrinsics;
  sink: RecorderSink;
  frames: RecordedFrames;
  registry(): SocketRegistry;
  actions(): PageActions;
  enableMocks(): void;
}

/** What the rule engine does to sockets, done as the recorder does it, recorded. */
export function createRuleHost(parts: RuleHostParts): RuleHost {
  const { intrinsics, sink, frames, registry, actions } = parts;
  return {
    now: intrinsics.epochNow,
    setTimer: intrinsics.setTimer,
    setQuietTimer: intrinsics.setQuietTimer,
    readyState: (socket) => registry().readyStateOf(socket),
    url: intrinsics.url,
    send(socket, data, origin) {
      const state = registry().stateOf(socket);
      // A mocked socket's frames go nowhere: recorded as the page sent them.
      if (state?.mock !== undefined) frames.recordSend(socket, state.id, data, origin, true);
      else actions().sendAs(socket, data, origin);
    },
    deliver: (socket, data, origin) => registry().dispatchMessage(socket, data, origin),
    drop(socket, id, direction, data) {
      if (direction === 'outgoing') frames.recordSend(socket, id, data, 'dropped');
      else frames.recordReceive(id, data, 'dropped');
    },
    mark: (id, rule, effect) =>
      sink.record({ type: 'rule-mark', id, time: intrinsics.epochNow(), rule, effect }, 0),
    end: (socket, _id, code, reason, failed) => registry().endByRule(socket, code, reason, failed),
    mock: (socket, requested, protocol) => registry().startMock(socket, requested, protocol),
    enableMocks: parts.enableMocks,
    endedEarly: (socket) => registry().stateOf(socket)?.heldEnd !== undefined,
    releaseEnd: (socket) => registry().releaseEnd(socket),
    sizeOf: (data) => payloadSize(intrinsics, data),
  };
}
