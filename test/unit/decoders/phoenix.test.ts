import { Serializer } from 'phoenix';
import { describe, expect, it } from 'vitest';
import type { DecoderInput } from '../../../src/decoders/decoder';
import { phoenixDecoder } from '../../../src/decoders/phoenix';
import { binary, expectHostileSafe, inputOf, only, text } from './decode-helpers';

interface Push {
  join_ref: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A client push as phoenix.js's own serializer writes it. */
function encoded(push: Push): DecoderInput {
  let frame: unknown;
  Serializer.encode(push, (result: unknown) => {
    frame = result;
  });
  return inputOf(frame);
}

/** What phoenix.js reads from a server frame: the reference for the decoder's reading. */
function libraryDecode(bytes: Uint8Array): Push {
  let decoded: Push | undefined;
  Serializer.decode(bytes.slice().buffer, (result: Push) => {
    decoded = result;
  });
  return decoded!;
}

describe('Phoenix Channels decoder', () => {
  it('decodes v2 pushes from phoenix.js and joins replies by ref', () => {
    const session = phoenixDecoder.create();
    const join = only(
      session,
      'sent',
      encoded({
        join_ref: '1',
        ref: '1',
        topic: 'room:lobby',
        event: 'phx_join',
        payload: { a: 1 },
      }),
    );
    expect(join).toMatchObject({
      type: 'phx_join',
      summary: 'room:lobby phx_join {"a":1}',
      value: { join_ref: '1', ref: '1', topic: 'room:lobby', event: 'phx_join', payload: { a: 1 } },
      correlation: { role: 'request' },
    });
    // Server frames follow Phoenix.Socket.V2.JSONSerializer: [join_ref, ref, topic, event, payload].
    const reply = only(
      session,
      'received',
      text('["1","1","room:lobby","phx_reply",{"status":"ok","response":{"user":7}}]'),
    );
    expect(reply).toMatchObject({ type: 'phx_reply', summary: 'room:lobby ok {"user":7}' });
    expect(reply.correlation).toEqual({ id: join.correlation!.id, role: 'reply' });
    const broadcast = only(
      session,
      'received',
      text('[null,null,"room:lobby","new_msg",{"body":"hi"}]'),
    );
    expect(broadcast.correlation).toBeUndefined();
    const close = only(session, 'received', text('["1","1","room:lobby","phx_close",{}]'));
    expect(close.correlation).toEqual({ id: join.correlation!.id, role: 'end' });
  });

  it('marks heartbeats on the phoenix topic', () => {
    const session = phoenixDecoder.create();
    const beat = only(
      session,
      'sent',
      encoded({ join_ref: null, ref: '5', topic: 'phoenix', event: 'heartbeat', payload: {} }),
    );
    expect(beat.heartbeat).toBe(true);
    const reply = only(
      session,
      'received',
      text('[null,"5","phoenix","phx_reply",{"status":"ok","response":{}}]'),
    );
    expect(reply.heartbeat).toBe(true);
    expect(reply.correlation?.id).toBe(beat.correlation?.id);
  });

  it('decodes v1 objects', () => {
    // The v1 JSON serializer sends the message as an object (hand-written: phoenix.js dropped it).
    const message = only(
      phoenixDecoder.create(),
      'received',
      text(
        '{"topic":"rooms:1","event":"phx_reply","payload":{"status":"error","response":{}},"ref":"3"}',
      ),
    );
    expect(message).toMatchObject({ type: 'phx_reply', summary: 'rooms:1 error {}' });
    expect(message.correlation?.role).toBe('reply');
  });

  it('decodes binary pushes from phoenix.js', () => {
    const bytes = new Uint8Array([9, 8, 7]);
    const message = only(
      phoenixDecoder.create(),
      'sent',
      encoded({ join_ref: '1', ref: '3', topic: 'room:1', event: 'upload', payload: bytes.buffer }),
    );
    expect(message.value).toEqual({
      join_ref: '1',
      ref: '3',
      topic: 'room:1',
      event: 'upload',
      payload: bytes,
    });
    expect(message.summary).toBe('room:1 upload <3 bytes>');
  });

  it('reads server binary frames as phoenix.js does', () => {
    const utf8 = (value: string) => [...new TextEncoder().encode(value)];
    const frames = {
      // kind, join_ref/ref/topic/status sizes, then the fields and the payload.
      reply: [1, 2, 1, 6, 2, ...utf8('12'), ...utf8('4'), ...utf8('room:1'), ...utf8('ok'), 0xff],
      // kind, topic/event sizes.
      broadcast: [2, 6, 3, ...utf8('room:1'), ...utf8('new'), 1, 2],
      // kind, join_ref/topic/event sizes: the server's pushes carry no ref.
      push: [0, 1, 6, 3, ...utf8('1'), ...utf8('room:1'), ...utf8('new'), 3],
    };
    for (const frame of Object.values(frames)) {
      const bytes = Uint8Array.from(frame);
      const reference = libraryDecode(bytes);
      const message = only(phoenixDecoder.create(), 'received', binary(bytes));
      const value = message.value as Push;
      expect([value.join_ref, value.ref, value.topic, value.event]).toEqual([
        reference.join_ref,
        reference.ref,
        reference.topic,
        reference.event,
      ]);
      const payload = reference.payload as ArrayBuffer | { status: string; response: ArrayBuffer };
      if (payload instanceof ArrayBuffer) expect(value.payload).toEqual(new Uint8Array(payload));
      else
        expect(value.payload).toEqual({
          status: payload.status,
          response: new Uint8Array(payload.response),
        });
    }
  });

  it('rejects what is not Phoenix', () => {
    const session = phoenixDecoder.create();
    for (const frame of [
      '[1,2,3]',
      '{"topic":1,"event":"x"}',
      '[null,null,"t",null,{}]',
      'x',
      '7',
    ]) {
      expect(session.decode('received', text(frame)).kind).toBe('error');
    }
    expect(session.decode('received', binary([1, 200, 0, 0, 0])).kind).toBe('error');
    expect(session.decode('received', binary([7])).kind).toBe('error');
    expect(session.decode('received', binary([2])).kind).toBe('error');
    expectHostileSafe(phoenixDecoder, [binary([0, 255, 255, 255, 255]), binary([1, 0, 0, 0])]);
  });
});
