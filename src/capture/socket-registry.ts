import type { ConnectionId, FrameOrigin } from '../protocol/capture-events';
import type { InterceptGate } from './intercept-gate';
import type { Intrinsics } from './native-intrinsics';
import { nullRecord, reflectApply, weakMapGet, weakMapSet } from './page-builtins';
import type { RecordedFrames } from './recorded-frames';
import type { RecorderSink } from './recorder-sink';
import type { RuleEngine, SocketRules } from './rule-engine';
import { createSocketMocks, type MockState, type SocketEnd } from './socket-mocks';

export interface SocketState {
  id: ConnectionId;
  closeRequested: boolean;
  /** The rules covering it (by URL), for the engine's current list. */
  rules?: SocketRules;
  /** A rule ended it: a close event other than the one the rule asked for is replaced by it. */
  ruleEnd?: SocketEnd;
  /** The browser's own error came after a rule ended it (a handshake the rule failed). */
  ruleEndErrored?: true;
  /** A mock rule answers it: the browser's connection was aborted (socket-mocks.ts). */
  mock?: MockState;
  /** Its open event came (noted only while the rules are not known). */
  opened?: true;
  /** It failed before it opened and before the rules were known: its error and close wait. */
  heldEnd?: { error: boolean; close: SocketEnd | null };
  /** The hook that recorded the socket: a send or close through any window's hook goes to it. */
  owner: SocketOwner;
}

/** What a send or close through any window's hook needs from the hook that owns the socket. */
export interface SocketOwner {
  readonly gate: InterceptGate;
  readonly rules: RuleEngine;
  readonly frames: RecordedFrames;
  recordCloseRequest(
    state: SocketState,
    code: number | null,
    reason: string,
    byUser: boolean,
  ): void;
}

/**
 * The sockets one hook created: their ids and states, the listeners that record their open,
 * messages, errors and close, and the sockets commands can act on while they live.
 */
