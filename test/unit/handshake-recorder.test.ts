import { describe, expect, it } from 'vitest';
import {
  HANDSHAKES_PER_TAB,
  HandshakeRecorder,
  type WebRequestDetails,
} from '../../src/hub/handshake-recorder';
import type { Handshake } from '../../src/protocol/handshake';

const URL_A = 'wss://page.test/live';

function details(overrides: Partial<WebRequestDetails> = {}): WebRequestDetails {
  return {
    requestId: 'r1',
    tabId: 7,
    frameId: 0,
    url: URL_A,
    timeStamp: 1000,
    ...overrides,
  };
}

/** A recorder and what it reported: each change as a snapshot (the recorder mutates in place). */
function setup() {
  const changes: Array<{ tabId: number; handshake: Handshake }> = [];
  const recorder = new HandshakeRecorder((tabId, handshake) =>
    changes.push({ tabId, handshake: structuredClone(handshake) }),
  );
  return { recorder, changes };
}

describe('HandshakeRecorder', () => {
  it('builds a handshake that opened from its events, reporting each change', () => {
    const { recorder, changes } = setup();
    recorder.record('start', details({ documentId: 'doc-1', timeStamp: 1000 }));
    recorder.record(
      'send',
      details({
        timeStamp: 1002.5,
        requestHeaders: [
          { name: 'Upgrade', value: 'websocket' },
          { name: 'Origin', value: 'https://page.test' },
        ],
      }),
    );
    recorder.record(
      'response',
      details({
        timeStamp: 1010,
        statusCode: 101,
        statusLine: 'HTTP/1.1 101 Switching Protocols',
        responseHeaders: [{ name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' }],
      }),
    );
    recorder.record('complete', details({ timeStamp: 1011 }));

    const expected: Handshake = {
      requestId: 'r1',
      frameId: 0,
      documentId: 'doc-1',
      url: URL_A,
      startedAt: 1000,
      requestHeaders: [
        { name: 'Upgrade', value: 'websocket' },
        { name: 'Origin', value: 'https://page.test' },
      ],
      sentAt: 1002.5,
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
      responseHeaders: [{ name: 'Sec-WebSocket-Accept', value: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=' }],
      respondedAt: 1010,
      endedAt: 1011,
    };
    expect(recorder.handshakesOf(7)).toEqual([expected]);
    expect(changes).toHaveLength(4);
    expect(changes.every((change) => change.tabId === 7)).toBe(true);
    expect(changes[0]!.handshake).toEqual({
      requestId: 'r1',
      frameId: 0,
      documentId: 'doc-1',
      url: URL_A,
      startedAt: 1000,
    });
    expect(changes[1]!.handshake.sentAt).toBe(1002.5);
    expect(changes[1]!.handshake.status).toBeUndefined();
    expect(changes[2]!.handshake.respondedAt).toBe(1010);
    expect(changes[2]!.handshake.endedAt).toBeUndefined();
    expect(changes[3]!.handshake).toEqual(expected);
  });

  it('keeps the first response time when the response is reported again on completion', () => {
    const { recorder } = setup();
    recorder.record('start', details({ timeStamp: 1000 }));
    recorder.record('response', details({ timeStamp: 1010, statusCode: 101 }));
    recorder.record(
      'complete',
      details({ timeStamp: 1020, statusCode: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' }),
    );
    const [handshake] = recorder.handshakesOf(7);
    expect(handshake).toMatchObject({
      status: 101,
      statusLine: 'HTTP/1.1 101 Switching Protocols',
      respondedAt: 1010,
      endedAt: 1020,
    });
  });

  it('takes a completion without an earlier response as the response', () => {
    const { recorder } = setup();
    recorder.record('start', details({ timeStamp: 1000 }));
    recorder.record('complete', details({ timeStamp: 1030, statusCode: 403 }));
    expect(recorder.handshakesOf(7)[0]).toMatchObject({
      status: 403,
      respondedAt: 1030,
      endedAt: 1030,
    });
  });

  it('records a refused upgrade with its status line', () => {
    const { recorder } = setup();
    recorder.record('start', details({ timeStamp: 1000 }));
    recorder.record(
      'response',
      details({ timeStamp: 1005, statusCode: 403, statusLine: 'HTTP/1.1 403 Forbidden' }),
    );
    expect(recorder.handshakesOf(7)[0]).toMatchObject({
      status: 403,
      statusLine: 'HTTP/1.1 403 Forbidden',
    });
  });

  it("records a network error with its end time, and 'unknown error' when none is given", () => {
    const { recorder } = setup();
    recorder.record('start', details({ requestId: 'a', timeStamp: 1000 }));
    recorder.record(
      'error',
      details({ requestId: 'a', timeStamp: 1040, error: 'net::ERR_CONNECTION_REFUSED' }),
    );
    recorder.record('start', details({ requestId: 'b', timeStamp: 2000 }));
    recorder.record('error', details({ requestId: 'b', timeStamp: 2001 }));
    const [a, b] = recorder.handshakesOf(7);
    expect(a).toMatchObject({ error: 'net::ERR_CONNECTION_REFUSED', endedAt: 1040 });
    expect(a!.status).toBeUndefined();
    expect(b).toMatchObject({ error: 'unknown error', endedAt: 2001 });
  });

  it('starts a handshake from a later event when its start was missed', () => {
    const { recorder, changes } = setup();
    recorder.record('send', details({ requestId: 'late', timeStamp: 1500, frameId: 3 }));
    expect(recorder.handshakesOf(7)).toEqual([
      { requestId: 'late', frameId: 3, url: URL_A, startedAt: 1500, sentAt: 1500 },
    ]);
    expect(changes).toHaveLength(1);
  });

  it('leaves out a documentId the browser does not give', () => {
    const { recorder } = setup();
    recorder.record('start', details());
    expect(recorder.handshakesOf(7)[0]).not.toHaveProperty('documentId');
  });

  it('reads binary header values as characters', () => {
    const { recorder } = setup();
    recorder.record(
      'send',
      details({
        requestHeaders: [{ name: 'X-Binary', binaryValue: [104, 105] }, { name: 'X-Empty' }],
      }),
    );
    expect(recorder.handshakesOf(7)[0]!.requestHeaders).toEqual([
      { name: 'X-Binary', value: 'hi' },
      { name: 'X-Empty', value: '' },
    ]);
  });

  it("keeps no handshake of a request of no tab and no web origin (an extension's), and reports none", () => {
    const { recorder, changes } = setup();
    recorder.record('start', details({ tabId: -1 }));
    recorder.record('send', details({ tabId: -1, initiator: 'chrome-extension://abc' }));
    recorder.record('error', details({ tabId: -1, originUrl: 'moz-extension://x/bg.html' }));
    expect(changes).toEqual([]);
    expect(recorder.handshakesOf(-1)).toEqual([]);
  });

  it("keeps a shared or service worker's handshake with its origin, for that origin's tabs", () => {
    const { recorder, changes } = setup();
    recorder.record('start', details({ tabId: 7, requestId: 'page' }));
    // Chrome names the origin; Firefox the worker's URL.
    recorder.record(
      'start',
      details({ tabId: -1, requestId: 'sw', initiator: 'https://app.test' }),
    );
    recorder.record(
      'start',
      details({ tabId: -1, requestId: 'shared', originUrl: 'https://app.test/shared.js' }),
    );
    recorder.record(
      'start',
      details({ tabId: -1, requestId: 'else', initiator: 'https://b.test' }),
    );
    expect(changes.map((change) => [change.tabId, change.handshake.workerOrigin])).toEqual([
      [7, undefined],
      [-1, 'https://app.test'],
      [-1, 'https://app.test'],
      [-1, 'https://b.test'],
    ]);
    expect(recorder.handshakesOf(7).map((h) => h.requestId)).toEqual(['page']);
    expect(recorder.handshakesOf(7, 'https://app.test').map((h) => h.requestId)).toEqual([
      'page',
      'sw',
      'shared',
    ]);
  });

  it("keeps the URLs Firefox gives of who made it: a shared or service worker's script", () => {
    const { recorder, changes } = setup();
    const script = 'https://app.test/shared.js';
    const page = 'https://app.test/';
    // As Firefox ESR 153 reports them: a shared worker's socket under no tab, named by its
    // script; a dedicated worker's under its page's tab, named by the page; the page's own.
    recorder.record(
      'send',
      details({ tabId: -1, requestId: 'shared', originUrl: script, documentUrl: script }),
    );
    recorder.record(
      'complete',
      details({ tabId: -1, requestId: 'shared', originUrl: script, documentUrl: script }),
    );
    recorder.record(
      'send',
      details({ requestId: 'dedicated', originUrl: page, documentUrl: page }),
    );
    recorder.record(
      'send',
      details({ requestId: 'chrome', initiator: 'https://app.test', documentId: 'D1' }),
    );
    expect(
      changes.map(({ handshake }) => [
        handshake.requestId,
        handshake.originUrl,
        handshake.documentUrl,
      ]),
    ).toEqual([
      ['shared', script, script],
      ['shared', script, script],
      ['dedicated', page, page],
      ['chrome', undefined, undefined],
    ]);
    expect(recorder.handshakesOf(7, 'https://app.test').map((h) => h.originUrl)).toEqual([
      page,
      undefined,
      script,
    ]);
  });

  it('keeps tabs apart, and requests apart within a tab, in the order they started', () => {
    const { recorder, changes } = setup();
    recorder.record('start', details({ tabId: 1, requestId: 'x', timeStamp: 1 }));
    recorder.record('start', details({ tabId: 2, requestId: 'x', timeStamp: 2 }));
    recorder.record('start', details({ tabId: 1, requestId: 'y', timeStamp: 3 }));
    recorder.record('error', details({ tabId: 2, requestId: 'x', timeStamp: 4, error: 'e' }));
    expect(recorder.handshakesOf(1).map((h) => [h.requestId, h.startedAt, h.error])).toEqual([
      ['x', 1, undefined],
      ['y', 3, undefined],
    ]);
    expect(recorder.handshakesOf(2).map((h) => [h.requestId, h.startedAt, h.error])).toEqual([
      ['x', 2, 'e'],
    ]);
    expect(changes.map((change) => change.tabId)).toEqual([1, 2, 1, 2]);
    expect(recorder.handshakesOf(3)).toEqual([]);
  });

  it('keeps at most HANDSHAKES_PER_TAB handshakes per tab, dropping the oldest', () => {
    const { recorder } = setup();
    for (let i = 0; i <= HANDSHAKES_PER_TAB; i++) {
      recorder.record('start', details({ requestId: `r${i}`, timeStamp: i }));
    }
    recorder.record('start', details({ tabId: 8, requestId: 'other' }));
    const kept = recorder.handshakesOf(7);
    expect(kept).toHaveLength(HANDSHAKES_PER_TAB);
    expect(kept[0]!.requestId).toBe('r1');
    expect(kept.at(-1)!.requestId).toBe(`r${HANDSHAKES_PER_TAB}`);
    expect(recorder.handshakesOf(8)).toHaveLength(1);
  });

  it('does not drop a handshake when an existing one is updated at the bound', () => {
    const { recorder } = setup();
    for (let i = 0; i < HANDSHAKES_PER_TAB; i++) {
      recorder.record('start', details({ requestId: `r${i}`, timeStamp: i }));
    }
    recorder.record('send', details({ requestId: 'r0', timeStamp: 5000 }));
    const kept = recorder.handshakesOf(7);
    expect(kept).toHaveLength(HANDSHAKES_PER_TAB);
    expect(kept[0]).toMatchObject({ requestId: 'r0', startedAt: 0, sentAt: 5000 });
  });

  it('forgets a tab: its handshakes go, and a later event starts afresh', () => {
    const { recorder } = setup();
    recorder.record('start', details({ tabId: 1, requestId: 'a', timeStamp: 10 }));
    recorder.record('start', details({ tabId: 2, requestId: 'b' }));
    recorder.forgetTab(1);
    expect(recorder.handshakesOf(1)).toEqual([]);
    expect(recorder.handshakesOf(2)).toHaveLength(1);
    recorder.record('send', details({ tabId: 1, requestId: 'a', timeStamp: 20 }));
    expect(recorder.handshakesOf(1)).toEqual([
      { requestId: 'a', frameId: 0, url: URL_A, startedAt: 20, sentAt: 20 },
    ]);
  });
});
