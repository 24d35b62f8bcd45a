import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../src/protocol/relay-events';
import { connectionLabels, labelLine, labelOf } from '../../src/session/connection-labels';
import type { Connection, DocumentState } from '../../src/session/session-model';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents } from './record-helpers';
import { created, sequence } from './session-fixtures';

function connection(
  documentId: string,
  id: number,
  url: string,
  fields: Partial<Connection> = {},
): Connection {
  return {
    key: `${documentId}#${id}`,
    documentId,
    id,
    frameId: 0,
    pageUrl: '',
    requestedUrl: url,
    url,
    protocols: [],
    protocol: '',
    extensions: '',
    state: 'open',
    createdAt: 100,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
    ...fields,
  };
}

function documents(
  ...list: Array<[documentId: string, url: string, frameId: number, startedAt?: number]>
): Map<string, DocumentState> {
  return new Map(
    list.map(([documentId, url, frameId, startedAt = 1]) => [
      documentId,
      { info: { documentId, url, frameId, startedAt }, nextSeq: 0, lost: 0, rejected: 0 },
    ]),
  );
}

const texts = (labels: Map<string, { text: string }>) =>
  [...labels.values()].map((label) => label.text);

describe('connectionLabels', () => {
  it('names a connection by host and path, not by its number', () => {
    const labels = connectionLabels(
      [
        connection('d', 4, 'wss://api.test:8443/feed?room=1'),
        connection('d', 5, 'ws://api.test/chat'),
      ],
      documents(['d', 'https://app.test/', 0]),
      undefined,
    );
    expect(texts(labels)).toEqual(['api.test:8443/feed?room=1', 'api.test/chat']);
    expect(labels.get('d#4')!.title).toBe('wss://api.test:8443/feed?room=1');
    expect(labels.get('d#4')!.marks).toEqual([]);
  });

  it('adds a short id only to connections that would otherwise read the same', () => {
    const labels = connectionLabels(
      [
        connection('d', 1, 'wss://api.test/feed'),
        connection('d', 2, 'wss://api.test/other'),
        // Same host and path as the first: another document numbers its sockets from 1 too.
        connection('e', 1, 'wss://api.test/feed'),
        connection('d', 3, 'ws://api.test/feed'),
      ],
      documents(['d', 'https://app.test/', 0], ['e', 'https://app.test/', 0]),
      undefined,
    );
    expect(texts(labels)).toEqual([
      'api.test/feed #1',
      'api.test/other',
      'api.test/feed #2',
      'api.test/feed #3',
    ]);
    expect(new Set(texts(labels)).size).toBe(4);
  });

  it('never gives an id another connection already reads as', () => {
    const labels = connectionLabels(
      [connection('d', 1, 'x #1'), connection('d', 2, 'x'), connection('d', 3, 'x')],
      documents(['d', 'https://app.test/', 0]),
      undefined,
    );
    expect(texts(labels)).toEqual(['x #1', 'x #2', 'x #3']);
  });

  it('shows the frame origin of a connection opened in an iframe of another origin', () => {
    const labels = connectionLabels(
      [
        connection('top', 1, 'wss://api.test/feed'),
        connection('ads', 1, 'wss://api.test/feed', { frameId: 3 }),
        connection('same', 1, 'wss://api.test/live', { frameId: 4 }),
        connection('blank', 1, 'wss://api.test/blank', { frameId: 5 }),
      ],
      documents(
        ['top', 'https://app.test/home', 0],
        ['ads', 'https://ads.test:8080/slot?x=1', 3],
        ['same', 'https://app.test/widget', 4],
        ['blank', 'about:blank', 5],
      ),
      undefined,
    );
    // The iframe's origin tells the two feeds apart: no id needed.
    expect(texts(labels)).toEqual([
      'api.test/feed',
      'api.test/feed in https://ads.test:8080',
      'api.test/live',
      'api.test/blank',
    ]);
    expect(labels.get('ads#1')!.title).toContain('https://ads.test:8080/slot?x=1');
  });

  it('takes the frame from the document as announced, and compares with its own page top', () => {
    const labels = connectionLabels(
      [
        // Created before its document was announced: the connection did not know its frame.
        connection('ifr', 1, 'wss://api.test/feed', { frameId: -1, createdAt: 50 }),
        // An iframe of the second page, whose top has the iframe's origin.
        connection('ifr2', 1, 'wss://api.test/feed2', { frameId: 2, createdAt: 600 }),
      ],
      documents(
        ['top1', 'https://app.test/', 0, 10],
        ['ifr', 'https://ads.test/', 2, 20],
        ['top2', 'https://ads.test/', 0, 500],
        ['ifr2', 'https://ads.test/frame', 2, 550],
      ),
      undefined,
    );
    expect(texts(labels)).toEqual(['api.test/feed in https://ads.test', 'api.test/feed2']);
  });

  it('marks imported and earlier-page connections, and an imported one never as earlier', () => {
    const labels = connectionLabels(
      [
        connection('old', 1, 'wss://api.test/feed', { createdAt: 100 }),
        connection('new', 1, 'wss://api.test/feed', { createdAt: 2000 }),
        connection('file', 1, 'wss://api.test/feed', { createdAt: 50, imported: 'a.har' }),
      ],
      documents(['old', 'https://app.test/1', 0, 10], ['new', 'https://app.test/2', 0, 1000]),
      1000,
    );
    expect([...labels.values()].map((label) => label.marks)).toEqual([
      ['earlier-page'],
      [],
      ['imported'],
    ]);
    expect(labels.get('old#1')!.title).toContain('Earlier page: https://app.test/1');
    expect(labels.get('file#1')!.title).toContain('Imported from a.har');
    expect([...labels.values()].map(labelLine)).toEqual([
      '⟲ api.test/feed #1',
      'api.test/feed #2',
      '[imported] api.test/feed #3',
    ]);
  });

  it("names a shared or service worker's script for a socket seen only in its handshake", () => {
    const handshake = (fields: object) => ({
      requestId: '1',
      frameId: -1,
      url: 'wss://api.test/feed',
      startedAt: 1,
      ...fields,
    });
    const labels = connectionLabels(
      [
        connection('w', 1, 'wss://api.test/feed', {
          handshakeOnly: true,
          handshake: handshake({
            workerOrigin: 'https://app.test',
            originUrl: 'https://app.test/shared.js',
          }),
        }),
        // A dedicated worker's: Firefox's originUrl is the page, which is no script.
        connection('w', 2, 'wss://api.test/feed', {
          handshakeOnly: true,
          handshake: handshake({ originUrl: 'https://app.test/' }),
        }),
      ],
      new Map(),
      undefined,
    );
    expect(labels.get('w#1')!.title).toContain('Opened by the worker https://app.test/shared.js');
    expect(labels.get('w#2')!.title).not.toContain('Opened by the worker');
    expect(labels.get('w#2')!.marks).toEqual(['handshake-only']);
  });

  it('labels a connection no session labelled from the connection alone', () => {
    expect(labelOf(connection('d', 9, 'wss://api.test/x')).text).toBe('api.test/x');
  });
});

