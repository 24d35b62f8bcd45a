import type { CaptureEvent, ConnectionId } from '../protocol/capture-events';
import type { EventLog } from './event-log';

/** Where the recorder puts what it records (the hook's EventStream, or a test's log). */
export interface RecorderSink {
  /** Receives each event but frames; `bytes` is the memory its payload holds (0 if none). */
  record(event: CaptureEvent, bytes: number): void;
  /** Receives each sent or received frame field by field, so that recording allocates nothing. */
  frame(...fields: Parameters<EventLog['appendFrame']>): void;
  /** A recorded connection's URL and requested protocols, while the sink remembers it. */
  describe(id: ConnectionId): { url: string; protocols: string[] } | undefined;
}

export interface RecorderSettings {
  /** Bytes of a binary payload kept; the rest is counted, not copied. */
  payloadCap: number;
  /** Record the page's stack at every send(), before its frame. */
  sendStacks: boolean;
  /** Rules come later from the relay: sends wait for them (see RuleEngine). */
  awaitRules?: boolean;
}
