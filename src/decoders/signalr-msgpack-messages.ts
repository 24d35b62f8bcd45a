/**
 * SignalR hub messages as the MessagePack hub protocol lays them out: each an array whose first
 * item is the message type. Turns one array into what the panel shows.
 */

import { fail } from './byte-cursor';
import type { Correlation, DecodedMessage } from './decoder';
import type { PlainMap } from './plain-map';
import { previewValue, summaryOf } from './value-preview';

export const SIGNALR_TYPES: Record<number, string> = {
  1: 'Invocation',
  2: 'StreamItem',
  3: 'Completion',
  4: 'StreamInvocation',
  5: 'CancelInvocation',
  6: 'Ping',
  7: 'Close',
  8: 'Ack',
  9: 'Sequence',
};

/** Ids whose Completion ends a stream (stream invocations, and streams a caller uploads). */
export type OpenStreams = Set<string>;

function invocationId(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : fail('invocation id is not a string');
}

/** The message's value, with its headers first when it has any. */
function withHeaders(headers: unknown, value: PlainMap): PlainMap {
  if (headers && typeof headers === 'object' && Object.keys(headers).length) {
    return { headers, ...value };
  }
  return value;
}

function build(
  type: string,
  summary: string,
  value: PlainMap,
  id?: string,
  role?: Correlation['role'],
): DecodedMessage {
  const message: DecodedMessage = { type, summary, value };
  if (id !== undefined && role) message.correlation = { id, role };
  return message;
}

function invocation(type: string, item: unknown[], streams: OpenStreams): DecodedMessage {
  const [, headers, rawId, target, args, streamIds] = item;
  if (typeof target !== 'string') fail(`${type} without a target`);
  const id = invocationId(rawId);
  const value = withHeaders(headers, { invocationId: id ?? null, target, arguments: args });
  if (Array.isArray(streamIds)) {
    value.streamIds = streamIds;
    for (const streamId of streamIds) if (typeof streamId === 'string') streams.add(streamId);
  }
  if (type === 'StreamInvocation' && id !== undefined) streams.add(id);
  return build(type, summaryOf(target, previewValue(args)), value, id, 'request');
}

function completion(item: unknown[], streams: OpenStreams): DecodedMessage {
  const [, headers, rawId, kind, result] = item;
  const id = invocationId(rawId);
  const value = withHeaders(headers, { invocationId: id ?? null, resultKind: kind });
  let shown: string | undefined;
  if (kind === 1) {
    value.error = result;
    shown = `error ${previewValue(result)}`;
  } else if (kind === 3) {
    value.result = result;
    shown = previewValue(result);
  } else if (kind !== 2) {
    fail(`unknown completion result kind ${previewValue(kind)}`);
  }
  const endsStream = id !== undefined && streams.delete(id);
  return build('Completion', summaryOf(`#${id}`, shown), value, id, endsStream ? 'end' : 'reply');
}

export function describeHubMessage(item: unknown, streams: OpenStreams): DecodedMessage {
  if (!Array.isArray(item) || typeof item[0] !== 'number') {
    return fail('a hub message is an array starting with its type');
  }
  const type = SIGNALR_TYPES[item[0]];
  switch (type) {
    case 'Invocation':
    case 'StreamInvocation':
      return invocation(type, item, streams);
    case 'StreamItem': {
      const [, headers, rawId, streamed] = item;
      const id = invocationId(rawId);
      const value = withHeaders(headers, { invocationId: id ?? null, item: streamed });
      return build(type, summaryOf(`#${id}`, previewValue(streamed)), value, id, 'stream');
    }
    case 'Completion':
      return completion(item, streams);
    case 'CancelInvocation': {
      const id = invocationId(item[2]);
      if (id !== undefined) streams.delete(id);
      const value = withHeaders(item[1], { invocationId: id ?? null });
      return build(type, `#${id}`, value, id, 'end');
    }
    case 'Ping':
      return { type, summary: '', value: {}, heartbeat: true };
    case 'Close': {
      const [, error, allowReconnect] = item;
      const value: PlainMap = { error: error ?? null };
      if (allowReconnect !== undefined) value.allowReconnect = allowReconnect;
      const reconnect = allowReconnect === true ? 'allow reconnect' : undefined;
      return build(type, summaryOf(error ? previewValue(error) : '', reconnect), value);
    }
    case 'Ack':
    case 'Sequence':
      return build(type, previewValue(item[1]), { sequenceId: item[1] });
    default:
      // The protocol asks receivers to ignore message types they do not know: shown as they are.
      return build(`type ${previewValue(item[0])}`, previewValue(item.slice(1)), { message: item });
  }
}
