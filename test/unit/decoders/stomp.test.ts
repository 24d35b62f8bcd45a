import { FrameImpl, type StompHeaders } from '@stomp/stompjs';
import { describe, expect, it } from 'vitest';
import { stompDecoder } from '../../../src/decoders/stomp';
import { binary, expectHostileSafe, inputOf, messagesOf, only, text } from './decode-helpers';

/** A frame as @stomp/stompjs serialises it for the WebSocket. */
function marshall(
  command: string,
  headers: StompHeaders,
  body?: string | Uint8Array,
  options: { escape?: boolean; skipContentLength?: boolean } = {},
): string | ArrayBuffer {
  const frame = new FrameImpl({
    command,
    headers,
    ...(typeof body === 'string' ? { body } : body ? { binaryBody: body } : {}),
    escapeHeaderValues: options.escape ?? command !== 'CONNECT',
    skipContentLengthHeader: options.skipContentLength ?? false,
  });
  return frame.serialize();
}

const frame = (...args: Parameters<typeof marshall>) => inputOf(marshall(...args));

describe('STOMP decoder (frames from @stomp/stompjs)', () => {
  it('decodes the connection handshake', () => {
    const session = stompDecoder.create();
    const connect = only(
      session,
      'sent',
      frame('CONNECT', {
        'accept-version': '1.2,1.1,1.0',
        'heart-beat': '10000,10000',
        host: 'a:b',
      }),
    );
    expect(connect).toMatchObject({
      type: 'CONNECT',
      summary: 'host=a:b accept-version=1.2,1.1,1.0 heart-beat=10000,10000',
      value: { command: 'CONNECT', headers: { host: 'a:b' }, body: '' },
    });
    const connected = only(
      session,
      'received',
      frame('CONNECTED', { version: '1.2', 'heart-beat': '0,0' }),
    );
    expect(connected.summary).toBe('version=1.2 heart-beat=0,0');
  });

  it('unescapes headers and honours content-length over UTF-8 bodies with NULs', () => {
    const message = only(
      stompDecoder.create(),
      'sent',
      frame(
        'SEND',
        { destination: '/queue/a:b\\c\nd', 'content-type': 'text/plain' },
        'héllo\u0000wörld',
      ),
    );
    expect(message.value).toEqual({
      command: 'SEND',
      headers: {
        destination: '/queue/a:b\\c\nd',
        'content-type': 'text/plain',
        'content-length': '13',
      },
      body: 'héllo\u0000wörld',
    });
    expect(message.summary).toBe('/queue/a:b\\c d héllo\u0000wörld');
  });

  it('reads bodies up to the NUL without content-length, and JSON bodies as JSON', () => {
    const session = stompDecoder.create();
    const plain = only(
      session,
      'received',
      frame('MESSAGE', { destination: '/t', subscription: 's', 'message-id': '1' }, 'hi', {
        skipContentLength: true,
      }),
    );
    expect(plain.value).toMatchObject({ body: 'hi' });
    const json = only(
      session,
      'received',
      frame(
        'MESSAGE',
        { destination: '/t', subscription: 's', 'content-type': 'application/json' },
        '{"a":[1]}',
      ),
    );
    expect(json.value).toMatchObject({ body: { a: [1] } });
    expect(json.summary).toBe('/t subscription=s {"a":[1]}');
  });

  it('decodes binary bodies sent as binary frames', () => {
    const message = only(
      stompDecoder.create(),
      'sent',
      frame('SEND', { destination: '/q' }, new Uint8Array([0xff, 0, 2])),
    );
    expect(message.value).toMatchObject({ body: new Uint8Array([0xff, 0, 2]) });
    expect(message.summary).toBe('/q <3 bytes>');
  });

  it('joins subscriptions with their messages, and receipts', () => {
    const session = stompDecoder.create();
    const subscribe = only(
      session,
      'sent',
      frame('SUBSCRIBE', { id: 'sub-0', destination: '/topic/x', receipt: 'r-1' }),
    );
    expect(subscribe).toMatchObject({
      summary: '/topic/x id=sub-0',
      correlation: { id: 'subscription:sub-0', role: 'request' },
    });
    const message = only(
      session,
      'received',
      frame('MESSAGE', { subscription: 'sub-0', destination: '/topic/x' }, 'x'),
    );
    expect(message.correlation).toEqual({ id: 'subscription:sub-0', role: 'stream' });
    const unsubscribe = only(session, 'sent', frame('UNSUBSCRIBE', { id: 'sub-0' }));
    expect(unsubscribe.correlation).toEqual({ id: 'subscription:sub-0', role: 'end' });
    const send = only(session, 'sent', frame('SEND', { destination: '/q', receipt: 'r-2' }, 'x'));
    expect(send.correlation).toEqual({ id: 'receipt:r-2', role: 'request' });
    const receipt = only(session, 'received', frame('RECEIPT', { 'receipt-id': 'r-2' }));
    expect(receipt).toMatchObject({
      summary: 'receipt-id=r-2',
      correlation: { id: 'receipt:r-2', role: 'reply' },
    });
    const error = only(
      session,
      'received',
      frame('ERROR', { message: 'malformed frame', 'receipt-id': 'r-3' }, 'details'),
    );
    expect(error).toMatchObject({
      summary: 'malformed frame details',
      correlation: { id: 'receipt:r-3', role: 'reply' },
    });
  });

  it('decodes heart-beats and several frames in one WebSocket frame', () => {
    const session = stompDecoder.create();
    expect(only(session, 'received', text('\n'))).toMatchObject({
      type: 'heartbeat',
      heartbeat: true,
    });
    expect(only(session, 'sent', text('\r\n')).heartbeat).toBe(true);
    const joined = [
      marshall('MESSAGE', { destination: '/a', subscription: '1' }, 'one'),
      '\n',
      marshall('MESSAGE', { destination: '/b', subscription: '1' }, 'two', {
        skipContentLength: true,
      }),
      marshall('RECEIPT', { 'receipt-id': '9' }),
    ].join('');
    const messages = messagesOf(session.decode('received', text(joined)));
    expect(messages.map((message) => message.summary)).toEqual([
      '/a subscription=1 one',
      '/b subscription=1 two',
      'receipt-id=9',
    ]);
  });

  it('reassembles a frame split over WebSocket frames', () => {
    // What stompjs does with splitLargeFrames: the serialised frame cut into chunks.
    const whole = marshall('SEND', { destination: '/q' }, 'x'.repeat(100)) as string;
    const session = stompDecoder.create();
    expect(session.decode('sent', text(whole.slice(0, 10)))).toEqual({
      kind: 'partial',
      note: 'start of a STOMP frame (10 bytes so far)',
    });
    expect(session.decode('sent', text(whole.slice(10, 60))).kind).toBe('partial');
    // The other direction is not affected.
    expect(only(session, 'received', text('\n')).heartbeat).toBe(true);
    const message = only(session, 'sent', text(whole.slice(60)));
    expect(message.value).toMatchObject({ body: 'x'.repeat(100) });
  });

  it('reads CRLF lines, keeps the first of repeated headers, and leaves CONNECT unescaped', () => {
    // Hand-written per STOMP 1.2: stompjs itself writes LF only.
    const session = stompDecoder.create();
    const message = only(
      session,
      'received',
      text('MESSAGE\r\nfoo:1\r\nfoo:2\r\nbar:a\\r\\\\\r\n\r\nbody\0\r\n\r\n'),
    );
    expect(message.value).toEqual({
      command: 'MESSAGE',
      headers: { foo: '1', bar: 'a\r\\' },
      body: 'body',
    });
    const connect = only(session, 'sent', text('CONNECT\nlogin:a\\cb\n\n\0'));
    expect(connect.value).toMatchObject({ headers: { login: 'a\\cb' } });
    const proto = only(session, 'sent', text('SEND\n__proto__:x\n\n\0'));
    expect(Object.keys((proto.value as { headers: object }).headers)).toEqual(['__proto__']);
  });

  it('rejects what is not STOMP', () => {
    const session = stompDecoder.create();
    expect(session.decode('sent', text('HELLO\n\n\0')).kind).toBe('error');
    expect(session.decode('sent', text('SEND\nno colon\n\n\0')).kind).toBe('error');
    expect(session.decode('sent', text('SEND\ncontent-length:2\n\nabc\0')).kind).toBe('error');
    expect(session.decode('received', text('')).kind).toBe('error');
    expect(session.decode('received', binary([0xff, 0x0a, 0x0a, 0]))).toMatchObject({
      kind: 'error',
    });
    expectHostileSafe(stompDecoder, [
      text(`SEND\n${'h:v\n'.repeat(10_000)}\n\0`),
      text('SEND\ncontent-length:999999999999999\n\n'),
      text(`MESSAGE\ndestination:/a\n\n${'x'.repeat(100_000)}`),
    ]);
  });
});
