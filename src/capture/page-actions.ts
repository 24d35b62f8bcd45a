import type { FrameOrigin } from '../protocol/capture-events';
import type { CommandPayload } from '../protocol/page-commands';
import { base64ToBuffer } from './base64';
import type { Intrinsics } from './native-intrinsics';
import { reflectApply, reflectConstruct, safeSequence, weakMapGet } from './page-builtins';
import type { SocketRegistry, SocketState } from './socket-registry';

/** What a user's command does in the page, on the page's sockets, recorded as the user's. */
export interface PageActions {
  /** Sends on a socket as the page would, recording the frame with the given origin. */
  sendAs(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Makes the page receive `data` as if the server had sent it (a MessageEvent, in native order). */
  deliver(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Closes a socket for the user; throws the browser's own error for an invalid code or reason. */
  closeAs(socket: WebSocket, code: number, reason: string): void;
  /** Opens a new, recorded socket in the page, as `new WebSocket(url, protocols)` would. */
  open(url: string, protocols: string[]): WebSocket;
  /** What a send or a message event carries for a user's payload, on this socket. */
  dataFor(socket: WebSocket, payload: CommandPayload, direction: 'outgoing' | 'incoming'): unknown;
}

export function createPageActions(
  intrinsics: Intrinsics,
  registry: SocketRegistry,
  states: WeakMap<object, SocketState>,
): PageActions {
  return {
    sendAs(socket, data, origin) {
      reflectApply(intrinsics.nativeSend, socket, [data]);
      const state = weakMapGet(states, socket);
      if (state) registry.frames.recordSend(socket, state.id, data, origin);
    },
    deliver: registry.dispatchMessage,
    closeAs(socket, code, reason) {
      const state = weakMapGet(states, socket);
      const before = intrinsics.readyState(socket);
      reflectApply(intrinsics.nativeClose, socket, [code, reason]);
      if (state && before < 2) registry.recordCloseRequest(state, code, reason, true);
    },
    open(url, protocols) {
      const count = protocols.length;
      const args =
        count === 0 ? [url] : [url, count === 1 ? protocols[0] : safeSequence(protocols)];
      const socket = reflectConstruct(intrinsics.NativeWebSocket, args) as WebSocket;
      // Opened by the panel's "Reconnect": no page code is its initiator.
      registry.watch(socket, url, protocols, '');
      return socket;
    },
    dataFor(socket, payload, direction) {
      if (payload.kind === 'text') return payload.text;
      const buffer = base64ToBuffer(payload.base64);
      if (direction === 'incoming' && intrinsics.binaryType(socket) === 'blob')
        return new intrinsics.BlobConstructor(safeSequence([buffer]) as BlobPart[]);
      return buffer;
    },
  };
}
