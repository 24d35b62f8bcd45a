import type { DecodeDirection, DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession, keyFrom, opposite } from './guarded-session';
import { frameText, idOf, isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';

/**
 * JSON-RPC 2.0: a frame holds one request, notification or response, or a batch (an array) of
 * them. Both peers may send requests (language servers do), each numbering its own, so a
 * request's correlation names the side that sent it.
 */
function decodeOne(direction: DecodeDirection, item: unknown): DecodedMessage {
  if (!isRecord(item)) return invalid(item, 'not an object');
  const id = idOf(item.id);
  if (typeof item.method === 'string') {
    if (!('id' in item)) return decodedMessage('notification', callSummary, item);
    return decodedMessage('request', callSummary, item, {
      correlation: id === undefined ? undefined : { id: keyFrom(direction, id), role: 'request' },
    });
  }
  const correlation =
    id === undefined ? undefined : { id: keyFrom(opposite(direction), id), role: 'reply' as const };
  if ('error' in item) return decodedMessage('error', errorSummary, item, { correlation });
  if ('result' in item) return decodedMessage('result', resultSummary, item, { correlation });
  return invalid(item, 'neither a request nor a response');
}

function callSummary(item: Record<string, unknown>): string {
  return summaryOf(
    clip(item.method as string, 80),
    item.params === undefined ? undefined : preview(item.params),
  );
}

const resultSummary = ({ result }: Record<string, unknown>) => preview(result);

function errorSummary({ error }: Record<string, unknown>): string {
  return isRecord(error)
    ? summaryOf(idOf(error.code), typeof error.message === 'string' ? error.message : undefined)
    : preview(error);
}

/** Eager: a frame of one invalid item is an error, and the summary is its reason. */
function invalid(item: unknown, reason: string): DecodedMessage {
  return decodedMessage('invalid', summaryOf(reason, preview(item, 150)), item);
}

export const jsonRpcDecoder: DecoderDefinition = {
  id: 'json-rpc',
  label: 'JSON-RPC 2.0',
  create: () =>
    guardedSession((direction, input) => {
      const text = frameText(input);
      if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
      const parsed = parseJson(text);
      if (!parsed.ok) return { kind: 'error', error: parsed.error };
      const value = parsed.value;
      if (Array.isArray(value)) {
        if (value.length === 0) return { kind: 'error', error: 'empty batch' };
        return { kind: 'messages', messages: value.map((item) => decodeOne(direction, item)) };
      }
      if (!isRecord(value)) return { kind: 'error', error: 'not a JSON-RPC object or batch' };
      const message = decodeOne(direction, value);
      if (message.type === 'invalid') return { kind: 'error', error: message.summary };
      return { kind: 'messages', messages: [message] };
    }),
};
