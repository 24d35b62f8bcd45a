import { type HubMessage, MessageType, NullLogger } from '@microsoft/signalr';
import { HandshakeProtocol } from '@microsoft/signalr/dist/esm/HandshakeProtocol.js';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';
import { BinaryMessageFormat } from '@microsoft/signalr-protocol-msgpack/dist/esm/BinaryMessageFormat.js';
import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import type {
  DecodeDirection,
  DecodedMessage,
  DecodeOutcome,
  DecoderSession,
} from '../../../src/decoders/decoder';
import { signalRMsgpackDecoder } from '../../../src/decoders/signalr-msgpack';

const protocol = new MessagePackHubProtocol();
const write = (message: HubMessage) => new Uint8Array(protocol.writeMessage(message));
/** A message the client library never writes (Close with an error), framed by its own framing. */
const framed = (value: unknown) => new Uint8Array(BinaryMessageFormat.write(encode(value)));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const feed = (session: DecoderSession, direction: DecodeDirection, bytes: Uint8Array) =>
  session.decode(direction, { kind: 'binary', bytes });
const messagesOf = (outcome: DecodeOutcome): DecodedMessage[] => {
  if (outcome.kind !== 'messages')
    throw new Error(`expected messages, got ${JSON.stringify(outcome)}`);
  return outcome.messages;
};
/** A server's handshake answer as the spec gives it, checked by the client library's parser. */
const handshakeResponse = new TextEncoder().encode('{}\u001e');

