import type { Correlation, DecodeDirection, DecodedMessage, DecoderDefinition } from './decoder';
import { guardedSession, keyFrom, opposite } from './guarded-session';
import { frameText, idOf, isRecord, parseJson } from './json-frame';
import { decodedMessage } from './message';
import { clip, preview, summaryOf } from './preview';

/**
 * The SignalR JSON hub protocol: every message, the handshake included, is JSON followed by the
 * 0x1E record separator, and a frame may hold several. Both sides may invoke (servers ask clients
 * for results), and a client streaming to the server sends StreamItems about ids it chose itself,
 * so each invocation id remembers the side that chose it.
 */
const SEPARATOR = '\x1e';

const TYPES: Record<number, string> = {
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

/** Ids remembered at once; more than this is not a real connection's open calls. */
const TRACKED_LIMIT = 10_000;

interface Call {
  origin: DecodeDirection;
  streaming: boolean;
}

class SignalrJsonState {
  private readonly calls = new Map<string, Call>();

  decodeFrame(direction: DecodeDirection, text: string) {
    if (!text.endsWith(SEPARATOR)) {
      return {
        kind: 'error',
        error: 'message not terminated by the 0x1E record separator',
      } as const;
    }
    const messages: DecodedMessage[] = [];
    for (const record of text.slice(0, -1).split(SEPARATOR)) {
      const parsed = parseJson(record);
      if (!parsed.ok) return { kind: 'error', error: parsed.error } as const;
      const message = this.decodeRecord(direction, parsed.value);
      if (typeof message === 'string') return { kind: 'error', error: message } as const;
      messages.push(message);
    }
    return { kind: 'messages', messages } as const;
  }

  private decodeRecord(direction: DecodeDirection, value: unknown): DecodedMessage | string {
    if (!isRecord(value)) return 'record is not a JSON object';
    if (!('type' in value)) {
      // Only handshakes lack a type: the client names its protocol, the server answers {} or an error.
      if (typeof value.protocol === 'string') {
        return decodedMessage('Handshake', handshakeSummary, value);
      }
      return decodedMessage('HandshakeResponse', handshakeResponseSummary, value);
    }
    const type = typeof value.type === 'number' ? TYPES[value.type] : undefined;
    if (type === undefined) return `unknown message type ${preview(value.type, 40)}`;
    return decodedMessage(type, summarize, value, {
      correlation: this.correlate(direction, type, value),
      heartbeat: type === 'Ping' ? true : undefined,
    });
  }

  private correlate(
    direction: DecodeDirection,
    type: string,
    value: Record<string, unknown>,
  ): Correlation | undefined {
    if (type === 'Invocation' || type === 'StreamInvocation') {
      // Streams the caller sends are numbered by the caller, like its invocations.
      if (Array.isArray(value.streamIds)) {
        for (const streamId of value.streamIds.slice(0, 100)) {
          const id = idOf(streamId);
          if (id !== undefined) this.remember(id, { origin: direction, streaming: true });
        }
      }
      const id = idOf(value.invocationId);
      if (id === undefined) return undefined;
      this.remember(id, { origin: direction, streaming: type === 'StreamInvocation' });
      return { id: keyFrom(direction, id), role: 'request' };
    }
    const id = idOf(value.invocationId);
    if (id === undefined) return undefined;
    const call = this.calls.get(id);
    const origin = call?.origin ?? (type === 'CancelInvocation' ? direction : opposite(direction));
    const key = keyFrom(origin, id);
    if (type === 'StreamItem') return { id: key, role: 'stream' };
    if (type === 'CancelInvocation') return { id: key, role: 'end' };
    if (type !== 'Completion') return undefined;
    this.calls.delete(id);
    return { id: key, role: call?.streaming ? 'end' : 'reply' };
  }

  private remember(id: string, call: Call) {
    if (this.calls.size >= TRACKED_LIMIT) this.calls.clear();
    this.calls.set(id, call);
  }
}

function handshakeSummary(value: Record<string, unknown>): string {
  return summaryOf(clip(value.protocol as string, 40), `v${preview(value.version, 20)}`);
}

function handshakeResponseSummary({ error }: Record<string, unknown>): string {
  return typeof error === 'string' ? clip(error) : 'ok';
}

function summarize(value: Record<string, unknown>, type: string): string {
  switch (type) {
    case 'Invocation':
    case 'StreamInvocation':
      return summaryOf(
        typeof value.target === 'string' ? clip(value.target, 80) : undefined,
        preview(value.arguments ?? []),
      );
    case 'StreamItem':
      return preview(value.item);
    case 'Completion':
      if (typeof value.error === 'string') return summaryOf('error:', value.error);
      return 'result' in value ? preview(value.result) : '';
    case 'Close':
      return summaryOf(
        typeof value.error === 'string' ? clip(value.error, 150) : undefined,
        value.allowReconnect === undefined
          ? undefined
          : `allowReconnect=${preview(value.allowReconnect)}`,
      );
    case 'Ack':
    case 'Sequence':
      return summaryOf(`sequenceId=${preview(value.sequenceId, 40)}`);
    default:
      return '';
  }
}

export const signalrJsonDecoder: DecoderDefinition = {
  id: 'signalr-json',
  label: 'SignalR (JSON)',
  create: () => {
    const state = new SignalrJsonState();
    return guardedSession((direction, input) => {
      const text = frameText(input);
      if (text === null) return { kind: 'error', error: 'binary frame is not UTF-8 text' };
      return state.decodeFrame(direction, text);
    });
  },
};
