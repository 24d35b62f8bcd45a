import type { CloseInitiator, ConnectionId } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';
import { domExceptionMessageOf, nullRecord, reflectApply, reflectConstruct } from './page-builtins';
import type { RecorderSink } from './recorder-sink';

/** What the page sees of a mocked socket in place of the browser's aborted connection. */
export interface MockState {
  readyState: number;
  /** '' until it opens, as the browser's. */
  protocol: string;
  /** Bytes the page sent not yet "on the wire": a send's until the next task, any after close. */
  bufferedAmount: number;
  /** The browser's own message for a send while connecting (its words differ by browser). */
  sendRefusal: string;
}

/** Chrome's words, for a socket whose browser's could not be read (it had failed already). */
const SEND_REFUSAL = "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.";

/** The end of a socket as the page is to see it: close event, and an error before a failure. */
export interface SocketEnd {
  code: number;
  reason: string;
  failed: boolean;
  initiator: CloseInitiator;
}

/**
 * Mocked endpoints (a `mock` rule): the page's socket is a real WebSocket whose connection was
 * aborted at once (and blocked by the extension before the network: hub/handshake-blocking.ts); the
 * hook plays the server's part. Open, close and messages come as events the hook dispatches,
 * in the order and with the states a real socket would have; the getters the page reads
 * (mock-getters.ts) answer from {@link MockState}. Page-world code (see page-builtins.ts).
 */
export function createSocketMocks(
  intrinsics: Intrinsics,
  sink: RecorderSink,
  /** The socket has ended: commands no longer act on it. */
  forget: (id: ConnectionId) => void,
) {
  const dispatch = (socket: WebSocket, type: string) =>
    intrinsics.dispatchEvent(
      socket,
      reflectConstruct(intrinsics.EventConstructor, [type]) as Event,
    );

  /** Records and dispatches a socket's error. */
  function error(socket: WebSocket, id: ConnectionId): void {
    sink.record({ type: 'error', id, time: intrinsics.epochNow() }, 0);
    dispatch(socket, 'error');
  }

  /** Records and dispatches a socket's close event; commands no longer act on it. */
  function close(socket: WebSocket, id: ConnectionId, end: SocketEnd, wasClean: boolean): void {
    forget(id);
    sink.record(
      {
        type: 'closed',
        id,
        time: intrinsics.epochNow(),
        code: end.code,
        reason: end.reason,
        wasClean,
        initiator: end.initiator,
      },
      0,
    );
    const init = nullRecord<CloseEventInit>();
    init.code = end.code;
    init.reason = end.reason;
    init.wasClean = wasClean;
    if (intrinsics.CloseEventConstructor)
      intrinsics.dispatchEvent(socket, new intrinsics.CloseEventConstructor('close', init));
  }

  /** Records and dispatches a socket's end: an error first for a failure, then its close. */
  function finish(socket: WebSocket, id: ConnectionId, end: SocketEnd, mock?: MockState): void {
    if (mock) mock.readyState = 3;
    if (end.failed) error(socket, id);
    close(socket, id, end, !end.failed);
  }

  /**
   * The browser's own refusal of a send on a socket still connecting, while it is (before the
   * abort): the native send throws and sends nothing.
   */
  function sendRefusalOf(socket: WebSocket): string {
    if (intrinsics.readyState(socket) !== 0) return SEND_REFUSAL;
    try {
      reflectApply(intrinsics.nativeSend, socket, ['']);
    } catch (error) {
      return domExceptionMessageOf(error) ?? SEND_REFUSAL;
    }
    return SEND_REFUSAL;
  }

  return {
    finish,
    error,
    closed: close,

    /**
     * The page sent `bytes` on a mocked socket not connecting: counted in bufferedAmount, and
     * "sent" in the next task while open; once closing, kept there, as the browser does.
     */
    sent(mock: MockState, bytes: number): void {
      mock.bufferedAmount += bytes;
      if (mock.readyState !== 1) return;
      intrinsics.setTimer(() => {
        mock.bufferedAmount -= bytes;
      }, 0);
    },

    /**
     * Takes a socket still connecting over: aborts the browser's connection, and opens in the
     * next task with `protocol` when the page asked for it (a server may choose only those).
     */
    start(
      socket: WebSocket,
      id: ConnectionId,
      requested: string[],
      protocol: string,
      /** After the open event: what happens at a socket's open (a greeting). */
      opened: () => void,
    ): MockState {
      let chosen = '';
      for (let i = 0; i < requested.length; i++) if (requested[i] === protocol) chosen = protocol;
      const mock: MockState = {
        readyState: 0,
        protocol: '',
        bufferedAmount: 0,
        sendRefusal: sendRefusalOf(socket),
      };
      reflectApply(intrinsics.nativeClose, socket, []);
      intrinsics.setTimer(() => {
        if (mock.readyState !== 0) return;
        mock.readyState = 1;
        mock.protocol = chosen;
        sink.record(
          { type: 'opened', id, time: intrinsics.epochNow(), protocol: chosen, extensions: '' },
          0,
        );
        dispatch(socket, 'open');
        opened();
      }, 0);
      return mock;
    },

    /** The page's close(): as a server that answers the closing handshake at once. */
    close(
      socket: WebSocket,
      id: ConnectionId,
      mock: MockState,
      code: number | null,
      reason: string,
    ) {
      if (mock.readyState > 1) return;
      const connecting = mock.readyState === 0;
      if (!connecting) {
        sink.record(
          { type: 'close-requested', id, time: intrinsics.epochNow(), code, reason, byUser: false },
          0,
        );
      }
      mock.readyState = 2;
      intrinsics.setTimer(() => {
        // Closed before it opened: the browser fails the connection (error, then 1006).
        const end: SocketEnd = connecting
          ? { code: 1006, reason: '', failed: true, initiator: 'client' }
          : { code: code ?? 1005, reason, failed: false, initiator: 'client' };
        finish(socket, id, end, mock);
      }, 0);
    },

    /** The "server" ends it (a rule's close or failure). */
    end(socket: WebSocket, id: ConnectionId, mock: MockState, end: SocketEnd) {
      if (mock.readyState > 1) return;
      mock.readyState = 2;
      intrinsics.setTimer(() => finish(socket, id, end, mock), 0);
    },
  };
}

export type SocketMocks = ReturnType<typeof createSocketMocks>;
