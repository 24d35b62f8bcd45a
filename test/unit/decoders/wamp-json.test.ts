import { describe, expect, it } from 'vitest';
import { decodeWampMessage, wampJsonDecoder } from '../../../src/decoders/wamp-json';
import { expectHostileSafe, messagesOf, only, text } from './decode-helpers';

// No WAMP library is installed: frames follow the WAMP v2 specification's message formats.
describe('WAMP JSON decoder', () => {
  it('names the session messages’ fields', () => {
    const session = wampJsonDecoder.create();
    const hello = only(
      session,
      'sent',
      text('[1,"realm1",{"roles":{"caller":{},"subscriber":{}}}]'),
    );
    expect(hello).toMatchObject({
      type: 'HELLO',
      summary: 'realm1',
      value: { code: 1, type: 'HELLO', realm: 'realm1', details: { roles: { caller: {} } } },
    });
    expect(only(session, 'received', text('[2,9129137332,{"roles":{"broker":{}}}]')).summary).toBe(
      'session 9129137332',
    );
    expect(
      only(session, 'received', text('[3,{"message":"no such realm"},"wamp.error.no_such_realm"]')),
    ).toMatchObject({
      type: 'ABORT',
      summary: 'wamp.error.no_such_realm {"message":"no such realm"}',
    });
    expect(only(session, 'sent', text('[6,{},"wamp.close.close_realm"]')).type).toBe('GOODBYE');
  });

  it('joins a call with its progressive and final results', () => {
    const session = wampJsonDecoder.create();
    const call = only(
      session,
      'sent',
      text('[48,7814135,{"receive_progress":true},"com.myapp.add2",[23,7],{"round":true}]'),
    );
    expect(call).toMatchObject({ type: 'CALL', summary: 'com.myapp.add2 [[23,7],{"round":true}]' });
    expect(call.value).toMatchObject({
      request: 7814135,
      procedure: 'com.myapp.add2',
      args: [23, 7],
    });
    const progress = only(session, 'received', text('[50,7814135,{"progress":true},[10]]'));
    const result = only(session, 'received', text('[50,7814135,{},[30]]'));
    expect(call.correlation?.role).toBe('request');
    expect(progress.correlation).toEqual({ id: call.correlation!.id, role: 'stream' });
    expect(result.correlation).toEqual({ id: call.correlation!.id, role: 'reply' });
    expect(result.summary).toBe('[30]');
    const cancel = only(session, 'sent', text('[49,7814135,{"mode":"kill"}]'));
    expect(cancel.correlation).toEqual({ id: call.correlation!.id, role: 'end' });
  });

  it('joins the router’s invocations with the callee’s yields and errors', () => {
    const session = wampJsonDecoder.create();
    const invocation = only(
      session,
      'received',
      text('[68,6131533,9823527,{"procedure":"com.myapp.echo"},["Hello, world!"]]'),
    );
    expect(invocation.summary).toBe('com.myapp.echo ["Hello, world!"]');
    const yielded = only(session, 'sent', text('[70,6131533,{},["Hello, world!"]]'));
    expect(yielded.correlation).toEqual({ id: invocation.correlation!.id, role: 'reply' });
    const error = only(session, 'sent', text('[8,68,6131533,{},"com.myapp.error.overflow",[1]]'));
    expect(error).toMatchObject({
      type: 'ERROR',
      summary: 'INVOCATION com.myapp.error.overflow [1]',
    });
    expect(error.correlation?.id).toBe(invocation.correlation!.id);
    // The client's CALL 6131533 is another request than the router's INVOCATION 6131533.
    const call = only(session, 'sent', text('[48,6131533,{},"x"]'));
    expect(call.correlation!.id).not.toBe(invocation.correlation!.id);
  });

  it('decodes publish and subscribe', () => {
    const session = wampJsonDecoder.create();
    const subscribe = only(session, 'sent', text('[32,713845233,{},"com.myapp.mytopic1"]'));
    expect(subscribe.summary).toBe('com.myapp.mytopic1');
    const subscribed = only(session, 'received', text('[33,713845233,5512315355]'));
    expect(subscribed.summary).toBe('request=713845233 subscription=5512315355');
    expect(subscribed.correlation?.id).toBe(subscribe.correlation?.id);
    expect(
      only(session, 'sent', text('[16,239714735,{},"com.myapp.mytopic1",["Hello"]]')).summary,
    ).toBe('com.myapp.mytopic1 ["Hello"]');
    expect(only(session, 'received', text('[17,239714735,4429313566]')).type).toBe('PUBLISHED');
    const event = only(
      session,
      'received',
      text('[36,5512315355,4429313566,{},["Hello"],{"a":1}]'),
    );
    expect(event.value).toMatchObject({
      subscription: 5512315355,
      args: ['Hello'],
      kwargs: { a: 1 },
    });
    expect(event.correlation).toBeUndefined();
    for (const frame of [
      '[34,85346237,5512315355]',
      '[35,85346237]',
      '[64,1,{},"p"]',
      '[65,1,2]',
      '[66,3,2]',
      '[67,3]',
      '[69,6131533,{}]',
    ]) {
      expect(messagesOf(session.decode('received', text(frame)))).toHaveLength(1);
    }
  });

  it('splits batched frames', () => {
    const messages = messagesOf(
      wampJsonDecoder.create().decode('received', text('[35,1]\x18[67,2]\x18')),
    );
    expect(messages.map((message) => message.type)).toEqual(['UNSUBSCRIBED', 'UNREGISTERED']);
  });

  it('decodes already-parsed arrays for other serialisations', () => {
    const outcome = decodeWampMessage([36, 1, 2, {}, [new Uint8Array([1, 2])]], 'received');
    expect(messagesOf(outcome)[0]!.summary).toBe('[<2 bytes>]');
    expect(messagesOf(decodeWampMessage([48, 9, {}, 'p']))[0]!.correlation).toEqual({
      id: '9',
      role: 'request',
    });
  });

  it('rejects malformed messages', () => {
    const session = wampJsonDecoder.create();
    for (const frame of ['[]', '["1"]', '[99]', '[48,1,{}]', '{"a":1}', '[1', '']) {
      expect(session.decode('sent', text(frame)).kind).toBe('error');
    }
    expectHostileSafe(wampJsonDecoder, [
      text(`[48,1,{},"${'p'.repeat(1000)}",[${'1,'.repeat(1000)}1]]`),
    ]);
  });
});
