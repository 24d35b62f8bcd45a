import type { DecoderInput } from './decoder';

/** Reading text protocols' frames: text frames as they are, binary frames only if valid UTF-8. */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The frame's text, or null when a binary frame is not UTF-8 text. */
export function frameText(input: DecoderInput): string | null {
  if (input.kind === 'text') return input.text;
  try {
    return utf8.decode(input.bytes);
  } catch {
    return null;
  }
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON.parse that reports instead of throwing (its own parser is not recursive). */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : 'invalid'}` };
  }
}

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or a number, as protocols' ids are: anything else cannot join messages. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
