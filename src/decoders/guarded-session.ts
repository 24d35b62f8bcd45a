import type { DecodeDirection, DecodeOutcome, DecoderInput, DecoderSession } from './decoder';

/**
 * Wraps a decode function so that a bug or an input nobody foresaw shows the frame raw with a
 * reason, instead of breaking the panel.
 */
export function guardedSession(
  decode: (direction: DecodeDirection, input: DecoderInput) => DecodeOutcome,
): DecoderSession {
  return {
    decode(direction, input) {
      try {
        return decode(direction, input);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unknown failure';
        return { kind: 'error', error: `could not decode: ${reason.slice(0, 200)}` };
      }
    },
  };
}

/** The other direction: replies travel the opposite way to their requests. */
export function opposite(direction: DecodeDirection): DecodeDirection {
  return direction === 'sent' ? 'received' : 'sent';
}

/**
 * A correlation id for protocols where both peers number their own requests (JSON-RPC, WAMP,
 * Socket.IO acks): the same number from each side names two different requests.
 */
export function keyFrom(origin: DecodeDirection, id: string): string {
  return `${origin}:${id}`;
}