describe('the session labels its connections', () => {
  it('as they come, as documents are announced, and again when a page goes', () => {
    const store = new SessionStore();
    store.addDocument({ documentId: 'a', url: 'https://app.test/', startedAt: 1, frameId: 0 });
    applyEvents(store, 'a', sequence([created(1, 'wss://api.test/feed')]));
    // The iframe's events come before the background announces it.
    applyEvents(store, 'f', sequence([created(1, 'wss://api.test/feed')]));
    const label = (key: string) => store.connections.get(key)!.label!;
    expect(label('a#1').text).toBe('api.test/feed #1');
    expect(label('f#1').text).toBe('api.test/feed #2');
    store.addDocument({ documentId: 'f', url: 'https://ads.test/', startedAt: 2, frameId: 7 });
    expect(label('a#1').text).toBe('api.test/feed');
    expect(label('f#1').text).toBe('api.test/feed in https://ads.test');

    store.preserveLog = true;
    store.addDocument({ documentId: 'b', url: 'https://app.test/2', startedAt: 5000, frameId: 0 });
    expect(label('a#1').marks).toEqual(['earlier-page']);
    applyEvents(store, 'b', sequence([{ ...created(1, 'wss://api.test/feed'), time: 6000 }]));
    expect(label('b#1')).toMatchObject({ text: 'api.test/feed #2', marks: [] });
    expect(label('a#1').text).toBe('api.test/feed #1');

    store.preserveLog = false;
    store.addDocument({ documentId: 'c', url: 'https://app.test/3', startedAt: 9000, frameId: 0 });
    applyEvents(store, 'c', sequence([{ ...created(1, 'wss://api.test/feed'), time: 9500 }]));
    expect(store.connectionList.map((connection) => connection.label!.text)).toEqual([
      'api.test/feed',
    ]);
  });

  it("marks a connection mocked when the mock rule's mark comes in a later batch", () => {
    const store = new SessionStore();
    store.addDocument({ documentId: 'a', url: 'https://app.test/', startedAt: 1, frameId: 0 });
    const [creation] = sequence([created(1, 'wss://api.test/chat')]);
    applyEvents(store, 'a', [creation!]);
    expect(store.connections.get('a#1')!.label!.marks).toEqual([]);
    const mark = { type: 'rule-mark', id: 1, time: 2, rule: 'chat', effect: 'mocked endpoint' };
    applyEvents(store, 'a', [{ seq: creation!.seq + 1, event: mark as WireEvent }]);
    expect(store.connections.get('a#1')!.label!.marks).toEqual(['mocked']);
  });
});
