import type { CaptureEvent, PagePayload } from './capture-events';
import type { WirePayload } from './wire-payload';

/** A capture event after the relay validated it and encoded its payload for the wire. */
export type WireEvent = CaptureEvent extends infer E
  ? E extends { payload: PagePayload }
    ? Omit<E, 'payload'> & { payload: WirePayload }
    : E
  : never;

/** A captured event with its place in its document's sequence (for lossless resync). */
export interface SequencedEvent<E = WireEvent> {
  seq: number;
  event: E;
}
