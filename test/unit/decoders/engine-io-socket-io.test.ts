import { type Packet as EnginePacket, encodePacket } from 'engine.io-parser';
import { Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import type { DecoderInput } from '../../../src/decoders/decoder';
import { socketIoDecoder } from '../../../src/decoders/engine-io-socket-io';
import { binary, expectHostileSafe, inputOf, only, text } from './decode-helpers';

/** An Engine.IO v4 packet as engine.io-parser writes it for a WebSocket. */
function engine(packet: EnginePacket): DecoderInput {
  let frame: unknown;
  encodePacket(packet, true, (encoded) => {
    frame = encoded;
  });
  return inputOf(frame);
}

/** A Socket.IO packet as socket.io-parser writes it, each part in its Engine.IO message. */
function socketIo(packet: Packet): DecoderInput[] {
  return new Encoder().encode(packet).map((part) => engine({ type: 'message', data: part }));
}

describe('Engine.IO / Socket.IO decoder (frames from engine.io-parser and socket.io-parser)', () => {
  it('decodes Engine.IO v4 packets', () => {
    const session = socketIoDecoder.create();
    const handshake = {
      sid: 'abc',
      upgrades: [],
      pingInterval: 25000,
      pingTimeout: 20000,
      maxPayload: 1e6,
    };
    expect(
      only(session, 'received', engine({ type: 'open', data: JSON.stringify(handshake) })),
    ).toMatchObject({
      type: 'open',
      summary: 'sid="abc" pingInterval=25000 pingTimeout=20000 maxPayload=1000000',
      value: handshake,
    });
    expect(only(session, 'received', engine({ type: 'ping' }))).toMatchObject({
      type: 'ping',
      heartbeat: true,
    });
    expect(only(session, 'sent', engine({ type: 'pong' }))).toMatchObject({
      type: 'pong',
      heartbeat: true,
    });
    expect(only(session, 'sent', engine({ type: 'ping', data: 'probe' })).summary).toBe('probe');
    expect(only(session, 'sent', engine({ type: 'upgrade' })).type).toBe('upgrade');
    expect(only(session, 'received', engine({ type: 'noop' })).type).toBe('noop');
    expect(only(session, 'received', engine({ type: 'close' })).type).toBe('close');
    expect(only(session, 'sent', engine({ type: 'message', data: 'plain text' }))).toMatchObject({
      type: 'message',
      summary: 'plain text',
    });
    expect(
      only(session, 'sent', engine({ type: 'message', data: new Uint8Array([1, 2]) })).value,
    ).toEqual(new Uint8Array([1, 2]));
  });

  it('decodes Socket.IO packets with namespaces and acks', () => {
    const session = socketIoDecoder.create();
    expect(
      only(
        session,
        'sent',
        socketIo({ type: PacketType.CONNECT, nsp: '/', data: { token: 't' } })[0]!,
      ),
    ).toMatchObject({
      type: 'CONNECT',
      summary: '{"token":"t"}',
    });
    expect(
      only(
        session,
        'received',
        socketIo({ type: PacketType.CONNECT, nsp: '/', data: { sid: 's1' } })[0]!,
      ).type,
    ).toBe('CONNECT');
    const event = only(
      session,
      'sent',
      socketIo({ type: PacketType.EVENT, nsp: '/chat', id: 7, data: ['msg', { a: 1 }] })[0]!,
    );
    expect(event).toMatchObject({
      type: 'EVENT',
      summary: '/chat msg [{"a":1}]',
      value: { namespace: '/chat', id: 7, event: 'msg', args: [{ a: 1 }] },
      correlation: { role: 'request' },
    });
    const ack = only(
      session,
      'received',
      socketIo({ type: PacketType.ACK, nsp: '/chat', id: 7, data: ['ok'] })[0]!,
    );
    expect(ack).toMatchObject({ type: 'ACK', summary: '/chat ["ok"]' });
    expect(ack.correlation).toEqual({ id: event.correlation!.id, role: 'reply' });
    // The server numbers its own acks: its event 7 is not the client's.
    const serverEvent = only(
      session,
      'received',
      socketIo({ type: PacketType.EVENT, nsp: '/chat', id: 7, data: ['ask'] })[0]!,
    );
    expect(serverEvent.correlation!.id).not.toBe(event.correlation!.id);
    const error = only(
      session,
      'received',
      socketIo({
        type: PacketType.CONNECT_ERROR,
        nsp: '/admin',
        data: { message: 'not authorized' },
      })[0]!,
    );
    expect(error).toMatchObject({ type: 'CONNECT_ERROR', summary: '/admin not authorized' });
    expect(
      only(session, 'sent', socketIo({ type: PacketType.DISCONNECT, nsp: '/chat' })[0]!),
    ).toMatchObject({
      type: 'DISCONNECT',
      summary: '/chat',
    });
  });

  it('puts binary attachments in place of their placeholders', () => {
    const session = socketIoDecoder.create();
    only(session, 'received', engine({ type: 'open', data: '{"sid":"a","maxPayload":1}' }));
    const frames = socketIo({
      type: PacketType.EVENT,
      nsp: '/',
      id: 3,
      // v4 attachments are raw, even when they start with v3's prefix byte.
      data: ['upload', new Uint8Array([4, 2, 3]), { nested: new Uint8Array([4]) }],
    });
    expect(frames).toHaveLength(3);
    expect(session.decode('sent', frames[0]!)).toEqual({
      kind: 'partial',
      note: 'BINARY_EVENT waiting for 2 attachments',
    });
    // The other direction goes on meanwhile.
    expect(only(session, 'received', engine({ type: 'ping' })).heartbeat).toBe(true);
    expect(session.decode('sent', frames[1]!)).toEqual({
      kind: 'partial',
      note: 'attachment 1 of 2',
    });
    const message = only(session, 'sent', frames[2]!);
    expect(message).toMatchObject({
      type: 'BINARY_EVENT',
      summary: 'upload [<3 bytes>,{"nested":<1 bytes>}]',
      value: {
        event: 'upload',
        id: 3,
        attachments: 2,
        args: [new Uint8Array([4, 2, 3]), { nested: new Uint8Array([4]) }],
      },
      correlation: { role: 'request' },
    });
    const ackFrames = socketIo({
      type: PacketType.ACK,
      nsp: '/',
      id: 3,
      data: [new Uint8Array([9])],
    });
    expect(session.decode('received', ackFrames[0]!).kind).toBe('partial');
    const ack = only(session, 'received', ackFrames[1]!);
    expect(ack).toMatchObject({ type: 'BINARY_ACK', value: { args: [new Uint8Array([9])] } });
    expect(ack.correlation?.id).toBe(message.correlation?.id);
  });

  it('gives up on attachments when a text packet comes instead', () => {
    const session = socketIoDecoder.create();
    expect(session.decode('sent', text('451-["a",{"_placeholder":true,"num":0}]')).kind).toBe(
      'partial',
    );
    expect(only(session, 'sent', text('42["b"]')).summary).toBe('b []');
    expect(only(session, 'sent', binary([1])).type).toBe('message');
  });

  // Engine.IO v3 and Socket.IO v2 frames are written from their protocol documents: the installed
  // parsers speak only v4/v5.
  it('decodes Engine.IO v3 with Socket.IO v2', () => {
    const session = socketIoDecoder.create();
    expect(
      only(
        session,
        'received',
        text('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":5000}'),
      ).type,
    ).toBe('open');
    expect(only(session, 'received', text('40')).type).toBe('CONNECT');
    expect(only(session, 'sent', text('40/admin?token=abc,'))).toMatchObject({
      value: { namespace: '/admin', query: 'token=abc' },
    });
    expect(session.decode('sent', text('451-["file",{"_placeholder":true,"num":0}]')).kind).toBe(
      'partial',
    );
    // v3 binary frames start with the message type, 4.
    expect(only(session, 'sent', binary([4, 0xca, 0xfe])).value).toMatchObject({
      args: [new Uint8Array([0xca, 0xfe])],
    });
    expect(only(session, 'sent', text('2')).heartbeat).toBe(true);
    expect(only(session, 'sent', binary([4, 7])).value).toEqual(new Uint8Array([7]));
    expect(session.decode('sent', binary([5, 7])).kind).toBe('error');
  });

  it('decodes base64 binary messages', () => {
    expect(only(socketIoDecoder.create(), 'received', text('bAQID')).value).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });

  it('rejects what is not Engine.IO, and keeps malformed Socket.IO as plain messages', () => {
    const session = socketIoDecoder.create();
    for (const frame of ['', 'x', '7', '0', '0[]', '0{', 'b!!!']) {
      expect(session.decode('received', text(frame)).kind).toBe('error');
    }
    for (const frame of [
      '42',
      '42{"a":1}',
      '43["x"]',
      '41{}',
      '451-',
      '4999999-[]',
      '40"x"',
      '4{',
    ]) {
      expect(only(session, 'received', text(frame)).type).toBe('message');
    }
    expectHostileSafe(socketIoDecoder, [
      text(`42${'['.repeat(100_000)}`),
      text('4999-["x"]'),
      text(`451-["x",${'['.repeat(10_000)}{"_placeholder":true,"num":0}${']'.repeat(10_000)}]`),
      binary([1]),
      text(
        '451-["x",{"_placeholder":true,"num":"__proto__"},{"__proto__":{"_placeholder":true,"num":0}}]',
      ),
      binary([2]),
    ]);
  });
});
