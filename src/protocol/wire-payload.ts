/**
 * A payload as it crosses extension ports (JSON-serialized in Chrome): text as a string,
 * binary as base64. `size` is the byte length of what was captured; `originalSize` is the byte
 * length the page actually sent or received (larger when the payload cap truncated it).
 */
export type WirePayload =
  | { kind: 'text'; text: string; size: number; originalSize: number }
  | { kind: 'binary'; base64: string; size: number; originalSize: number };
