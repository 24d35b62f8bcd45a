import type { Correlation, DecodeDirection, DecodeOutcome, DecoderDefinition } from './decoder';
import { guardedSession } from './guarded-session';
import { idOf, isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { decodePhoenixBinary, type PhoenixMessage } from './phoenix-binary';
import { clip, preview, summaryOf } from './preview';

/**
 * Phoenix Channels: serializer v1 sends objects `{topic, event, payload, ref, join_ref}`, v2
 * (`vsn=2.0.0`) sends arrays `[join_ref, ref, topic, event, payload]`, and binary frames for
 * binary payloads. The client numbers its pushes with `ref`; the server's `phx_reply` repeats it,
 * and `phx_close`/`phx_error` repeat the join's ref.
 */
function fromText(text: string): PhoenixMessage | string {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed.error;
  const value = parsed.value;
  if (Array.isArray(value)) {
    if (value.length !== 5)
      return `expected [join_ref, ref, topic, event, payload], got ${value.length} items`;
    const [joinRef, ref, topic, event, payload] = value;
    return { joinRef, ref, topic, event, payload };
  }
  if (isRecord(value)) {
    return {
      joinRef: value.join_ref ?? null,
      ref: value.ref ?? null,
      topic: value.topic,
      event: value.event,
      payload: value.payload,
    };
  }
  return 'not a Phoenix message';
}

/** A message as the details show it, in the v1 serializer's terms. */
interface PhoenixValue {
  join_ref: unknown;
  ref: unknown;
  topic: string;
  event: string;
  payload: unknown;
}

function describe(direction: DecodeDirection, message: PhoenixMessage): DecodeOutcome {
  const { topic, event, payload } = message;
  if (typeof topic !== 'string' || typeof event !== 'string') {
    return { kind: 'error', error: 'Phoenix message without a topic and an event' };
  }
  const value: PhoenixValue = {
    join_ref: message.joinRef,
    ref: message.ref,
    topic,
    event,
    payload,
  };
  return {
    kind: 'messages',
    messages: [
      decodedMessage(event, summarize, value, {
        correlation: correlationOf(direction, message.ref, topic, event),
        heartbeat: topic === 'phoenix' || undefined,
      }),
    ],
  };
}

function summarize({ topic, event, payload }: PhoenixValue): string {
  if (event === 'phx_reply' && isRecord(payload)) {
    const status = typeof payload.status === 'string' ? payload.status : undefined;
    return summaryOf(clip(topic, 80), status, preview(payload.response));
  }
  return summaryOf(
    clip(topic, 80),
    clip(event, 60),
    payload === undefined ? undefined : preview(payload),
  );
}

function correlationOf(
  direction: DecodeDirection,
  ref: unknown,
  topic: string,
  event: string,
): Correlation | undefined {
  const id = idOf(ref);
  if (id === undefined) return undefined;
  const key = `${topic}#${id}`;
  if (direction === 'sent') return { id: key, role: 'request' };
  if (event === 'phx_reply') return { id: key, role: 'reply' };
  if (event === 'phx_close' || event === 'phx_error') return { id: key, role: 'end' };
  return undefined;
}

export const phoenixDecoder: DecoderDefinition = {
  id: 'phoenix',
  label: 'Phoenix Channels',
  create: () =>
    guardedSession((direction, input) => {
      const message =
        input.kind === 'text' ? fromText(input.text) : decodePhoenixBinary(direction, input.bytes);
      if (typeof message === 'string') return { kind: 'error', error: message };
      return describe(direction, message);
    }),
};
