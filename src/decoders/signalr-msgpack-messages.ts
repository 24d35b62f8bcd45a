/**
 * SignalR hub messages as the MessagePack hub protocol lays them out: each an array whose first
 * item is the message type. Turns one array into what the panel shows.
 */

import { fail } from './byte-cursor';
import type { Correlation, DecodedMessage } from './decoder';
import { decodedMessage, type SummaryText } from './message';
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
  summary: SummaryText<PlainMap>,
  value: PlainMap,
  id?: string,
  role?: Correlation['role'],
): DecodedMessage {
  return decodedMessage(type, summary, value, {
    correlation: id !== undefined && role ? { id, role } : undefined,
  });
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
  return build(type, invocationSummary, value, id, 'request');
}

function completion(item: unknown[], streams: OpenStreams): DecodedMessage {
  const [, headers, rawId, kind, result] = item;
  const id = invocationId(rawId);
  const value = withHeaders(headers, { invocationId: id ?? null, resultKind: kind });
  if (kind === 1) value.error = result;
  else if (kind === 3) value.result = result;
  else if (kind !== 2) fail(`unknown completion result kind ${previewValue(kind)}`);
  const endsStream = id !== undefined && streams.delete(id);
  return build('Completion', completionSummary, value, id, endsStream ? 'end' : 'reply');
}

/** `#id`, as the summaries name an invocation (`#undefined` without one, as they always have). */
const idText = (value: PlainMap) => `#${value.invocationId ?? undefined}`;

function invocationSummary(value: PlainMap): string {
  return summaryOf(value.target as string, previewValue(value.arguments));
}

function completionSummary(value: PlainMap): string {
  const kind = value.resultKind;
  const shown =
    kind === 1
      ? `error ${previewValue(value.error)}`
      : kind === 3
        ? previewValue(value.result)
        : undefined;
  return summaryOf(idText(value), shown);
}

function streamItemSummary(value: PlainMap): string {
  return summaryOf(idText(value), previewValue(value.item));
}

function closeSummary({ error, allowReconnect }: PlainMap): string {
  return summaryOf(
    error ? previewValue(error) : '',
    allowReconnect === true ? 'allow reconnect' : undefined,
  );
}

const sequenceSummary = ({ sequenceId }: PlainMap) => previewValue(sequenceId);

function unknownSummary({ message }: PlainMap): string {
  return previewValue((message as unknown[]).slice(1));
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
      return build(type, streamItemSummary, value, id, 'stream');
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
      return decodedMessage(type, '', {}, { heartbeat: true });
    case 'Close': {
      const [, error, allowReconnect] = item;
      const value: PlainMap = { error: error ?? null };
      if (allowReconnect !== undefined) value.allowReconnect = allowReconnect;
      return build(type, closeSummary, value);
    }
    case 'Ack':
    case 'Sequence':
      return build(type, sequenceSummary, { sequenceId: item[1] });
    default:
      // The protocol asks receivers to ignore message types they do not know: shown as they are.
      return build(`type ${previewValue(item[0])}`, unknownSummary, { message: item });
  }
}
