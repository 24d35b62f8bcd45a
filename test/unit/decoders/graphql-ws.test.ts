import { MessageType, stringifyMessage } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { operationOf } from '../../../src/decoders/graphql-operation';
import {
  graphqlTransportWsDecoder,
  subscriptionsTransportWsDecoder,
} from '../../../src/decoders/graphql-ws';
import { expectHostileSafe, only, text } from './decode-helpers';

describe('graphql-transport-ws decoder (frames from graphql-ws)', () => {
  it('decodes the connection and its heartbeats', () => {
    const session = graphqlTransportWsDecoder.create();
    const init = only(
      session,
      'sent',
      text(stringifyMessage({ type: MessageType.ConnectionInit, payload: { token: 't' } })),
    );
    expect(init).toMatchObject({ type: 'connection_init', summary: '{"token":"t"}' });
    expect(
      only(session, 'received', text(stringifyMessage({ type: MessageType.ConnectionAck }))),
    ).toMatchObject({ type: 'connection_ack', summary: '' });
    for (const type of [MessageType.Ping, MessageType.Pong] as const) {
      expect(only(session, 'received', text(stringifyMessage({ type }))).heartbeat).toBe(true);
    }
  });

  it('joins an operation’s messages by id, naming it from its query', () => {
    const session = graphqlTransportWsDecoder.create();
    const subscribe = only(
      session,
      'sent',
      text(
        stringifyMessage({
          id: 'a1',
          type: MessageType.Subscribe,
          payload: {
            query: '# chat\nsubscription OnMessage($room: ID!) { message(room: $room) { text } }',
            variables: { room: '1' },
          },
        }),
      ),
    );
    expect(subscribe).toMatchObject({
      type: 'subscribe',
      summary: 'subscription OnMessage {"room":"1"}',
      correlation: { id: 'a1', role: 'request' },
    });
    const next = only(
      session,
      'received',
      text(
        stringifyMessage({
          id: 'a1',
          type: MessageType.Next,
          payload: { data: { message: { text: 'hi' } } },
        }),
      ),
    );
    expect(next).toMatchObject({
      summary: '{"message":{"text":"hi"}}',
      correlation: { id: 'a1', role: 'stream' },
    });
    const failed = only(
      session,
      'received',
      text(
        stringifyMessage({
          id: 'a1',
          type: MessageType.Next,
          payload: { data: null, errors: [{ message: 'boom' }] },
        }),
      ),
    );
    expect(failed.summary).toBe('errors: boom');
    const error = only(
      session,
      'received',
      text(
        stringifyMessage({
          id: 'a2',
          type: MessageType.Error,
          payload: [{ message: 'bad query' }],
        }),
      ),
    );
    expect(error).toMatchObject({ summary: 'bad query', correlation: { id: 'a2', role: 'end' } });
    const complete = only(
      session,
      'sent',
      text(stringifyMessage({ id: 'a1', type: MessageType.Complete })),
    );
    expect(complete.correlation).toEqual({ id: 'a1', role: 'end' });
  });

  it('prefers operationName to the query’s text', () => {
    const message = only(
      graphqlTransportWsDecoder.create(),
      'sent',
      text(
        stringifyMessage({
          id: '1',
          type: MessageType.Subscribe,
          payload: { operationName: 'B', query: 'query A { a } mutation B { b }' },
        }),
      ),
    );
    expect(message.summary).toBe('mutation B');
  });

  it('rejects unknown and malformed messages', () => {
    const session = graphqlTransportWsDecoder.create();
    for (const frame of [
      '{"type":"start","id":"1"}',
      '{"type":"ka"}',
      '{}',
      '[]',
      '{"type":1}',
      'x',
    ]) {
      expect(session.decode('sent', text(frame)).kind).toBe('error');
    }
    expectHostileSafe(graphqlTransportWsDecoder, [
      text(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: '{'.repeat(200_000) } })),
      text(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: '"'.repeat(200_000) } })),
      text(JSON.stringify({ type: 'constructor' })),
    ]);
  });
});

// No subscriptions-transport-ws library is installed: frames follow its protocol document
// (PROTOCOL.md of apollographql/subscriptions-transport-ws).
describe('subscriptions-transport-ws decoder', () => {
  it('decodes the legacy protocol', () => {
    const session = subscriptionsTransportWsDecoder.create();
    expect(only(session, 'sent', text('{"type":"connection_init","payload":{}}')).type).toBe(
      'connection_init',
    );
    expect(only(session, 'received', text('{"type":"ka"}')).heartbeat).toBe(true);
    const start = only(
      session,
      'sent',
      text(
        '{"id":"1","type":"start","payload":{"query":"subscription { counter }","variables":{},"operationName":null}}',
      ),
    );
    expect(start).toMatchObject({
      summary: 'subscription',
      correlation: { id: '1', role: 'request' },
    });
    const data = only(
      session,
      'received',
      text('{"id":"1","type":"data","payload":{"data":{"counter":3}}}'),
    );
    expect(data).toMatchObject({
      summary: '{"counter":3}',
      correlation: { id: '1', role: 'stream' },
    });
    const error = only(
      session,
      'received',
      text('{"id":"2","type":"error","payload":{"message":"nope"}}'),
    );
    expect(error).toMatchObject({ summary: 'nope', correlation: { id: '2', role: 'end' } });
    expect(only(session, 'sent', text('{"id":"1","type":"stop"}')).correlation?.role).toBe('end');
    expect(only(session, 'received', text('{"id":"1","type":"complete"}')).correlation?.role).toBe(
      'end',
    );
    expect(
      only(session, 'received', text('{"type":"connection_error","payload":{"message":"x"}}'))
        .summary,
    ).toBe('{"message":"x"}');
    expect(only(session, 'sent', text('{"type":"connection_terminate"}')).type).toBe(
      'connection_terminate',
    );
    expect(session.decode('sent', text('{"type":"subscribe","id":"1"}')).kind).toBe('error');
    expectHostileSafe(subscriptionsTransportWsDecoder);
  });
});

describe('operation names from GraphQL documents', () => {
  it('finds the first operation', () => {
    expect(operationOf('query Foo { a }')).toEqual({ operation: 'query', name: 'Foo' });
    expect(operationOf('{ a }')).toEqual({ operation: 'query' });
    expect(operationOf('mutation($x: Int) { a(x: $x) }')).toEqual({ operation: 'mutation' });
    expect(operationOf('fragment F on T { a } # query Nope\n subscription, Live { ...F }')).toEqual(
      { operation: 'subscription', name: 'Live' },
    );
    expect(operationOf('"""doc { query X"""\nquery Real { a(s: "}{") }')).toEqual({
      operation: 'query',
      name: 'Real',
    });
    expect(operationOf('query A { a } subscription B { b }', 'B')).toEqual({
      operation: 'subscription',
      name: 'B',
    });
    expect(operationOf('query A { a }', 'B')).toBeUndefined();
    expect(operationOf('')).toBeUndefined();
    expect(operationOf('fragment F on T { a }')).toBeUndefined();
  });
});
