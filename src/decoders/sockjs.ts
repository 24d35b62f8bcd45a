import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderSession,
} from './decoder';
import { guardedSession } from './guarded-session';
import { frameText, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';

/**
 * SockJS's WebSocket framing. The server sends `o` (open), `h` (heartbeat), `a[…]` (an array of
 * messages), `m"…"` (one message, older servers) and `c[code,"reason"]` (close); the client sends
 * a JSON array of messages, or one JSON string. Every message is text, and may itself be a
 * protocol (STOMP over SockJS is Spring's default): an inner decoder reads each one.
 */
function framing(direction: DecodeDirection, text: string): DecodedMessage | string[] | string {
  if (direction === 'sent') return messagesOf(text);
  const kind = text[0];
  const rest = text.slice(1);
  if (kind === 'o' && rest === '') return decodedMessage('open', '', null);
  if (kind === 'h' && rest === '')
    return decodedMessage('heartbeat', '', null, { heartbeat: true });
  if (kind === 'a') return messagesOf(rest);
  if (kind === 'm') {
    const parsed = parseJson(rest);
    return parsed.ok && typeof parsed.value === 'string'
      ? [parsed.value]
      : 'm frame without a JSON string';
  }
  if (kind === 'c') {
    const parsed = parseJson(rest);
    if (!parsed.ok || !Array.isArray(parsed.value)) return 'c frame without [code, reason]';
    const [code, reason] = parsed.value;
    return decodedMessage('close', closeSummary, { code, reason });
  }
  return `not a SockJS frame (starts with ${JSON.stringify(text.slice(0, 10))})`;
}

function closeSummary({ code, reason }: { code: unknown; reason: unknown }): string {
  return summaryOf(preview(code, 20), typeof reason === 'string' ? clip(reason, 150) : undefined);
}

/** A message the inner protocol rejects: the reason, then the text. */
function rejectedSummary({ message, error }: { message: string; error: string }): string {
  return summaryOf(`(${error})`, clip(message));
}

function messagesOf(json: string): string[] | string {
  const parsed = parseJson(json);
  if (!parsed.ok) return parsed.error;
  const value = parsed.value;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return 'SockJS messages must be a JSON array of strings';
  }
  return value;
}

/** Decodes the messages of one frame with the inner session. */
function decodeInner(
  session: DecoderSession | undefined,
  direction: DecodeDirection,
  texts: string[],
): DecodeOutcome {
  if (texts.length === 0) return { kind: 'messages', messages: [decodedMessage('empty', '', [])] };
  const messages: DecodedMessage[] = [];
  let note: string | undefined;
  for (const text of texts) {
    if (session === undefined) {
      messages.push(plainMessage(text));
      continue;
    }
    const outcome = session.decode(direction, { kind: 'text', text });
    if (outcome.kind === 'messages') {
      // Not push(...): a hostile frame's thousands of messages would overflow the call stack.
      for (const message of outcome.messages) messages.push(message);
    } else if (outcome.kind === 'partial') note = outcome.note;
    // A message the inner protocol rejects still shows, raw, with the reason.
    else {
      messages.push(
        decodedMessage('message', rejectedSummary, { message: text, error: outcome.error }),
      );
    }
  }
  if (messages.length === 0 && note !== undefined) return { kind: 'partial', note };
  return { kind: 'messages', messages };
}

/** Messages are often JSON: the details show it as a tree when it is. */
function plainMessage(text: string): DecodedMessage {
  const parsed = /^\s*[[{]/.test(text) ? parseJson(text) : undefined;
  // Eager: the text itself is not kept when it parses, and its start is cheap to cut.
  return decodedMessage('message', clip(text), parsed?.ok ? parsed.value : text);
}

/**
 * A SockJS decoder whose messages are read by `inner` (one inner session per connection), or
 * shown as text without one.
 */
export function createSockJsDecoder(
  inner?: DecoderDefinition,
  names: { id: string; label: string } = { id: 'sockjs', label: 'SockJS' },
): DecoderDefinition {
  return {
    ...names,
    create: () => {
      const session = inner?.create();
      return guardedSession((direction, input) => {
        const text = frameText(input);
        if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
        const framed = framing(direction, text);
        if (typeof framed === 'string') return { kind: 'error', error: framed };
        if (!Array.isArray(framed)) return { kind: 'messages', messages: [framed] };
        return decodeInner(session, direction, framed);
      });
    },
  };
}

export const sockJsDecoder = createSockJsDecoder();
