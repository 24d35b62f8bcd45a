import type { DecodeDirection, DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession, keyFrom, opposite } from './guarded-session';
import { frameText, idOf, isRecord, parseJson } from './json-frame';
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
    const summary = summaryOf(
      clip(item.method, 80),
      item.params === undefined ? undefined : preview(item.params),
    );
    if (!('id' in item)) return { type: 'notification', summary, value: item };
    const message: DecodedMessage = { type: 'request', summary, value: item };
    if (id !== undefined) message.correlation = { id: keyFrom(direction, id), role: 'request' };
    return message;
  }
  const correlation =
    id === undefined ? undefined : { id: keyFrom(opposite(direction), id), role: 'reply' as const };
  if ('error' in item) {
    const error = item.error;
    const summary = isRecord(error)
      ? summaryOf(idOf(error.code), typeof error.message === 'string' ? error.message : undefined)
      : preview(error);
    return { type: 'error', summary, value: item, correlation };
  }
  if ('result' in item)
    return { type: 'result', summary: preview(item.result), value: item, correlation };
  return invalid(item, 'neither a request nor a response');
}

function invalid(item: unknown, reason: string): DecodedMessage {
  return { type: 'invalid', summary: summaryOf(reason, preview(item, 150)), value: item };
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
