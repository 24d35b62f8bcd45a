import { describe, expect, it } from 'vitest';
import { actionCableDecoder } from '../../../src/decoders/action-cable';
import { expectHostileSafe, only, text } from './decode-helpers';

// No Action Cable client is installed: frames are written as Rails' Action Cable server and the
// @rails/actioncable client write them (JSON.stringify of these objects).
const identifier = JSON.stringify({ channel: 'ChatChannel', room: 'Best Room' });

describe('Action Cable decoder', () => {
  it('decodes the server’s control messages', () => {
    const session = actionCableDecoder.create();
    expect(only(session, 'received', text('{"type":"welcome"}'))).toMatchObject({
      type: 'welcome',
      summary: '',
    });
    expect(only(session, 'received', text('{"type":"ping","message":1700000000}'))).toMatchObject({
      type: 'ping',
      summary: '1700000000',
      heartbeat: true,
    });
    expect(
      only(
        session,
        'received',
        text('{"type":"disconnect","reason":"unauthorized","reconnect":false}'),
      ),
    ).toMatchObject({ type: 'disconnect', summary: 'unauthorized reconnect=false' });
  });

  it('decodes identifiers and data inside the JSON, and joins a subscription', () => {
    const session = actionCableDecoder.create();
    const subscribe = only(
      session,
      'sent',
      text(JSON.stringify({ command: 'subscribe', identifier })),
    );
    expect(subscribe).toMatchObject({
      type: 'subscribe',
      summary: 'ChatChannel {"room":"Best Room"}',
      value: { command: 'subscribe', identifier: { channel: 'ChatChannel', room: 'Best Room' } },
      correlation: { id: identifier, role: 'request' },
    });
    const confirm = only(
      session,
      'received',
      text(JSON.stringify({ identifier, type: 'confirm_subscription' })),
    );
    expect(confirm.correlation).toEqual({ id: identifier, role: 'reply' });
    const speak = only(
      session,
      'sent',
      text(
        JSON.stringify({
          command: 'message',
          identifier,
          data: JSON.stringify({ message: 'hi', action: 'speak' }),
        }),
      ),
    );
    expect(speak).toMatchObject({
      summary: 'ChatChannel {"room":"Best Room"} speak {"message":"hi","action":"speak"}',
      value: { data: { message: 'hi', action: 'speak' } },
      correlation: { id: identifier, role: 'stream' },
    });
    const broadcast = only(
      session,
      'received',
      text(JSON.stringify({ identifier, message: { body: 'hello' } })),
    );
    expect(broadcast).toMatchObject({
      type: 'message',
      summary: 'ChatChannel {"room":"Best Room"} {"body":"hello"}',
    });
    expect(broadcast.correlation).toEqual({ id: identifier, role: 'stream' });
    const unsubscribe = only(
      session,
      'sent',
      text(JSON.stringify({ command: 'unsubscribe', identifier })),
    );
    expect(unsubscribe.correlation?.role).toBe('end');
    const reject = only(
      session,
      'received',
      text(JSON.stringify({ identifier, type: 'reject_subscription' })),
    );
    expect(reject.correlation?.role).toBe('reply');
  });

  it('keeps identifiers that are not JSON as text', () => {
    const message = only(
      actionCableDecoder.create(),
      'sent',
      text('{"command":"subscribe","identifier":"not json"}'),
    );
    expect(message.value).toMatchObject({ identifier: 'not json' });
    expect(message.summary).toBe('"not json"');
  });

  it('rejects what is not Action Cable', () => {
    const session = actionCableDecoder.create();
    for (const frame of ['[]', '{"foo":1}', 'nope', '1']) {
      expect(session.decode('received', text(frame)).kind).toBe('error');
    }
    expectHostileSafe(actionCableDecoder, [
      text(
        JSON.stringify({
          command: 'message',
          identifier: '['.repeat(100_000),
          data: '{'.repeat(10),
        }),
      ),
    ]);
  });
});