describe('SignalR MessagePack hub protocol', () => {
  it('reads the handshake: the request as text, the answer in binary before messages', () => {
    const session = signalRMsgpackDecoder.create();
    const request = new HandshakeProtocol().writeHandshakeRequest({
      protocol: 'messagepack',
      version: 1,
    });
    expect(session.decode('sent', { kind: 'text', text: request })).toEqual({
      kind: 'messages',
      messages: [
        {
          type: 'Handshake',
          summary: '{"protocol":"messagepack","version":1}',
          value: { protocol: 'messagepack', version: 1 },
        },
      ],
    });
    const answer = concat(handshakeResponse, write({ type: MessageType.Ping }));
    const [rest, parsed] = new HandshakeProtocol().parseHandshakeResponse(answer.buffer);
    expect(parsed).toEqual({});
    expect(new Uint8Array(rest)).toEqual(write({ type: MessageType.Ping }));
    expect(messagesOf(feed(session, 'received', answer))).toEqual([
      { type: 'HandshakeResponse', summary: '{}', value: {} },
      { type: 'Ping', summary: '', value: {}, heartbeat: true },
    ]);
  });

  it('reads invocations and joins their completions', () => {
    const session = signalRMsgpackDecoder.create();
    const invocation = messagesOf(
      feed(
        session,
        'sent',
        write({
          type: MessageType.Invocation,
          invocationId: '1',
          target: 'SendMessage',
          arguments: ['ann', { text: 'hi', at: new Date(0) }],
          headers: { trace: 'abc' },
        }),
      ),
    )[0]!;
    expect(invocation).toEqual({
      type: 'Invocation',
      summary: 'SendMessage ["ann",{"text":"hi","at":"1970-01-01T00:00:00.000Z"}]',
      value: {
        headers: { trace: 'abc' },
        invocationId: '1',
        target: 'SendMessage',
        arguments: ['ann', { text: 'hi', at: '1970-01-01T00:00:00.000Z' }],
      },
      correlation: { id: '1', role: 'request' },
    });
    const completion = messagesOf(
      feed(
        session,
        'received',
        write({ type: MessageType.Completion, invocationId: '1', result: 42, headers: {} }),
      ),
    )[0]!;
    expect(completion).toEqual({
      type: 'Completion',
      summary: '#1 42',
      value: { invocationId: '1', resultKind: 3, result: 42 },
      correlation: { id: '1', role: 'reply' },
    });
    const failed = messagesOf(
      feed(
        session,
        'received',
        write({ type: MessageType.Completion, invocationId: '2', error: 'boom', headers: {} }),
      ),
    )[0]!;
    expect(failed.summary).toBe('#2 error "boom"');
    const empty = messagesOf(
      feed(
        session,
        'received',
        write({ type: MessageType.Completion, invocationId: '3', headers: {} }),
      ),
    )[0]!;
    expect(empty.value).toEqual({ invocationId: '3', resultKind: 2 });
    const oneWay = messagesOf(
      feed(
        session,
        'sent',
        write({ type: MessageType.Invocation, target: 'Notify', arguments: [], headers: {} }),
      ),
    )[0]!;
    expect(oneWay.correlation).toBeUndefined();
    expect(oneWay.summary).toBe('Notify []');
  });

  it('reads streams: items, their end, cancelation, and uploaded streams', () => {
    const session = signalRMsgpackDecoder.create();
    const start = messagesOf(
      feed(
        session,
        'sent',
        write({
          type: MessageType.StreamInvocation,
          invocationId: '5',
          target: 'Counter',
          arguments: [10],
          headers: {},
        }),
      ),
    )[0]!;
    expect(start).toMatchObject({
      type: 'StreamInvocation',
      correlation: { id: '5', role: 'request' },
    });
    const items = messagesOf(
      feed(
        session,
        'received',
        concat(
          write({ type: MessageType.StreamItem, invocationId: '5', item: 1, headers: {} }),
          write({ type: MessageType.StreamItem, invocationId: '5', item: 2, headers: {} }),
          write({ type: MessageType.Completion, invocationId: '5', headers: {} }),
        ),
      ),
    );
    expect(items.map((item) => [item.type, item.summary, item.correlation?.role])).toEqual([
      ['StreamItem', '#5 1', 'stream'],
      ['StreamItem', '#5 2', 'stream'],
      ['Completion', '#5', 'end'],
    ]);
    const cancel = messagesOf(
      feed(
        session,
        'sent',
        write({ type: MessageType.CancelInvocation, invocationId: '6', headers: {} }),
      ),
    )[0]!;
    expect(cancel).toEqual({
      type: 'CancelInvocation',
      summary: '#6',
      value: { invocationId: '6' },
      correlation: { id: '6', role: 'end' },
    });
    const upload = messagesOf(
      feed(
        session,
        'sent',
        write({
          type: MessageType.Invocation,
          invocationId: '7',
          target: 'Upload',
          arguments: [],
          streamIds: ['8'],
          headers: {},
        }),
      ),
    )[0]!;
    expect(upload.value).toMatchObject({ streamIds: ['8'] });
    const uploadEnd = messagesOf(
      feed(
        session,
        'sent',
        write({ type: MessageType.Completion, invocationId: '8', headers: {} }),
      ),
    )[0]!;
    expect(uploadEnd.correlation).toEqual({ id: '8', role: 'end' });
  });

  it('reads Close, Ack and Sequence', () => {
    const session = signalRMsgpackDecoder.create();
    expect(messagesOf(feed(session, 'received', write({ type: MessageType.Close })))[0]).toEqual({
      type: 'Close',
      summary: '',
      value: { error: null },
    });
    expect(messagesOf(feed(session, 'received', framed([7, 'Server shut down', true])))[0]).toEqual(
      {
        type: 'Close',
        summary: '"Server shut down" allow reconnect',
        value: { error: 'Server shut down', allowReconnect: true },
      },
    );
    expect(
      messagesOf(feed(session, 'sent', write({ type: MessageType.Ack, sequenceId: 12 })))[0],
    ).toEqual({
      type: 'Ack',
      summary: '12',
      value: { sequenceId: 12 },
    });
    expect(
      messagesOf(feed(session, 'sent', write({ type: MessageType.Sequence, sequenceId: 3 })))[0]!
        .type,
    ).toBe('Sequence');
  });

  it('decodes what the client library itself parses back', () => {
    const bytes = concat(
      write({
        type: MessageType.Invocation,
        invocationId: '1',
        target: 'T',
        arguments: [Uint8Array.of(1, 2), 2 ** 40, null],
        headers: {},
      }),
      write({ type: MessageType.Ping }),
    );
    const library = protocol.parseMessages(bytes.buffer, NullLogger.instance);
    const ours = messagesOf(feed(signalRMsgpackDecoder.create(), 'received', bytes));
    expect(ours.map((message) => message.type)).toEqual(
      library.map((message) => MessageType[message.type]),
    );
    expect((ours[0]!.value as { arguments: unknown }).arguments).toEqual(
      (library[0] as { arguments: unknown }).arguments,
    );
  });

  it('refuses malformed frames without throwing, keeping the sound messages of a frame', () => {
    const session = signalRMsgpackDecoder.create();
    const ping = write({ type: MessageType.Ping });
    const bad: [string, Uint8Array][] = [
      ['message 1: needs 100 bytes, only 2 left', Uint8Array.of(100, 0x91, 0x06)],
      [
        'message length is longer than five bytes',
        Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
      ],
      ['a hub message is an array starting with its type', framed({ type: 1 })],
      ['Invocation without a target', framed([1, {}, '1', 5, []])],
      ['invocation id is not a string', framed([3, {}, 7, 2])],
      ['1 bytes after the message', Uint8Array.of(3, 0x91, 0x06, 0x06)],
      ['empty frame', new Uint8Array(0)],
    ];
    for (const [error, bytes] of bad)
      expect(feed(session, 'received', bytes)).toEqual({ kind: 'error', error });
    const mixed = messagesOf(feed(session, 'received', concat(ping, framed('nope'))));
    expect(mixed.map((message) => message.type)).toEqual(['Ping', 'invalid']);
    expect(session.decode('sent', { kind: 'text', text: '{"protocol":"messagepack"' }).kind).toBe(
      'error',
    );
    expect(session.decode('sent', { kind: 'text', text: 'nope\u001e' }).kind).toBe('error');
    const handshakeFirst = signalRMsgpackDecoder.create();
    expect(feed(handshakeFirst, 'received', Uint8Array.of(0x7b, 0x7d)).kind).toBe('error');
    const unknown = messagesOf(feed(session, 'received', framed([99, 'future'])))[0]!;
    expect(unknown).toMatchObject({ type: 'type 99', summary: '["future"]' });
  });
});
