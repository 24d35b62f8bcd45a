import { type DecodedOf, decodedOutcomeTest, isHeartbeatOnly } from './decoded-filter';
import { compileHidePatterns } from './hide-patterns';
import { searchableText } from './searchable-text';
import type { Frame, FrameKind } from './session-model';

export type FrameType = 'text' | 'binary' | 'close' | 'error';
export type DirectionFilter = 'all' | 'sent' | 'received';

export interface FilterSpec {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  invert: boolean;
  direction: DirectionFilter;
  /** Frame types to show; empty means all. */
  types: FrameType[];
  /** Only this connection's frames; null for all connections. */
  connectionKey: string | null;
  /** Frames matching any of these are hidden (see hide-patterns.ts). */
  hide: string[];
  /** Hide frames whose decoded messages are all heartbeats (pings, pongs, heart-beats). */
  hideHeartbeats?: boolean;
}

export const EMPTY_FILTER: FilterSpec = {
  query: '',
  regex: false,
  caseSensitive: false,
  invert: false,
  direction: 'all',
  types: [],
  connectionKey: null,
  hide: [],
};

export type FramePredicate = (frame: Frame) => boolean;

export function frameType(frame: Frame): FrameType {
  if (frame.payload) return frame.payload.kind;
  return frame.kind === 'error' ? 'error' : 'close';
}

const DIRECTION_KINDS: Record<Exclude<DirectionFilter, 'all'>, FrameKind[]> = {
  sent: ['sent', 'close-requested'],
  received: ['received', 'closed', 'error'],
};

/**
 * Compiles a filter into one predicate, or an error message for an invalid regular expression.
 * The query matches a frame's searchable text (see searchable-text.ts); `invert` applies to the
 * query only, so "not containing X" still honours direction, type and connection.
 */
export function compileFilter(
  spec: FilterSpec,
  /** Frames as their protocol reads them: for `event:chat`-style queries and heartbeats. */
  decodedOf?: DecodedOf,
): { predicate: FramePredicate; error?: undefined } | { predicate?: undefined; error: string } {
  let pattern: RegExp | undefined;
  const fieldTest =
    spec.regex || !decodedOf ? undefined : decodedOutcomeTest(spec.query, spec.caseSensitive);
  if (spec.query !== '' && !fieldTest) {
    const source = spec.regex ? spec.query : spec.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    try {
      // 'u' only where the user writes a pattern: it makes case-insensitive matching slower.
      pattern = new RegExp(source, (spec.caseSensitive ? '' : 'i') + (spec.regex ? 'u' : ''));
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  const hidden = compileHidePatterns(spec.hide);
  if (hidden.error !== undefined) return { error: hidden.error };
  const hide = hidden.test;
  const kinds = spec.direction === 'all' ? undefined : new Set(DIRECTION_KINDS[spec.direction]);
  const types = spec.types.length > 0 ? new Set(spec.types) : undefined;
  const { connectionKey, invert } = spec;
  // Binary frames are searched as hex ("0a 1b"): a literal query with other characters cannot
  // match one, so it need not render the bytes as text at all.
  const binaryCanMatch = spec.regex || /^[0-9a-f\s]*$/i.test(spec.query);
  const hideHeartbeats = spec.hideHeartbeats === true && decodedOf !== undefined;
  // A decoded frame keeps its outcome (protocol-decoding.ts): read there, a million frames skip a
  // million connection lookups. The decoding forgets an evicted frame's outcome lazily, so those
  // (and frames not decoded yet) still ask it.
  const outcomeOf = (frame: Frame) =>
    frame.decoded !== undefined && frame.payloadEvicted !== true
      ? frame.decoded
      : decodedOf!(frame);
  return {
    predicate: (frame) => {
      if (connectionKey !== null && frame.connectionKey !== connectionKey) return false;
      if (kinds && !kinds.has(frame.kind)) return false;
      if (types && !types.has(frameType(frame))) return false;
      if (hide?.(searchableText(frame))) return false;
      if (hideHeartbeats && isHeartbeatOnly(outcomeOf(frame))) return false;
      if (fieldTest) return fieldTest(outcomeOf(frame)) !== invert;
      if (!pattern) return true;
      if (!binaryCanMatch && frame.payload?.kind === 'binary') return invert;
      return pattern.test(searchableText(frame)) !== invert;
    },
  };
}
