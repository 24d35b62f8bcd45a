import { describe, expect, it } from 'vitest';
import { harBlob } from '../../src/session/har/har-export';
import { parseHar } from '../../src/session/har/har-import';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, received, sent, sequence, text } from './session-fixtures';

/** A mocked chat and a ticker a rule closed, as the hook records them. */
function ruledSession(): SessionStore {
  const store = new SessionStore();
  store.addDocument({ documentId: 'doc', url: 'http://page.test/', startedAt: 1000, frameId: 0 });
  const mark = (id: number, rule: string, effect: string, time: number) => ({
    type: 'rule-mark' as const,
    id,
    time,
    rule,
    effect: effect as 'mocked',
  });
  applyEvents(
    store,
    'doc',
    sequence([
      { ...created(1, 'ws://page.test/chat'), time: 1001 },
      mark(1, 'chat mock', 'mocked endpoint', 1001),
      { type: 'opened', id: 1, time: 1002, protocol: '', extensions: '' },
      sent(1, text('hello'), 1003),
      mark(1, 'welcome', 'mocked', 1004),
      { ...received(1, text('welcome'), 1004), origin: 'mocked' },
      mark(1, 'no secrets', 'dropped by rule', 1005),
      { ...sent(1, text('secret'), 1005), origin: 'dropped' },
      { ...created(2, 'ws://page.test/ticker'), time: 1010 },
      { type: 'opened', id: 2, time: 1011, protocol: '', extensions: '' },
      received(2, text('t1'), 1012),
      mark(2, 'break ticker', 'closed by rule', 1013),
      {
        type: 'closed',
        id: 2,
        time: 1014,
        code: 1011,
        reason: 'rule',
        wasClean: true,
        initiator: 'server',
      },
    ]),
  );
  return store;
}

const marksOf = (store: SessionStore) => ({
  connections: store.connectionList.map(({ url, mockedBy, endedByRule }) => ({
    url,
    mockedBy,
    endedByRule,
  })),
  frames: store.frames.map(({ kind, origin, rule }) => ({ kind, origin, rule })),
});

describe('rule marks', () => {
  it('go to the frame and the connection they were recorded before', () => {
    const { connections, frames } = marksOf(ruledSession());
    expect(connections).toEqual([
      { url: 'ws://page.test/chat', mockedBy: 'chat mock', endedByRule: undefined },
      {
        url: 'ws://page.test/ticker',
        mockedBy: undefined,
        endedByRule: { name: 'break ticker', effect: 'closed by rule' },
      },
    ]);
    expect(frames).toEqual([
      { kind: 'sent', origin: 'page', rule: undefined },
      { kind: 'received', origin: 'mocked', rule: { name: 'welcome', effect: 'mocked' } },
      { kind: 'sent', origin: 'dropped', rule: { name: 'no secrets', effect: 'dropped by rule' } },
      { kind: 'received', origin: 'page', rule: undefined },
      {
        kind: 'closed',
        origin: undefined,
        rule: { name: 'break ticker', effect: 'closed by rule' },
      },
    ]);
  });

  it('survive a HAR export and import', async () => {
    const original = ruledSession();
    const har = await (await harBlob(original, { scope: 'session' })).text();
    const entries = JSON.parse(har).log.entries;
    expect(entries[0]._mockedBy).toBe('chat mock');
    expect(entries[0]._webSocketMessages[1]).toMatchObject({
      _origin: 'mocked',
      _rule: 'welcome',
      _ruleEffect: 'mocked',
    });
    const imported = new SessionStore();
    imported.addImported(parseHar(har, 'import', 'ruled.har'));
    expect(marksOf(imported)).toEqual(marksOf(original));
  });

  it('takes the effect from the origin when a file names only the rule', () => {
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'hand', version: '1' },
        entries: [
          {
            _resourceType: 'websocket',
            startedDateTime: '2026-12-01T00:00:00.000Z',
            time: 1,
            request: { method: 'GET', url: 'ws://x.test/', headers: [] },
            response: { status: 101, statusText: 'Switching Protocols', headers: [] },
            _webSocketMessages: [
              { type: 'send', time: 1, opcode: 1, data: 'a', _origin: 'dropped', _rule: 'r' },
            ],
          },
        ],
      },
    };
    const imported = new SessionStore();
    imported.addImported(parseHar(JSON.stringify(har), 'import', 'hand.har'));
    expect(imported.frames[0]!.rule).toEqual({ name: 'r', effect: 'dropped by rule' });
  });
});
