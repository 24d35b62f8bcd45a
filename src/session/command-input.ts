import type { CommandPayload } from '../protocol/page-commands';
import { base64ToBytes, bytesToBase64 } from './base64';
import { base64Of } from './frame-payload';
import type { FramePayload } from './session-model';
import { utf8ByteLength } from './utf8';

/** A recorded payload as a command carries it (to replay it, or send it again edited). */
export function commandPayloadOf(payload: FramePayload): CommandPayload {
  return payload.kind === 'text'
    ? { kind: 'text', text: payload.text }
    : { kind: 'binary', base64: base64Of(payload) };
}

/** The close codes WebSocket.close() accepts (anything else throws InvalidAccessError). */
const NORMAL_CLOSURE = 1000;
const FIRST_SCRIPT_CLOSE_CODE = 3000;
const LAST_SCRIPT_CLOSE_CODE = 4999;
/** A close frame's body is at most 125 bytes, and the code takes two of them. */
const MAX_CLOSE_REASON_BYTES = 123;

/** Why a close code or reason would be refused, before anything is sent; null when fine. */
export function closeInputError(code: number, reason: string): string | null {
  const allowed =
    code === NORMAL_CLOSURE || (code >= FIRST_SCRIPT_CLOSE_CODE && code <= LAST_SCRIPT_CLOSE_CODE);
  if (!Number.isInteger(code) || !allowed) {
    return `Close code ${code} is not allowed: use ${NORMAL_CLOSURE}, or ${FIRST_SCRIPT_CLOSE_CODE} to ${LAST_SCRIPT_CLOSE_CODE}.`;
  }
  const bytes = utf8ByteLength(reason);
  if (bytes > MAX_CLOSE_REASON_BYTES)
    return `The reason is ${bytes} bytes in UTF-8; at most ${MAX_CLOSE_REASON_BYTES} are allowed.`;
  return null;
}

export type PayloadEncoding = 'text' | 'hex' | 'base64';

/** Reads what the user typed in the composer as a payload, or says why it cannot be one. */
export function parsePayloadInput(
  encoding: PayloadEncoding,
  input: string,
): CommandPayload | { error: string } {
  if (encoding === 'text') return { kind: 'text', text: input };
  if (encoding === 'hex') {
    const digits = input.replace(/0x/gi, '').replace(/[\s,:]/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(digits))
      return { error: 'Hex must be pairs of digits 0-9 and a-f (spaces allowed).' };
    const bytes = new Uint8Array(digits.length / 2);
    for (let i = 0; i < bytes.length; i++)
      bytes[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
    return { kind: 'binary', base64: bytesToBase64(bytes) };
  }
  const compact = input.replace(/\s/g, '');
  try {
    base64ToBytes(compact);
  } catch {
    return { error: 'That is not valid base64.' };
  }
  return { kind: 'binary', base64: compact };
}
