/**
 * What the hook posts on the page channel (batches, the capture events and connection summaries
 * in them, command results), parsed into protocol types. The page world can write to that
 * channel, so nothing is trusted: every field is checked and copied.
 */
import {
  type CaptureEvent,
  type HookBatch,
  isFrameOrigin,
  type LifecycleEvent,
  type PagePayload,
  type ReadyState,
} from '../protocol/capture-events';
import { RECORD_SLOTS } from '../protocol/event-records';
import { MAX_STACK_TEXT } from '../protocol/limits';
import type { CommandResult } from '../protocol/page-commands';
import type { ConnectionSummaryMessage } from '../protocol/port-messages';
import { MAX_RULE_NAME, RULE_EFFECTS, type RuleEffect } from '../protocol/socket-rules';

/**
 * Parses one event from the page channel. The page world can write to that channel, so nothing
 * is trusted: every field is checked and copied into a fresh object of the protocol's shape.
 * Returns undefined for anything malformed.
 */
export function parseCaptureEvent(raw: unknown, limits: ParseLimits): CaptureEvent | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, time } = raw;
  if (!isConnectionId(id) || !isTime(time)) return undefined;
  switch (raw.type) {
    case 'created': {
      const { requestedUrl, url, protocols, initiator } = raw;
      if (!isString(requestedUrl, limits.maxUrl) || !isString(url, limits.maxUrl)) return undefined;
      if (initiator !== undefined && !isString(initiator, limits.maxStack)) return undefined;
      if (!Array.isArray(protocols)) return undefined;
      const count = protocols.length;
      if (count > limits.maxProtocols) return undefined;
      const copied: string[] = [];
      // By index, not by iterator: the array may be the page's, with the page's iterator.
      for (let i = 0; i < count; i++) {
        const protocol: unknown = protocols[i];
        if (!isString(protocol, limits.maxUrl)) return undefined;
        copied.push(protocol);
      }
      const created: CaptureEvent = {
        type: 'created',
        id,
        time,
        requestedUrl,
        url,
        protocols: copied,
      };
      if (initiator) created.initiator = initiator;
      return created;
    }
    case 'opened': {
      const { protocol, extensions } = raw;
      if (!isString(protocol, limits.maxUrl) || !isString(extensions, limits.maxUrl))
        return undefined;
      return { type: 'opened', id, time, protocol, extensions };
    }
    case 'sent': {
      const payload = parsePayload(raw.payload, limits);
      const { readyState, bufferedAmount, origin } = raw;
      if (!payload || !isFrameOrigin(origin) || !isReadyState(readyState)) return undefined;
      if (!isCount(bufferedAmount)) return undefined;
      return { type: 'sent', id, time, payload, readyState, bufferedAmount, origin };
    }
    case 'received': {
      const payload = parsePayload(raw.payload, limits);
      if (!payload || !isFrameOrigin(raw.origin)) return undefined;
      return { type: 'received', id, time, payload, origin: raw.origin };
    }
    case 'error':
      return { type: 'error', id, time };
    case 'send-stack': {
      const { stack } = raw;
      if (!isString(stack, limits.maxStack) || stack === '') return undefined;
      return { type: 'send-stack', id, time, stack };
    }
    case 'rule-mark': {
      const { rule, effect } = raw;
      if (!isString(rule, MAX_RULE_NAME) || !RULE_EFFECTS.includes(effect as RuleEffect))
        return undefined;
      return { type: 'rule-mark', id, time, rule, effect: effect as RuleEffect };
    }
    case 'close-requested': {
      const { code, reason, byUser } = raw;
      if (code !== null && !isCount(code)) return undefined;
      if (!isString(reason, limits.maxReason) || typeof byUser !== 'boolean') return undefined;
      return { type: 'close-requested', id, time, code, reason, byUser };
    }
    case 'held': {
      const payload = parsePayload(raw.payload, limits);
      const { heldId, direction } = raw;
      if (!payload || !isConnectionId(heldId)) return undefined;
      if (direction !== 'outgoing' && direction !== 'incoming') return undefined;
      return { type: 'held', id, time, heldId, direction, payload };
    }
    case 'released': {
      const { heldId, action } = raw;
      if (!isConnectionId(heldId)) return undefined;
      if (action !== 'forwarded' && action !== 'edited' && action !== 'dropped') return undefined;
      return { type: 'released', id, time, heldId, action };
    }
    case 'closed': {
      const { code, reason, wasClean, initiator } = raw;
      if (!isCount(code) || !isString(reason, limits.maxReason) || typeof wasClean !== 'boolean') {
        return undefined;
      }
      if (initiator !== 'client' && initiator !== 'server' && initiator !== 'unknown') {
        return undefined;
      }
      return { type: 'closed', id, time, code, reason, wasClean, initiator };
    }
    default:
      return undefined;
  }
}

export interface ParseLimits {
  maxUrl: number;
  /** The longest initiator stack text (UTF-16 units). */
  maxStack: number;
  maxReason: number;
  maxProtocols: number;
  /** Text longer than this (UTF-16 units) or binary larger than this (bytes) is refused. */
  maxPayload: number;
}

export const PARSE_LIMITS: Omit<ParseLimits, 'maxPayload'> = {
  maxUrl: 64 * 1024,
  maxStack: MAX_STACK_TEXT,
  maxReason: 1024,
  maxProtocols: 256,
};

