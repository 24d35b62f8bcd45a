import { expect } from 'vitest';
import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderInput,
  DecoderSession,
} from '../../../src/decoders/decoder';

export const text = (value: string): DecoderInput => ({ kind: 'text', text: value });
export const binary = (value: ArrayBuffer | ArrayLike<number>): DecoderInput => ({
  kind: 'binary',
  bytes: value instanceof ArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value),
});

/** Libraries hand back strings, Buffers or ArrayBuffers: all become decoder inputs. */
export function inputOf(value: unknown): DecoderInput {
  if (typeof value === 'string') return text(value);
  if (value instanceof ArrayBuffer) return binary(value);
  if (value instanceof Uint8Array) return { kind: 'binary', bytes: new Uint8Array(value) };
  throw new Error('not a frame');
}

/** The messages of an outcome that must hold messages. */
export function messagesOf(outcome: DecodeOutcome): DecodedMessage[] {
  if (outcome.kind !== 'messages')
    throw new Error(`expected messages, got ${JSON.stringify(outcome)}`);
  return outcome.messages;
}

/** The single message a frame must hold. */
export function only(session: DecoderSession, direction: DecodeDirection, input: DecoderInput) {
  const messages = messagesOf(session.decode(direction, input));
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

function nested(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** Inputs no decoder may throw on, whichever protocol it reads. */
export const HOSTILE_INPUTS: DecoderInput[] = [
  text(''),
  text(' '),
  text('\x1e'),
  text('\n'),
  text('\0'),
  text('null'),
  text('[]'),
  text('{}'),
  text('"string"'),
  text('42'),
  text('{"__proto__":{"polluted":1},"type":"x"}'),
  text('[1,2'),
  text(nested(100_000, '[', ']')),
  text(nested(50_000, '{"a":', '}').replace(/\}$/, '1}')),
  text('x'.repeat(1_000_000)),
  text(`["${'y'.repeat(100_000)}"]`),
  text('\ud800\udfff\ud800'),
  binary([]),
  binary([0]),
  binary([0xff, 0xfe, 0xfd]),
  binary([0x04, 0x00]),
  binary(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)),
];

/**
 * Feeds hostile inputs in both directions to a fresh session and to one that keeps its state:
 * nothing may throw, every message must be plain, and summaries stay short.
 */
export function expectHostileSafe(definition: DecoderDefinition, extra: DecoderInput[] = []) {
  const kept = definition.create();
  for (const input of [...HOSTILE_INPUTS, ...extra]) {
    for (const direction of ['sent', 'received'] as const) {
      for (const session of [definition.create(), kept]) {
        const outcome = session.decode(direction, input);
        expect(['messages', 'partial', 'error']).toContain(outcome.kind);
        if (outcome.kind === 'messages') {
          for (const message of outcome.messages) {
            expect(typeof message.type).toBe('string');
            expect(message.summary.length).toBeLessThanOrEqual(200);
          }
        }
        if (outcome.kind === 'error') expect(outcome.error.length).toBeLessThanOrEqual(300);
      }
    }
  }
  expect(Object.prototype).not.toHaveProperty('polluted');
}
