import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pkg from '@har-sdk/validator';
import { describe, expect, it } from 'vitest';
import { RECORD_RECEIVED, WIRE_BINARY } from '../../src/protocol/event-records';
import { browserSnippet, nodeSnippet } from '../../src/session/copy-as-code';
import { harBlob } from '../../src/session/har/har-export';
import { HarImportError, parseHar } from '../../src/session/har/har-import';
import { SessionStore } from '../../src/session/session-store';
import { startTestServer } from '../support/ws-test-server';
import { applyEvents } from './record-helpers';
import { binary, created, received, sent, sequence, text } from './session-fixtures';

const { HarValidator } = pkg as unknown as {
  HarValidator: new () => { verify(har: unknown): Promise<unknown[]> };
};

function recordedSession(): SessionStore {
  const store = new SessionStore();
  store.addDocument({
    documentId: 'doc',
    url: 'http://page.test/app',
    startedAt: 1_795_168_800_000.25,
    frameId: 0,
  });
  applyEvents(
    store,
    'doc',
    sequence([
      {
        ...created(1, 'ws://page.test/a?x=1'),
        protocols: ['chat.v1', 'json'],
        time: 1_795_168_800_001.125,
      },
      {
        type: 'opened',
        id: 1,
        time: 1_795_168_800_003.5,
        protocol: 'chat.v1',
        extensions: 'permessage-deflate',
      },
      {
        type: 'send-stack',
        id: 1,
        time: 1_795_168_800_010.063,
        stack: 'Error\n    at sendChat (http://page.test/app.js:6:15)',
      },
      { ...sent(1, text('héllo 😀'), 1_795_168_800_010.063), bufferedAmount: 42 },
      received(1, binary([0, 1, 2, 255]), 1_795_168_800_011.75),
      {
        ...sent(
          1,
          { kind: 'binary', base64: 'AAAA', size: 3, originalSize: 10_000 },
          1_795_168_800_012.5,
        ),
        origin: 'replayed',
      },
      { type: 'error', id: 1, time: 1_795_168_800_013 },
      {
        type: 'close-requested',
        id: 1,
        time: 1_795_168_800_014,
        code: 4001,
        reason: 'bye',
        byUser: false,
      },
      {
        type: 'closed',
        id: 1,
        time: 1_795_168_800_015.25,
        code: 4001,
        reason: 'bye',
        wasClean: true,
        initiator: 'client',
      },
      { ...created(2, 'ws://page.test/failed'), time: 1_795_168_800_020 },
      {
        type: 'closed',
        id: 2,
        time: 1_795_168_800_021,
        code: 1006,
        reason: '',
        wasClean: false,
        initiator: 'unknown',
      },
    ]),
    0,
    0,
  );
  return store;
}

async function exportText(store: SessionStore): Promise<string> {
  return (await harBlob(store, { scope: 'session' })).text();
}

/** A session's content, comparable across export and import (times to the microsecond). */
function comparable(store: SessionStore) {
  return {
    connections: store.connectionList.map(
      // framesSeen is the live panel's own bookkeeping of what reached it, not recorded traffic;
      // the label says where the connection is listed from (an imported one is marked so).
      ({
        key: _key,
        documentId: _documentId,
        imported: _imported,
        framesSeen: _seen,
        label: _label,
        ...rest
      }) => rest,
    ),
    frames: store.frames.map(({ connectionKey, index: _index, time, ...rest }) => ({
      connection: store.connections.get(connectionKey)!.id,
      time: Math.round(time * 1000),
      ...rest,
    })),
  };
}

