import type { ConnectionId, FrameOrigin } from '../protocol/capture-events';
import type { FramePayload } from './event-log';
import type { Intrinsics } from './native-intrinsics';
import { copyBinary, snapshotBinary } from './payload-snapshot';
import type { RecorderSettings, RecorderSink } from './recorder-sink';

/** Turns what the page sent or received into frame records (payload snapshots included). */
export interface RecordedFrames {
  /** The payload to keep: text as the string itself, binary as a copy, a Blob as is. */
  payloadOf(data: unknown): FramePayload;
  /** Memory a kept payload holds: text 2 bytes per UTF-16 unit at most, a Blob all of it. */
  bytesOf(payload: FramePayload): number;
  /** `mocked`: the socket is a mock's (socket-mocks.ts), open, with nothing buffered. */
  recordSend(
    socket: WebSocket,
    id: ConnectionId,
    data: unknown,
    origin: FrameOrigin,
    mocked?: boolean,
  ): void;
  recordReceive(id: ConnectionId, data: unknown, origin: FrameOrigin): void;
  /** Whether each send() records the page's stack (a setting, off by default). */
  sendStacks(): boolean;
  /** The page's stack at a send(), recorded just before the frame that send records. */
  recordSendStack(id: ConnectionId, stack: string): void;
  /** A held outgoing frame must not change if the page reuses its buffer afterwards. */
  ownCopy(data: unknown): unknown;
}

export function createRecordedFrames(
  intrinsics: Intrinsics,
  sink: RecorderSink,
  settings: () => RecorderSettings,
): RecordedFrames {
  function payloadOf(data: unknown): FramePayload {
    if (typeof data === 'string') return data;
    if (intrinsics.isBlob(data)) return { kind: 'blob', blob: data };
    return snapshotBinary(data as ArrayBuffer, settings().payloadCap);
  }

  function bytesOf(payload: FramePayload): number {
    if (typeof payload === 'string') return payload.length * 2;
    if (payload.kind === 'text') return payload.text.length * 2;
    if (payload.kind === 'blob') return intrinsics.blobByteSize(payload.blob);
    return intrinsics.arrayBufferByteLength(payload.bytes);
  }

  return {
    payloadOf,
    bytesOf,
    recordSend(socket, id, data, origin, mocked) {
      const payload = payloadOf(data);
      sink.frame(
        'sent',
        id,
        intrinsics.epochNow(),
        payload,
        bytesOf(payload),
        mocked ? 1 : intrinsics.readyState(socket),
        mocked ? 0 : intrinsics.bufferedAmount(socket),
        origin,
      );
    },
    recordReceive(id, data, origin) {
      const payload = payloadOf(data);
      sink.frame('received', id, intrinsics.epochNow(), payload, bytesOf(payload), 0, 0, origin);
    },
    sendStacks: () => settings().sendStacks,
    recordSendStack(id, stack) {
      sink.record({ type: 'send-stack', id, time: intrinsics.epochNow(), stack }, stack.length * 2);
    },
    ownCopy(data) {
      if (typeof data === 'string' || intrinsics.isBlob(data)) return data;
      return copyBinary(data as ArrayBuffer);
    },
  };
}
