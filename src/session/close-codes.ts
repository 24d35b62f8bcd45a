/** What a WebSocket close code means (RFC 6455 section 7.4 and the IANA registry). */
const NAMED: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1004: 'reserved',
  1005: 'no status received',
  1006: 'abnormal closure (no close frame)',
  1007: 'invalid payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory extension missing',
  1011: 'internal error',
  1012: 'service restart',
  1013: 'try again later',
  1014: 'bad gateway',
  1015: 'TLS handshake failure',
};

export function closeCodeMeaning(code: number): string {
  const named = NAMED[code];
  if (named) return named;
  if (code >= 0 && code <= 999) return 'not used';
  if (code >= 1016 && code <= 2999) return 'reserved for the protocol';
  if (code >= 3000 && code <= 3999) return 'library or framework';
  if (code >= 4000 && code <= 4999) return 'application';
  return 'invalid';
}