describe('HAR export and import', () => {
  it('gives back the same session, every field and every byte', async () => {
    const original = recordedSession();
    const har = await exportText(original);
    const imported = new SessionStore();
    imported.addImported(parseHar(har, 'import-1', 'session.har'));
    const before = comparable(original);
    const after = comparable(imported);
    for (const connection of before.connections) {
      connection.createdAt = Math.round(connection.createdAt * 1000);
    }
    for (const connection of after.connections) {
      connection.createdAt = Math.round(connection.createdAt * 1000);
    }
    expect(after).toEqual(before);
    expect(
      imported.connectionList.every((connection) => connection.imported === 'session.har'),
    ).toBe(true);
  });

  it("writes Chrome DevTools' shape: websocket entries with _webSocketMessages in epoch seconds", async () => {
    const har = JSON.parse(await exportText(recordedSession()));
    const [entry] = har.log.entries;
    expect(entry).toMatchObject({
      _resourceType: 'websocket',
      request: { method: 'GET', url: 'ws://page.test/a?x=1' },
      response: { status: 101 },
    });
    expect(entry._webSocketMessages[0]).toEqual({
      type: 'send',
      time: 1_795_168_800.010063,
      opcode: 1,
      data: 'héllo 😀',
      _sentBy: 'Error\n    at sendChat (http://page.test/app.js:6:15)',
    });
    expect(entry._webSocketMessages[1]).toEqual({
      type: 'receive',
      time: 1_795_168_800.01175,
      opcode: 2,
      data: 'AAEC/w==',
    });
    expect(entry._webSocketMessages[2]).toMatchObject({
      _originalSize: 10_000,
      _origin: 'replayed',
    });
    expect(entry._close).toEqual({
      code: 4001,
      reason: 'bye',
      wasClean: true,
      initiator: 'client',
    });
    expect(har.log.entries[1].response.status).toBe(0);
  });

  it('writes a binary frame as the same base64 whether it came as base64 or as bytes', async () => {
    const bytes = [0, 1, 2, 0xff, 0x80, 0x3e];
    const base64 = Buffer.from(bytes).toString('base64');
    // A frame record's payload as Chrome's JSON ports carry it, and as ports that clone do.
    const arrivals = [base64, Uint8Array.from(bytes).buffer];
    const exported = await Promise.all(
      arrivals.map(async (data) => {
        const store = new SessionStore();
        store.addDocument({ documentId: 'doc', url: 'http://a/', startedAt: 1, frameId: 0 });
        applyEvents(store, 'doc', sequence([created(1)]), 0, 0);
        store.applyRecords(
          'doc',
          1,
          [RECORD_RECEIVED, 1, 5, [WIRE_BINARY, data, 6, 9], 0, 0],
          [],
          0,
          0,
        );
        const har = JSON.parse(await exportText(store));
        return har.log.entries[0]._webSocketMessages;
      }),
    );
    for (const messages of exported) {
      expect(messages).toEqual([
        { type: 'receive', time: 0.005, opcode: 2, data: base64, _originalSize: 9 },
      ]);
    }
  });

  it('passes the HAR 1.2 JSON schema', async () => {
    const har = JSON.parse(await exportText(recordedSession()));
    expect(await new HarValidator().verify(har)).toEqual([]);
  });

  it('exports one connection, or exactly the frames a filter shows', async () => {
    const store = recordedSession();
    const one = JSON.parse(
      await (await harBlob(store, { scope: 'connection', connectionKey: 'doc#2' })).text(),
    );
    expect(one.log.entries.map((entry: { request: { url: string } }) => entry.request.url)).toEqual(
      ['ws://page.test/failed'],
    );
    const received = store.frames.filter((frame) => frame.kind === 'received');
    const filtered = JSON.parse(
      await (await harBlob(store, { scope: 'frames', frames: received })).text(),
    );
    expect(filtered.log.entries).toHaveLength(1);
    expect(
      filtered.log.entries[0]._webSocketMessages.map((message: { type: string }) => message.type),
    ).toEqual(['receive']);
  });

  it('reads a HAR that Chrome DevTools wrote, skipping and counting other entries', () => {
    const fixture = readFileSync(
      new URL('../fixtures/chrome-devtools-websocket.har', import.meta.url),
      'utf8',
    );
    const session = parseHar(fixture, 'import-2', 'chrome.har');
    expect(session.skippedEntries).toBe(1);
    expect(session.connections).toHaveLength(1);
    expect(session.connections[0]).toMatchObject({
      url: 'ws://127.0.0.1:8080/socket?room=lobby',
      pageUrl: 'http://127.0.0.1:8080/chat',
      protocol: 'chat.v1',
      extensions: 'permessage-deflate; client_max_window_bits=15',
      sent: { count: 2, bytes: 20 },
      received: { count: 2, bytes: 32 },
    });
    expect(
      session.frames.map((frame) => [frame.kind, frame.payload?.kind, frame.payload?.size]),
    ).toEqual([
      ['sent', 'text', 16],
      ['received', 'text', 27],
      ['received', 'binary', 5],
      ['sent', 'binary', 4],
    ]);
    expect(session.frames[0]!.time).toBeCloseTo(1_795_168_800_205.1, 3);
  });

  it.each([
    ['not JSON', '{"log": ', /not JSON/, 'x.har'],
    ['not HAR', '{"hello": 1}', /expected an object, found nothing/, 'log'],
    ['entries not an array', '{"log":{"entries":{}}}', /expected an array/, 'log.entries'],
    [
      'a URL of the wrong type',
      '{"log":{"entries":[{"_resourceType":"websocket","request":{"url":5},"startedDateTime":"2026-01-01T00:00:00Z"}]}}',
      /expected a string, found 5/,
      'log.entries[0].request.url',
    ],
    [
      'a frame without time',
      msg({ type: 'send', opcode: 1, data: 'x' }),
      /expected a number, found nothing/,
      'log.entries[0]._webSocketMessages[0].time',
    ],
    [
      'a frame without opcode',
      msg({ type: 'send', time: 1, data: 'x' }),
      /expected an integer/,
      'log.entries[0]._webSocketMessages[0].opcode',
    ],
    [
      'a frame without data',
      msg({ type: 'send', time: 1, opcode: 1 }),
      /expected a string/,
      'log.entries[0]._webSocketMessages[0].data',
    ],
    [
      'bad base64',
      msg({ type: 'receive', time: 1, opcode: 2, data: '**not base64**' }),
      /not valid base64/,
      'log.entries[0]._webSocketMessages[0].data',
    ],
    [
      'an unknown direction',
      msg({ type: 'sideways', time: 1, opcode: 1, data: '' }),
      /must be "send" or "receive"/,
      'log.entries[0]._webSocketMessages[0].type',
    ],
  ])('refuses %s, saying what and where', (_, text, problem, where) => {
    let error: unknown;
    try {
      parseHar(text, 'i', 'x.har');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HarImportError);
    expect((error as HarImportError).problem).toMatch(problem);
    expect((error as HarImportError).where).toBe(where);
  });
});

