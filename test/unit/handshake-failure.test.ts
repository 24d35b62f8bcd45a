import { describe, expect, it } from 'vitest';
import type { Handshake } from '../../src/protocol/handshake';
import { handshakeFailure, statusText } from '../../src/session/handshake-failure';

function handshake(overrides: Partial<Handshake> = {}): Handshake {
  return {
    requestId: 'r1',
    frameId: 0,
    url: 'wss://page.test/live',
    startedAt: 1000,
    ...overrides,
  };
}

describe('statusText', () => {
  it('joins the status and the reason of the status line', () => {
    expect(statusText(handshake({ status: 403, statusLine: 'HTTP/1.1 403 Forbidden' }))).toBe(
      '403 Forbidden',
    );
    expect(
      statusText(handshake({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' })),
    ).toBe('101 Switching Protocols');
  });

  it('gives the status alone without a line, or a line without a reason', () => {
    expect(statusText(handshake({ status: 404 }))).toBe('404');
    expect(statusText(handshake({ status: 404, statusLine: 'HTTP/1.1 404' }))).toBe('404');
    expect(statusText(handshake({ status: 404, statusLine: 'HTTP/1.1 404   ' }))).toBe('404');
  });

  it('trims the reason', () => {
    expect(statusText(handshake({ status: 500, statusLine: 'HTTP/1.1 500  Server Error ' }))).toBe(
      '500 Server Error',
    );
  });

  it('is empty without a status', () => {
    expect(statusText(handshake())).toBe('');
    expect(statusText(handshake({ statusLine: 'HTTP/1.1 403 Forbidden' }))).toBe('');
  });

  it('ignores a status line that is not one', () => {
    expect(statusText(handshake({ status: 403, statusLine: 'Forbidden' }))).toBe('403');
  });
});

describe('handshakeFailure', () => {
  it('gives nothing without a handshake, or for one that succeeded or is under way', () => {
    expect(handshakeFailure(undefined)).toBeUndefined();
    expect(handshakeFailure(handshake())).toBeUndefined();
    expect(
      handshakeFailure(handshake({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' })),
    ).toBeUndefined();
  });

  it('gives a refused upgrade as its status and reason', () => {
    expect(handshakeFailure(handshake({ status: 403, statusLine: 'HTTP/1.1 403 Forbidden' }))).toBe(
      '403 Forbidden',
    );
    expect(handshakeFailure(handshake({ status: 200, statusLine: 'HTTP/1.1 200 OK' }))).toBe(
      '200 OK',
    );
    expect(handshakeFailure(handshake({ status: 502 }))).toBe('502');
  });

  it('prefers the refused status over the browser error that follows it', () => {
    expect(
      handshakeFailure(
        handshake({
          status: 401,
          statusLine: 'HTTP/1.1 401 Unauthorized',
          error: 'net::ERR_FAILED',
        }),
      ),
    ).toBe('401 Unauthorized');
  });

  it("gives no cause for Chrome's net::ERR_FAILED", () => {
    expect(handshakeFailure(handshake({ error: 'net::ERR_FAILED' }))).toBeUndefined();
  });

  it.each([
    ['NS_ERROR_CONNECTION_REFUSED', 'connection refused'],
    ['net::ERR_CONNECTION_REFUSED', 'connection refused'],
    ['net::ERR_NAME_NOT_RESOLVED', 'host not found'],
    ['NS_ERROR_UNKNOWN_HOST', 'host not found'],
    ['net::ERR_UNSAFE_PORT', 'port not allowed'],
    ['NS_ERROR_PORT_ACCESS_NOT_ALLOWED', 'port not allowed'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'TLS error'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'TLS error'],
    ['SEC_ERROR_UNKNOWN_ISSUER', 'TLS error'],
    ['net::ERR_CONNECTION_RESET', 'connection reset'],
    ['NS_ERROR_NET_RESET', 'connection reset'],
    ['net::ERR_CONNECTION_CLOSED', 'connection closed'],
    ['net::ERR_EMPTY_RESPONSE', 'connection closed'],
    ['NS_ERROR_NET_INTERRUPT', 'connection closed'],
    ['net::ERR_CONNECTION_TIMED_OUT', 'timed out'],
    ['NS_ERROR_NET_TIMEOUT', 'timed out'],
    ['net::ERR_BLOCKED_BY_CLIENT', 'blocked by an extension'],
    ['net::ERR_INTERNET_DISCONNECTED', 'network unreachable'],
    ['net::ERR_ADDRESS_UNREACHABLE', 'network unreachable'],
    ['NS_ERROR_OFFLINE', 'network unreachable'],
    ['net::ERR_ABORTED', 'aborted'],
    ['NS_BINDING_ABORTED', 'aborted'],
  ])('gives %s as %s', (error, words) => {
    expect(handshakeFailure(handshake({ error }))).toBe(words);
  });

  it('gives an error it has no words for as the browser wrote it', () => {
    expect(handshakeFailure(handshake({ error: 'net::ERR_SOMETHING_NEW' }))).toBe(
      'net::ERR_SOMETHING_NEW',
    );
    expect(handshakeFailure(handshake({ error: 'unknown error' }))).toBe('unknown error');
  });

  it('gives the error of a handshake that failed after a 101', () => {
    expect(handshakeFailure(handshake({ status: 101, error: 'net::ERR_CONNECTION_RESET' }))).toBe(
      'connection reset',
    );
  });
});
