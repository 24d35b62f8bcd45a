import type { DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession } from './guarded-session';
import { frameText, isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
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

/** A command's or message's value: the object as sent, its JSON strings decoded. */
type CableValue = Record<string, unknown>;

/** `subscribe ChatChannel {"room":"1"}`: the channel, the action, the data. */
function commandSummary(value: CableValue): string {
  const data = value.data;
  const action =
    isRecord(data) && typeof data.action === 'string' ? clip(data.action, 60) : undefined;
  return summaryOf(
    channelOf(value.identifier),
    action,
    data === undefined ? undefined : preview(data),
  );
}

function broadcastSummary(value: CableValue): string {
  return summaryOf(channelOf(value.identifier), preview(value.message));
}

const pingSummary = (value: CableValue) => preview(value.message);

function disconnectSummary(value: CableValue): string {
  return summaryOf(
    typeof value.reason === 'string' ? clip(value.reason, 100) : undefined,
    value.reconnect === undefined ? undefined : `reconnect=${preview(value.reconnect)}`,
  );
}

function typedSummary(value: CableValue): string {
  return summaryOf(
    channelOf(value.identifier),
    value.message === undefined ? undefined : preview(value.message),
  );
}

function decodeObject(object: Record<string, unknown>): DecodedMessage | string {
  const rawIdentifier = object.identifier;
  const value: CableValue = { ...object };
  if (rawIdentifier !== undefined) value.identifier = inner(rawIdentifier);
  const subscription = typeof rawIdentifier === 'string' ? rawIdentifier : undefined;

  if (typeof object.command === 'string') {
    const command = object.command;
    if (object.data !== undefined) value.data = inner(object.data);
    const role = command === 'subscribe' ? 'request' : command === 'unsubscribe' ? 'end' : 'stream';
    return decodedMessage(command, commandSummary, value, {
      correlation: subscription === undefined ? undefined : { id: subscription, role },
    });
  }

  const type = typeof object.type === 'string' ? object.type : undefined;
  if (type === undefined) {
    if (subscription === undefined) return 'neither a command, a type nor an identifier';
    return decodedMessage('message', broadcastSummary, value, {
      correlation: { id: subscription, role: 'stream' },
    });
  }
  const summary =
    type === 'ping' ? pingSummary : type === 'disconnect' ? disconnectSummary : typedSummary;
  const replies =
    subscription !== undefined &&
    (type === 'confirm_subscription' || type === 'reject_subscription');
  return decodedMessage(type, summary, value, {
    heartbeat: type === 'ping' ? true : undefined,
    correlation: replies ? { id: subscription, role: 'reply' } : undefined,
  });
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