function msg(message: object): string {
  return JSON.stringify({
    log: {
      entries: [
        {
          _resourceType: 'websocket',
          request: { url: 'ws://a/' },
          startedDateTime: '2026-01-01T00:00:00Z',
          _webSocketMessages: [message],
        },
      ],
    },
  });
}

describe('copy as code', () => {
  it('writes a browser snippet with the URL, protocols and sent frames in order', () => {
    const store = recordedSession();
    const snippet = browserSnippet(store.connectionList[0]!, store.frames);
    expect(snippet).toContain('new WebSocket("ws://page.test/a?x=1", ["chat.v1","json"])');
    expect(snippet.indexOf('"héllo 😀"')).toBeLessThan(snippet.indexOf('bytes("AAAA")'));
    expect(() => new Function(snippet)).not.toThrow();
  });

  it('writes a Node.js snippet that really reproduces the sent frames, binary included', async () => {
    const server = await startTestServer();
    try {
      const store = new SessionStore();
      store.addDocument({ documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 });
      const url = `${server.wsOrigin}/sink-replay`;
      applyEvents(
        store,
        'd',
        sequence([
          created(1, url),
          sent(1, text('first')),
          sent(1, binary([1, 2, 3])),
          received(1, text('ignored')),
        ]),
        0,
        0,
      );
      const snippet = nodeSnippet(store.connectionList[0]!, store.frames);
      const child = spawn(process.execPath, ['-'], {
        cwd: process.cwd(),
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      child.stdin.end(snippet);
      const deadline = Date.now() + 10_000;
      while (server.received.length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill();
      expect(server.received.map((frame) => [frame.isBinary, [...frame.data]])).toEqual([
        [false, [...Buffer.from('first')]],
        [true, [1, 2, 3]],
      ]);
    } finally {
      await server.close();
    }
  });
});
