import { FrameImpl } from '@stomp/stompjs';
import { describe, expect, it } from 'vitest';
import { sockJsDecoder } from '../../../src/decoders/sockjs';
import { sockJsStompDecoder } from '../../../src/decoders/sockjs-stomp';
import { expectHostileSafe, messagesOf, only, text } from './decode-helpers';

// No SockJS library is installed: framing follows the SockJS protocol document (o, h, a[…],
// m"…", c[code,"reason"] from the server; a JSON array of strings from the client).
describe('SockJS decoder', () => {
  it('decodes the server’s framing', () => {
    const session = sockJsDecoder.create();
    expect(only(session, 'received', text('o'))).toMatchObject({ type: 'open' });
    expect(only(session, 'received', text('h'))).toMatchObject({
      type: 'heartbeat',
      heartbeat: true,
    });
    const messages = messagesOf(session.decode('received', text('a["hello","{\\"a\\":1}"]')));
    expect(messages).toEqual([
      { type: 'message', summary: 'hello', value: 'hello' },
      { type: 'message', summary: '{"a":1}', value: { a: 1 } },
    ]);
    expect(only(session, 'received', text('m"single"')).value).toBe('single');
    expect(only(session, 'received', text('c[3000,"Go away!"]'))).toMatchObject({
      type: 'close',
      summary: '3000 Go away!',
      value: { code: 3000, reason: 'Go away!' },
    });
  });

  it('decodes the client’s arrays and single strings', () => {
    const session = sockJsDecoder.create();
    expect(messagesOf(session.decode('sent', text('["a","b"]'))).map((m) => m.value)).toEqual([
      'a',
      'b',
    ]);
    expect(only(session, 'sent', text('"c"')).value).toBe('c');
  });

  it('rejects what is not SockJS', () => {
    const session = sockJsDecoder.create();
    for (const frame of ['x', 'a{}', 'a[1]', 'm1', 'c{}', 'oo', '']) {
      expect(session.decode('received', text(frame)).kind).toBe('error');
    }
    expect(session.decode('sent', text('[1]')).kind).toBe('error');
    expectHostileSafe(sockJsDecoder, [text(`a${JSON.stringify(['x'.repeat(10_000)])}`)]);
  });
});

describe('STOMP over SockJS decoder', () => {
  const stomp = (command: string, headers: Record<string, string>, body?: string) =>
    new FrameImpl({
      command,
      headers,
      body,
      escapeHeaderValues: command !== 'CONNECT',
    }).serialize() as string;

  it('decodes the STOMP frames inside SockJS messages', () => {
    const session = sockJsStompDecoder.create();
    // sockjs-client sends each message as a one-string JSON array.
    const connect = only(
      session,
      'sent',
      text(JSON.stringify([stomp('CONNECT', { 'accept-version': '1.2' })])),
    );
    expect(connect).toMatchObject({ type: 'CONNECT', summary: 'accept-version=1.2' });
    expect(only(session, 'received', text('o')).type).toBe('open');
    const [subscribe] = messagesOf(
      session.decode(
        'sent',
        text(JSON.stringify([stomp('SUBSCRIBE', { id: 'sub-0', destination: '/topic/a' })])),
      ),
    );
    const messages = messagesOf(
      session.decode(
        'received',
        text(
          `a${JSON.stringify([
            stomp('MESSAGE', { destination: '/topic/a', subscription: 'sub-0' }, 'one'),
            stomp('MESSAGE', { destination: '/topic/a', subscription: 'sub-0' }, 'two'),
          ])}`,
        ),
      ),
    );
    expect(messages.map((message) => message.summary)).toEqual([
      '/topic/a subscription=sub-0 one',
      '/topic/a subscription=sub-0 two',
    ]);
    expect(messages[0]!.correlation?.id).toBe(subscribe!.correlation?.id);
    expect(only(session, 'received', text('a["\\n"]')).heartbeat).toBe(true);
  });

  it('shows messages STOMP cannot read, and waits for split frames', () => {
    const session = sockJsStompDecoder.create();
    expect(only(session, 'sent', text('["hello\\n\\n\\u0000"]'))).toMatchObject({
      type: 'message',
      value: { message: 'hello\n\n\0', error: 'not a STOMP command: "hello"' },
    });
    const whole = stomp('SEND', { destination: '/q' }, 'body');
    expect(session.decode('sent', text(JSON.stringify([whole.slice(0, 8)])))).toMatchObject({
      kind: 'partial',
    });
    expect(only(session, 'sent', text(JSON.stringify([whole.slice(8)]))).value).toMatchObject({
      body: 'body',
    });
    const flood = session.decode(
      'received',
      text(`a${JSON.stringify(['DISCONNECT\n\n\0'.repeat(200_000)])}`),
    );
    expect(flood.kind === 'messages' && flood.messages.length).toBe(200_000);
    expectHostileSafe(sockJsStompDecoder);
  });
});
