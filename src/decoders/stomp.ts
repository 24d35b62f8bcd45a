import type {
  Correlation,
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
} from './decoder';
import { guardedSession } from './guarded-session';
import { parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';
import { type StompFrame, scanFrame, skipEols } from './stomp-frame';

/**
 * STOMP over WebSocket. A WebSocket frame may hold several STOMP frames, and a client splitting
 * large frames (stompjs's maxWebSocketChunkSize) spreads one over several: the bytes of an
 * unfinished frame wait, per direction, for the next WebSocket frame.
 */

/** An unfinished STOMP frame larger than this is not waited for. */
const PENDING_LIMIT = 16 * 1024 * 1024;

/** The headers that say what a frame is about, per command, in the summary's order. */
const KEY_HEADERS: Record<string, string[]> = {
  CONNECT: ['host', 'accept-version', 'login', 'heart-beat'],
  STOMP: ['host', 'accept-version', 'login', 'heart-beat'],
  CONNECTED: ['version', 'server', 'heart-beat', 'session'],
  SEND: ['destination'],
  SUBSCRIBE: ['destination', 'id', 'ack'],
  UNSUBSCRIBE: ['id'],
  ACK: ['id'],
  NACK: ['id'],
  BEGIN: ['transaction'],
  COMMIT: ['transaction'],
  ABORT: ['transaction'],
  DISCONNECT: ['receipt'],
  MESSAGE: ['destination', 'subscription'],
  RECEIPT: ['receipt-id'],
  ERROR: ['message'],
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** The body as JSON when it says so, else text, else bytes. */
function bodyValue(frame: StompFrame): unknown {
  let text: string;
  try {
    text = utf8.decode(frame.body);
  } catch {
    return frame.body.slice();
  }
  if (text !== '' && /json/i.test(frame.headers['content-type'] ?? '')) {
    const parsed = parseJson(text);
    if (parsed.ok) return parsed.value;
  }
  return text;
}

function correlationOf({ command, headers }: StompFrame): Correlation | undefined {
  if (command === 'SUBSCRIBE' && headers.id !== undefined)
    return { id: `subscription:${headers.id}`, role: 'request' };
  if (command === 'UNSUBSCRIBE' && headers.id !== undefined)
    return { id: `subscription:${headers.id}`, role: 'end' };
  if (command === 'MESSAGE' && headers.subscription !== undefined) {
    return { id: `subscription:${headers.subscription}`, role: 'stream' };
  }
  if (headers['receipt-id'] !== undefined)
    return { id: `receipt:${headers['receipt-id']}`, role: 'reply' };
  if (headers.receipt !== undefined) return { id: `receipt:${headers.receipt}`, role: 'request' };
  return undefined;
}

function toMessage(frame: StompFrame): DecodedMessage {
  const body = bodyValue(frame);
  const { command, headers } = frame;
  return decodedMessage(
    command,
    summarize,
    { command, headers, body },
    {
      correlation: correlationOf(frame),
    },
  );
}

/** The command's key headers, then the body. */
function summarize({ command, headers, body }: StompValue): string {
  const named = (KEY_HEADERS[command] ?? [])
    .filter((name) => headers[name] !== undefined)
    .map((name) => {
      const value = clip(headers[name]!, 80);
      return name === 'destination' || name === 'message' ? value : `${name}=${value}`;
    });
  const bodyText = body === '' ? undefined : typeof body === 'string' ? clip(body) : preview(body);
  return summaryOf(...named, bodyText);
}

interface StompValue {
  command: string;
  headers: Record<string, string>;
  body: unknown;
}

class StompStream {
  private pending: Uint8Array = new Uint8Array(0);

  feed(incoming: Uint8Array): DecodeOutcome {
    const bytes = this.pending.length === 0 ? incoming : concat(this.pending, incoming);
    this.pending = new Uint8Array(0);
    // A frame of nothing but EOLs is a heart-beat; EOLs after a frame's NUL are padding.
    if (bytes.length > 0 && skipEols(bytes, 0) === bytes.length) {
      return {
        kind: 'messages',
        messages: [decodedMessage('heartbeat', '', null, { heartbeat: true })],
      };
    }
    const messages: DecodedMessage[] = [];
    let position = skipEols(bytes, 0);
    while (position < bytes.length) {
      const scan = scanFrame(bytes, position);
      if (scan.kind === 'error') return { kind: 'error', error: scan.error };
      if (scan.kind === 'incomplete') {
        if (bytes.length - position > PENDING_LIMIT)
          return { kind: 'error', error: 'unfinished STOMP frame is too large' };
        this.pending = bytes.slice(position);
        break;
      }
      messages.push(toMessage(scan.frame));
      position = skipEols(bytes, scan.next);
    }
    if (messages.length > 0) return { kind: 'messages', messages };
    if (this.pending.length > 0)
      return {
        kind: 'partial',
        note: `start of a STOMP frame (${this.pending.length} bytes so far)`,
      };
    return { kind: 'error', error: 'empty frame' };
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

export const stompDecoder: DecoderDefinition = {
  id: 'stomp',
  label: 'STOMP',
  create: () => {
    const streams: Record<DecodeDirection, StompStream> = {
      sent: new StompStream(),
      received: new StompStream(),
    };
    return guardedSession((direction, input) =>
      streams[direction].feed(input.kind === 'text' ? encoder.encode(input.text) : input.bytes),
    );
  },
};