export interface SocketRegistry extends SocketOwner {
  /** Gives a new socket its id and state and starts recording its events. */
  watch(socket: WebSocket, requestedUrl: string, protocols: string[], initiator: string): void;
  /** The recorded state of a receiver, if it is a socket one of the page's hooks recorded. */
  stateOf(receiver: unknown): SocketState | undefined;
  /** The socket with this id, until its close event. */
  socketById(id: ConnectionId): WebSocket | undefined;
  /** Dispatches a message event on a socket ourselves, recorded with `origin` (not as the page's). */
  dispatchMessage(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /**
   * Ends a socket for a rule: as the server closing with `code`, or as a failure (error, then
   * 1006). A socket still connecting fails the browser's own way (close() before open).
   */
  endByRule(socket: WebSocket, code: number, reason: string, failed: boolean): void;
  /** Makes a connecting socket a mocked endpoint's. */
  startMock(socket: WebSocket, requested: string[], protocol: string): void;
  /** The page sent `bytes` on a mocked socket that is not connecting (its bufferedAmount). */
  sentOnMock(mock: MockState, bytes: number): void;
  /** The page's close() of a mocked socket (after the native close checked its arguments). */
  closeMock(socket: WebSocket, state: SocketState, code: number | null, reason: string): void;
  /** readyState as the page sees it (a mocked socket's own). */
  readyStateOf(socket: WebSocket): number;
  /** The error and close held for the rules, given to the page (dropped for a mock's). */
  releaseEnd(socket: WebSocket): void;
}

/**
 * `states` is shared with the hooks of every same-origin window of the page (see HookGroup), so
 * that a socket sent on through another window's WebSocket.prototype.send is still recorded.
 */
export function createSocketRegistry(
  states: WeakMap<object, SocketState>,
  intrinsics: Intrinsics,
  sink: RecorderSink,
  frames: RecordedFrames,
  gate: InterceptGate,
  rules: RuleEngine,
): SocketRegistry {
  // Held strongly until their close event: the browser keeps a socket that has listeners (ours)
  // alive until then anyway, and a WeakRef per socket costs construction time. A null-prototype
  // record, not a Map: the page may patch Map.prototype.
  const sockets: Record<ConnectionId, WebSocket> = nullRecord();
  let nextId = 1;
  const mocks = createSocketMocks(intrinsics, sink, (id) => {
    delete sockets[id];
  });
  /** The message event we are dispatching ourselves (deliver, or forwarding a held frame). */
  let synthetic: { event: Event; origin: FrameOrigin } | null = null;

  // Only the browser's own events are the connection's (isTrusted is an unforgeable own property
  // of each event): one the page dispatches on a socket reaches its listeners as usual, but is no
  // frame, open, error or close of the connection, and is not recorded. One listener per event
  // type, shared by every socket (`this` is the socket): Firefox pays several microseconds per
  // listener, and more for a new closure per socket.

  function onOpen(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    if (rules.awaiting) state.opened = true;
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
    if (rules.active) rules.opened(this, state.id, rulesFor(this, state));
  }

  function rulesFor(socket: WebSocket, state: SocketState): SocketRules {
    const current = rules.rulesOf(socket, state.rules);
    state.rules = current;
    return current;
  }

  function onMessage(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (state === undefined) return;
    if (synthetic !== null && synthetic.event === event) {
      frames.recordReceive(state.id, intrinsics.messageData(event), synthetic.origin);
      return;
    }
    if (!event.isTrusted) return;
    const data = intrinsics.messageData(event);
    if (rules.active && rules.offer(this, state.id, 'incoming', data, rulesFor(this, state))) {
      intrinsics.stopImmediatePropagation(event);
      return;
    }
    if (gate.active && gate.offer(this, state.id, 'incoming', data)) {
      intrinsics.stopImmediatePropagation(event);
      return;
    }
    frames.recordReceive(state.id, data, 'page');
  }

  function onError(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    // The aborted connection of a mocked socket: the page sees the mock's events instead.
    if (state.mock !== undefined) {
      intrinsics.stopImmediatePropagation(event);
      return;
    }
    if (holdsEnd(state)) {
      intrinsics.stopImmediatePropagation(event);
      state.heldEnd!.error = true;
      return;
    }
    if (state.ruleEnd !== undefined) state.ruleEndErrored = true;
    sink.record({ type: 'error', id: state.id, time: intrinsics.epochNow() }, 0);
  }

  /** A socket failing before it opened while the rules are unknown: a mock may take it over. */
  function holdsEnd(state: SocketState): boolean {
    if (state.heldEnd !== undefined) return true;
    if (!rules.awaiting || state.opened === true) return false;
    state.heldEnd = { error: false, close: null };
    return true;
  }

  function onClose(this: WebSocket, event: Event) {
    const state = weakMapGet(states, this);
    if (!event.isTrusted || state === undefined) return;
    const wasClean = intrinsics.closeWasClean(event);
    if (state.mock !== undefined) {
      intrinsics.stopImmediatePropagation(event);
      return;
    }
    const ruleEnd = state.ruleEnd;
    if (ruleEnd !== undefined && !isEnd(event, ruleEnd, wasClean)) {
      intrinsics.stopImmediatePropagation(event);
      // The browser's error already reached the page: only the close is the rule's.
      if (state.ruleEndErrored === true) mocks.closed(this, state.id, ruleEnd, !ruleEnd.failed);
      else mocks.finish(this, state.id, ruleEnd);
      return;
    }
    if (holdsEnd(state)) {
      intrinsics.stopImmediatePropagation(event);
      const code = intrinsics.closeCode(event);
      const reason = intrinsics.closeReason(event);
      state.heldEnd!.close = { code, reason, failed: !wasClean, initiator: 'unknown' };
      return;
    }
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

  /** Whether the browser's close event is already the end a rule asked for. */
  function isEnd(event: Event, end: SocketEnd, wasClean: boolean): boolean {
    return (
      wasClean === !end.failed &&
      intrinsics.closeCode(event) === end.code &&
      intrinsics.closeReason(event) === end.reason
    );
  }

  const registry: SocketRegistry = {
    gate,
    rules,
    frames,
    watch(socket, requestedUrl, protocols, initiator) {
      // Without a prototype: the optional fields (mock, rules…) are read on every send, and a
      // getter the page put on Object.prototype would otherwise be handed this record.
      const state = nullRecord<SocketState>();
      state.id = nextId++;
      state.closeRequested = false;
      state.owner = registry;
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
          initiator,
        },
        0,
      );
      // Registered before any page code can add its own, so they run first (the message
      // listener may hold the event); capturing, as Firefox runs a target's capturing listeners
      // before its others, so that a page's capturing listener cannot stop one from us.
      intrinsics.addEventListener(socket, 'open', onOpen, true);
      intrinsics.addEventListener(socket, 'message', onMessage, true);
      intrinsics.addEventListener(socket, 'error', onError, true);
      intrinsics.addEventListener(socket, 'close', onClose, true);
      if (rules.active) rules.created(socket, state.id, rulesFor(socket, state), protocols);
    },
    stateOf: (receiver) =>
      typeof receiver === 'object' && receiver !== null ? weakMapGet(states, receiver) : undefined,
    socketById: (id) => sockets[id],
    recordCloseRequest(state, code, reason, byUser) {
      state.closeRequested = true;
      sink.record(
        {
          type: 'close-requested',
          id: state.id,
          time: intrinsics.epochNow(),
          code,
          reason,
          byUser,
        },
        0,
      );
    },
    endByRule(socket, code, reason, failed) {
      const state = weakMapGet(states, socket);
      if (state === undefined) return;
      // Still connecting: close() fails the handshake, and the browser fires its own error and
      // close (1006), recorded as any other. Firefox may already hold the server's answer and
      // close cleanly (1005) instead: that close is replaced by the failure.
      if (intrinsics.readyState(socket) === 0) {
        if (!failed) return;
        state.ruleEnd = { code: 1006, reason: '', failed: true, initiator: 'unknown' };
        reflectApply(intrinsics.nativeClose, socket, []);
        return;
      }
      const end: SocketEnd = { code, reason, failed, initiator: failed ? 'unknown' : 'server' };
      if (state.mock !== undefined) {
        mocks.end(socket, state.id, state.mock, end);
        return;
      }
      state.ruleEnd = end;
      // The server is told 1000 unless the rule's code is one a client may send.
      const sendable = code === 1000 || (code >= 3000 && code <= 4999);
      reflectApply(intrinsics.nativeClose, socket, sendable ? [code] : [1000]);
    },
    startMock(socket, requested, protocol) {
      const state = weakMapGet(states, socket);
      if (state === undefined) return;
      state.mock = mocks.start(socket, state.id, requested, protocol, () =>
        rules.opened(socket, state.id, rulesFor(socket, state)),
      );
    },
    sentOnMock: mocks.sent,
    closeMock(socket, state, code, reason) {
      if (state.mock !== undefined) mocks.close(socket, state.id, state.mock, code, reason);
    },
    releaseEnd(socket) {
      const state = weakMapGet(states, socket);
      const held = state?.heldEnd;
      if (state === undefined || held === undefined) return;
      state.heldEnd = undefined;
      if (state.mock !== undefined) return;
      if (held.error) mocks.error(socket, state.id);
      if (held.close !== null) mocks.closed(socket, state.id, held.close, !held.close.failed);
    },
    readyStateOf(socket) {
      const mock = weakMapGet(states, socket)?.mock;
      return mock !== undefined ? mock.readyState : intrinsics.readyState(socket);
    },
    dispatchMessage(socket, data, origin) {
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
    },
  };
  return registry;
}
