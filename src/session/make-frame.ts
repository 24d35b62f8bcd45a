import type { Frame } from './session-model';

type FrameFields = Pick<Frame, 'connectionKey' | 'kind' | 'time'> &
  Partial<Pick<Frame, 'payload' | 'origin' | 'readyState' | 'code' | 'reason' | 'payloadEvicted'>>;

/**
 * Every frame is built with the same fields in the same order, so that the filter's hot loop
 * sees one object shape (monomorphic property access) across a million frames.
 */
export function makeFrame(fields: FrameFields): Frame {
  return {
    index: 0,
    connectionKey: fields.connectionKey,
    kind: fields.kind,
    time: fields.time,
    payload: fields.payload,
    origin: fields.origin,
    readyState: fields.readyState,
    code: fields.code,
    reason: fields.reason,
    payloadEvicted: fields.payloadEvicted ?? false,
  };
}
