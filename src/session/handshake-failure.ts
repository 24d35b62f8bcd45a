import type { Handshake } from '../protocol/handshake';

/** Browsers' network errors (Chrome's net::ERR_*, Firefox's NS_ERROR_*), in words. */
const ERROR_WORDS: Array<[RegExp, string]> = [
  [/CONNECTION_REFUSED/, 'connection refused'],
  [/NAME_NOT_RESOLVED|UNKNOWN_HOST|NAME_RESOLUTION_FAILED/, 'host not found'],
  [/UNSAFE_PORT|PORT_ACCESS_NOT_ALLOWED/, 'port not allowed'],
  [/CERT|SSL|SEC_ERROR|TLS/, 'TLS error'],
  [/CONNECTION_RESET|NET_RESET/, 'connection reset'],
  [/CONNECTION_CLOSED|NET_INTERRUPT|EMPTY_RESPONSE|PARTIAL_TRANSFER/, 'connection closed'],
  [/TIMED_OUT|NET_TIMEOUT/, 'timed out'],
  [/BLOCKED_BY_CLIENT/, 'blocked by an extension'],
  [/ADDRESS_UNREACHABLE|NETWORK_CHANGED|INTERNET_DISCONNECTED|OFFLINE/, 'network unreachable'],
  [/ABORTED|BINDING_ABORTED/, 'aborted'],
];

/**
 * Why a handshake failed, in a few words: the HTTP status of a refused upgrade ("403
 * Forbidden"), or the browser's network error. Undefined when it did not fail, or when the
 * browser gives no cause (Chrome reports every failed WebSocket handshake as net::ERR_FAILED).
 */
export function handshakeFailure(handshake: Handshake | undefined): string | undefined {
  if (!handshake) return undefined;
  if (handshake.status !== undefined && handshake.status !== 101) {
    return statusText(handshake) || String(handshake.status);
  }
  const { error } = handshake;
  if (!error || error === 'net::ERR_FAILED') return undefined;
  for (const [pattern, words] of ERROR_WORDS) if (pattern.test(error)) return words;
  return error;
}

/** "403 Forbidden" from "HTTP/1.1 403 Forbidden" (the status alone where there is no line). */
export function statusText(handshake: Handshake): string {
  const { status, statusLine } = handshake;
  if (status === undefined) return '';
  const reason = statusLine?.match(/^\S+\s+\d{3}\s*(.*)$/)?.[1]?.trim();
  return reason ? `${status} ${reason}` : String(status);
}
