import { describe, expect, it } from 'vitest';
import { jsonRpcDecoder } from '../../../src/decoders/json-rpc';
import { expectHostileSafe, messagesOf, only, text } from './decode-helpers';

// No JSON-RPC library is installed: frames follow the JSON-RPC 2.0 specification's examples.
describe('JSON-RPC 2.0 decoder', () => {
  it('decodes a request and joins its result', () => {
    const session = jsonRpcDecoder.create();
    const request = only(
      session,
      'sent',
      text('{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}'),
    );
    expect(request).toMatchObject({ type: 'request', summary: 'subtract [42,23]' });
    const result = only(session, 'received', text('{"jsonrpc": "2.0", "result": 19, "id": 1}'));
    expect(result).toMatchObject({ type: 'result', summary: '19' });
    expect(result.correlation).toEqual({ id: request.correlation!.id, role: 'reply' });
    expect(request.correlation!.role).toBe('request');
  });

  it('keeps the two sides’ request ids apart', () => {
    const session = jsonRpcDecoder.create();
    const mine = only(session, 'sent', text('{"jsonrpc":"2.0","method":"a","id":1}'));
    const theirs = only(session, 'received', text('{"jsonrpc":"2.0","method":"b","id":1}'));
    expect(mine.correlation!.id).not.toBe(theirs.correlation!.id);
    const answer = only(session, 'sent', text('{"jsonrpc":"2.0","result":null,"id":1}'));
    expect(answer.correlation!.id).toBe(theirs.correlation!.id);
  });

  it('decodes notifications and errors', () => {
    const session = jsonRpcDecoder.create();
    const notification = only(
      session,
      'sent',
      text('{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}'),
    );
    expect(notification).toMatchObject({ type: 'notification', summary: 'update [1,2,3,4,5]' });
    expect(notification.correlation).toBeUndefined();
    const error = only(
      session,
      'received',
      text(
        '{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}',
      ),
    );
    expect(error).toMatchObject({ type: 'error', summary: '-32601 Method not found' });
    expect(error.correlation?.role).toBe('reply');
    const parseError = only(
      session,
      'received',
      text('{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}'),
    );
    expect(parseError.correlation).toBeUndefined();
  });

  it('decodes batches, marking invalid members', () => {
    const messages = messagesOf(
      jsonRpcDecoder
        .create()
        .decode(
          'sent',
          text(
            '[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},' +
              '{"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},' +
              '{"foo": "boo"}, 1]',
          ),
        ),
    );
    expect(messages.map((message) => message.type)).toEqual([
      'request',
      'notification',
      'invalid',
      'invalid',
    ]);
  });

  it('rejects what is not JSON-RPC', () => {
    const session = jsonRpcDecoder.create();
    expect(session.decode('sent', text('[]')).kind).toBe('error');
    expect(session.decode('sent', text('{"foo":1}')).kind).toBe('error');
    expect(session.decode('sent', text('not json')).kind).toBe('error');
    expect(session.decode('sent', text('"x"')).kind).toBe('error');
    expect(session.decode('sent', { kind: 'binary', bytes: new Uint8Array([0xff]) }).kind).toBe(
      'error',
    );
  });

  it('bounds summaries and survives hostile input', () => {
    const long = only(
      jsonRpcDecoder.create(),
      'sent',
      text(
        JSON.stringify({
          jsonrpc: '2.0',
          method: 'm'.repeat(500),
          params: ['p'.repeat(500)],
          id: 1,
        }),
      ),
    );
    expect(long.summary.length).toBeLessThanOrEqual(200);
    expectHostileSafe(jsonRpcDecoder);
  });
});