/** A payload object from the page (text, bytes or Blob), checked and copied. */
export function parsePayload(raw: unknown, limits: ParseLimits): PagePayload | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.kind === 'text') {
    const { text } = raw;
    return isString(text, limits.maxPayload) ? { kind: 'text', text } : undefined;
  }
  if (raw.kind === 'bytes') {
    const { bytes, originalSize } = raw;
    if (!isArrayBuffer(bytes)) return undefined;
    // The byte length from our own getter: the page's ArrayBuffer.prototype may have been changed.
    const byteLength = arrayBufferByteLength.call(bytes) as number;
    if (byteLength > limits.maxPayload) return undefined;
    if (!isCount(originalSize) || originalSize < byteLength) return undefined;
    return { kind: 'bytes', bytes, originalSize };
  }
  if (raw.kind === 'blob') {
    return isBlob(raw.blob) ? { kind: 'blob', blob: raw.blob } : undefined;
  }
  return undefined;
}

// Brand checks rather than instanceof: page objects may come from another realm (an iframe, or
// Firefox's page compartment seen from the content script).
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!
  .get!;
const blobSize = Object.getOwnPropertyDescriptor(Blob.prototype, 'size')!.get!;

function hasBrand(value: unknown, getter: () => unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    getter.call(value);
    return true;
  } catch {
    return false;
  }
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(value, arrayBufferByteLength);
}

function isBlob(value: unknown): value is Blob {
  return hasBrand(value, blobSize);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isConnectionId(value: unknown): value is number {
  return isCount(value) && value > 0;
}

/** WebSocket's readyState runs from CONNECTING (0) to CLOSED (3). */
const CLOSED = 3;

function isReadyState(value: unknown): value is ReadyState {
  return isCount(value) && value <= CLOSED;
}

export function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * A batch from the hook, checked in its frame (its records and connection summaries are checked
 * one by one after).
 */
export function parseHookBatch(raw: unknown): HookBatch | undefined {
  if (!isRecord(raw)) return undefined;
  const { subscription, firstSeq, lost, records, connections } = raw;
  if (!Array.isArray(records)) return undefined;
  if (!isCount(subscription) || subscription === 0) return undefined;
  if (!isCount(firstSeq) || !isCount(lost) || records.length % RECORD_SLOTS !== 0) return undefined;
  const batch: HookBatch = { subscription, firstSeq, lost, records };
  if (connections !== undefined) batch.connections = connections as HookBatch['connections'];
  return batch;
}

/** At most this many connection summaries in one batch (the hook keeps far fewer). */
const MAX_SUMMARIES = 100_000;
/** A connection has few lifecycle events (five kinds); a summary with more is malformed. */
const MAX_SUMMARY_EVENTS = 8;
/** A summary's events are flat: each sequence number, then its event. */
const SUMMARY_ENTRY_SLOTS = 2;

/**
 * The connection summaries a batch carries (see ConnectionSummary), checked and copied: each
 * event is a lifecycle event of that connection, after its sequence number. A summary that does
 * not check out is left out and counted.
 */
export function parseConnectionSummaries(
  raw: unknown,
  limits: ParseLimits,
): { summaries: ConnectionSummaryMessage[]; rejected: number } {
  const summaries: ConnectionSummaryMessage[] = [];
  if (raw === undefined) return { summaries, rejected: 0 };
  if (!Array.isArray(raw) || raw.length > MAX_SUMMARIES) return { summaries, rejected: 1 };
  let rejected = 0;
  const count = raw.length;
  for (let i = 0; i < count; i++) {
    const summary = parseConnectionSummary(raw[i], limits);
    if (summary) summaries.push(summary);
    else rejected++;
  }
  return { summaries, rejected };
}

function parseConnectionSummary(
  raw: unknown,
  limits: ParseLimits,
): ConnectionSummaryMessage | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, events, droppedFrames } = raw;
  if (!isConnectionId(id) || !isCount(droppedFrames) || !Array.isArray(events)) return undefined;
  const length = events.length;
  if (length % SUMMARY_ENTRY_SLOTS !== 0) return undefined;
  if (length > MAX_SUMMARY_EVENTS * SUMMARY_ENTRY_SLOTS) return undefined;
  const copied: ConnectionSummaryMessage['events'] = [];
  for (let at = 0; at < length; at += SUMMARY_ENTRY_SLOTS) {
    const seq: unknown = events[at];
    const event = parseCaptureEvent(events[at + 1], limits);
    if (!isCount(seq) || !event || event.id !== id || !isLifecycle(event)) return undefined;
    copied.push({ seq, event });
  }
  return { id, events: copied, droppedFrames };
}

function isLifecycle(event: CaptureEvent): event is LifecycleEvent {
  return (
    event.type === 'created' ||
    event.type === 'opened' ||
    event.type === 'error' ||
    event.type === 'close-requested' ||
    event.type === 'closed'
  );
}

/** A command's error is a sentence for the user; anything longer is malformed. */
const MAX_ERROR_CHARS = 2048;

/** A command result from the hook: `{ result: { commandId, ok, error? } }`, or undefined. */
export function parseCommandResult(raw: unknown): CommandResult | undefined {
  if (!isRecord(raw) || !isRecord(raw.result)) return undefined;
  const { commandId, ok, error } = raw.result;
  if (!isCount(commandId) || typeof ok !== 'boolean') return undefined;
  if (error !== undefined && !isString(error, MAX_ERROR_CHARS)) return undefined;
  return error === undefined ? { commandId, ok } : { commandId, ok, error };
}
