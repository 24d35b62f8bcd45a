import { type HubMessage, JsonHubProtocol, MessageType, NullLogger } from '@microsoft/signalr';
import { HandshakeProtocol } from '@microsoft/signalr/dist/esm/HandshakeProtocol';
import { describe, expect, it } from 'vitest';
import { signalrJsonDecoder } from '../../../src/decoders/signalr-json';
import { expectHostileSafe, messagesOf, only, text } from './decode-helpers';

const protocol = new JsonHubProtocol();
const write = (...messages: HubMessage[]) =>
  text(messages.map((message) => protocol.writeMessage(message) as string).join(''));

describe('SignalR JSON hub protocol decoder (frames from @microsoft/signalr)', () => {
  it('decodes the handshake', () => {
    const session = signalrJsonDecoder.create();
    const request = new HandshakeProtocol().writeHandshakeRequest({ protocol: 'json', version: 1 });
    expect(only(session, 'sent', text(request))).toMatchObject({
      type: 'Handshake',
      summary: 'json v1',
    });
    expect(only(session, 'received', text('{}\x1e'))).toMatchObject({
      type: 'HandshakeResponse',
      summary: 'ok',
    });
    expect(
      only(session, 'received', text('{"error":"Requested protocol \'x\' is not available."}\x1e'))
        .summary,
    ).toBe("Requested protocol 'x' is not available.");
  });

  it('decodes several messages per frame and joins invocations with completions', () => {
    const session = signalrJsonDecoder.create();
    const [invoke, ping] = messagesOf(
      session.decode(
        'sent',
        write(
          {
            type: MessageType.Invocation,
            invocationId: '0',
            target: 'Send',
            arguments: ['bob', 'hi'],
            streamIds: [],
          },
          { type: MessageType.Ping },
        ),
      ),
    );
    expect(invoke).toMatchObject({
      type: 'Invocation',
      summary: 'Send ["bob","hi"]',
      correlation: { role: 'request' },
    });
    expect(ping).toMatchObject({ type: 'Ping', heartbeat: true });
    const completion = only(
      session,
      'received',
      write({ type: MessageType.Completion, invocationId: '0', result: 42 }),
    );
    expect(completion).toMatchObject({
      summary: '42',
      correlation: { id: invoke!.correlation!.id, role: 'reply' },
    });
    const failed = only(
      session,
      'received',
      write({ type: MessageType.Completion, invocationId: '9', error: 'nope' }),
    );
    expect(failed.summary).toBe('error: nope');
    const broadcast = only(
      session,
      'received',
      write({ type: MessageType.Invocation, target: 'ReceiveMessage', arguments: ['bob', 'hi'] }),
    );
    expect(broadcast.correlation).toBeUndefined();
  });

  it('joins server streams, client streams and cancellations', () => {
    const session = signalrJsonDecoder.create();
    const stream = only(
      session,
      'sent',
      write({
        type: MessageType.StreamInvocation,
        invocationId: '1',
        target: 'Counter',
        arguments: [10],
        streamIds: [],
      }),
    );
    const item = only(
      session,
      'received',
      write({ type: MessageType.StreamItem, invocationId: '1', item: 3 }),
    );
    expect(item).toMatchObject({
      summary: '3',
      correlation: { id: stream.correlation!.id, role: 'stream' },
    });
    const cancel = only(
      session,
      'sent',
      write({ type: MessageType.CancelInvocation, invocationId: '1' }),
    );
    expect(cancel.correlation).toEqual({ id: stream.correlation!.id, role: 'end' });
    const done = only(
      session,
      'received',
      write({ type: MessageType.Completion, invocationId: '1' }),
    );
    expect(done.correlation).toEqual({ id: stream.correlation!.id, role: 'end' });

    // Uploading: the client names the stream and sends its items itself.
    only(
      session,
      'sent',
      write({
        type: MessageType.Invocation,
        invocationId: '2',
        target: 'Upload',
        arguments: [],
        streamIds: ['3'],
      }),
    );
    const upload = only(
      session,
      'sent',
      write({ type: MessageType.StreamItem, invocationId: '3', item: 'a' }),
    );
    const uploadEnd = only(
      session,
      'sent',
      write({ type: MessageType.Completion, invocationId: '3' }),
    );
    expect(upload.correlation?.id).toBe(uploadEnd.correlation?.id);
    expect(uploadEnd.correlation?.role).toBe('end');
  });

  it('decodes close, ack and sequence messages', () => {
    const session = signalrJsonDecoder.create();
    expect(
      only(
        session,
        'received',
        write({ type: MessageType.Close, error: 'bye', allowReconnect: true }),
      ).summary,
    ).toBe('bye allowReconnect=true');
    expect(only(session, 'received', write({ type: MessageType.Ack, sequenceId: 4 })).summary).toBe(
      'sequenceId=4',
    );
    expect(only(session, 'sent', write({ type: MessageType.Sequence, sequenceId: 5 })).type).toBe(
      'Sequence',
    );
    // The library reads these frames back the same way.
    expect(protocol.parseMessages('{"type":6}\x1e', NullLogger.instance)).toEqual([{ type: 6 }]);
  });

  it('rejects malformed frames', () => {
    const session = signalrJsonDecoder.create();
    for (const frame of [
      '{"type":1}',
      '{"type":1}\x1ex',
      '{"type":99}\x1e',
      '[]\x1e',
      'x\x1e',
      '\x1e',
    ]) {
      expect(session.decode('received', text(frame)).kind).toBe('error');
    }
    expectHostileSafe(signalrJsonDecoder, [
      text(`${'{"type":1,"invocationId":"x","streamIds":["1"]}\x1e'.repeat(2_000)}`),
      text('{"type":2,"invocationId":"__proto__","item":1}\x1e'),
    ]);
  });
});
