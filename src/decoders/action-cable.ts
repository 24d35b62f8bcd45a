import type { DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession } from './guarded-session';
import { frameText, isRecord, parseJson } from './json-frame';
import { clip, preview, summaryOf } from './preview';

/**
 * Action Cable (`actioncable-v1-json`). The server sends `{type}` control messages (welcome,
 * ping, confirm_subscription, reject_subscription, disconnect) and `{identifier, message}`
 * broadcasts; the client sends `{command, identifier, data}`. `identifier` and `data` are JSON
 * text inside the JSON: they are decoded too. The identifier string, echoed verbatim by the
 * server, names a subscription.
 */

/** The inner JSON when it parses, else the text itself. */
function inner(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}

/** `ChatChannel {"room":"1"}`: the channel, then the other identifier params. */
function channelOf(identifier: unknown): string | undefined {
  if (!isRecord(identifier)) return identifier === undefined ? undefined : preview(identifier, 80);
  const { channel, ...params } = identifier;
  const name = typeof channel === 'string' ? clip(channel, 60) : undefined;
  return summaryOf(name, Object.keys(params).length > 0 ? preview(params, 80) : undefined);
}

function decodeObject(object: Record<string, unknown>): DecodedMessage | string {
  const rawIdentifier = object.identifier;
  const identifier = inner(rawIdentifier);
  const value: Record<string, unknown> = { ...object };
  if (rawIdentifier !== undefined) value.identifier = identifier;
  const subscription = typeof rawIdentifier === 'string' ? rawIdentifier : undefined;
  const channel = channelOf(identifier);

  if (typeof object.command === 'string') {
    const command = object.command;
    if (object.data !== undefined) value.data = inner(object.data);
    const data = value.data;
    const action =
      isRecord(data) && typeof data.action === 'string' ? clip(data.action, 60) : undefined;
    const message: DecodedMessage = {
      type: command,
      summary: summaryOf(channel, action, data === undefined ? undefined : preview(data)),
      value,
    };
    if (subscription !== undefined) {
      const role =
        command === 'subscribe' ? 'request' : command === 'unsubscribe' ? 'end' : 'stream';
      message.correlation = { id: subscription, role };
    }
    return message;
  }

  const type = typeof object.type === 'string' ? object.type : undefined;
  if (type === undefined) {
    if (subscription === undefined) return 'neither a command, a type nor an identifier';
    return {
      type: 'message',
      summary: summaryOf(channel, preview(object.message)),
      value,
      correlation: { id: subscription, role: 'stream' },
    };
  }
  const message: DecodedMessage = { type, summary: '', value };
  if (type === 'ping') {
    message.heartbeat = true;
    message.summary = preview(object.message);
  } else if (type === 'disconnect') {
    message.summary = summaryOf(
      typeof object.reason === 'string' ? clip(object.reason, 100) : undefined,
      object.reconnect === undefined ? undefined : `reconnect=${preview(object.reconnect)}`,
    );
  } else {
    message.summary = summaryOf(
      channel,
      object.message === undefined ? undefined : preview(object.message),
    );
  }
  if (
    subscription !== undefined &&
    (type === 'confirm_subscription' || type === 'reject_subscription')
  ) {
    message.correlation = { id: subscription, role: 'reply' };
  }
  return message;
}

export const actionCableDecoder: DecoderDefinition = {
  id: 'action-cable',
  label: 'Action Cable',
  create: () =>
    guardedSession((_direction, input) => {
      const text = frameText(input);
      if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
      const parsed = parseJson(text);
      if (!parsed.ok) return { kind: 'error', error: parsed.error };
      if (!isRecord(parsed.value)) return { kind: 'error', error: 'not an Action Cable object' };
      const message = decodeObject(parsed.value);
      if (typeof message === 'string') return { kind: 'error', error: message };
      return { kind: 'messages', messages: [message] };
    }),
};
