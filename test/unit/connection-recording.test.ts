import { describe, expect, it } from 'vitest';
import {
  recordedFrames,
  recordedMessages,
  recordingFileName,
  recordingName,
} from '../../src/panel/connection-recording';
import type { FrameOrigin } from '../../src/protocol/capture-events';
import { makeFrame } from '../../src/session/make-frame';
import { type FrameKind, type FramePayload, newConnection } from '../../src/session/session-model';

const connection = newConnection({
  documentId: 'doc',
  id: 1,
  frameId: 0,
  pageUrl: 'http://app.test/',
  requestedUrl: 'ws://app.test/chat',
  url: 'ws://app.test/chat',
  protocols: [],
  createdAt: 0,
});
const text = (value: string, cut = 0): FramePayload => ({
  kind: 'text',
  text: value,
  size: value.length,
  originalSize: value.length + cut,
});
const frame = (kind: FrameKind, payload?: FramePayload, origin?: FrameOrigin, evicted = false) =>
  makeFrame({
    connectionKey: connection.key,
    kind,
    time: 0,
    payload,
    origin,
    payloadEvicted: evicted,
  });

describe('recordedMessages', () => {
  it("keeps the page's and the server's own frames, whole ones with their data", () => {
    const bytes = new Uint8Array([0, 255]);
    const messages = recordedMessages(connection, [
      frame('sent', text('hi'), 'page'),
      frame('received', { kind: 'binary', bytes, size: 2, originalSize: 2 }),
      frame('received', text('later'), 'delayed'),
      frame('closed'),
      { ...frame('sent', text('elsewhere')), connectionKey: 'other#1' },
    ]);
    expect(messages).toEqual([
      { direction: 'sent', kind: 'text', data: 'hi', size: 2 },
      { direction: 'received', kind: 'binary', data: 'AP8=', size: 2 },
      { direction: 'received', kind: 'text', data: 'later', size: 5 },
    ]);
  });

  it('leaves out what Sockscope made, changed or dropped', () => {
    const origins: FrameOrigin[] = [
      'replayed',
      'edited',
      'composed',
      'delivered',
      'dropped',
      'mocked',
      'rewritten',
    ];
    const frames = origins.map((origin) => frame('sent', text(origin), origin));
    expect(recordedMessages(connection, frames)).toEqual([]);
  });

  it('has no data for a frame not kept whole: cut, evicted or undecodable', () => {
    const undecodable: FramePayload = {
      kind: 'binary',
      bytes: new Uint8Array(0),
      size: 4,
      originalSize: 4,
      undecodable: '!!!!',
    };
    const messages = recordedMessages(connection, [
      frame('sent', text('cut', 10)),
      frame('received', text('', 0), 'page', true),
      frame('received', undecodable),
    ]);
    expect(messages.map(({ data, size }) => [data, size])).toEqual([
      [null, 13],
      [null, 0],
      [null, 4],
    ]);
    expect(recordedFrames(messages).map((each) => each.text)).toEqual([null, null, null]);
  });
});

describe('recordingFileName and recordingName', () => {
  it("names files by the socket's host and path, with nothing a file system refuses", () => {
    expect(recordingFileName('ws://127.0.0.1:8080/chat/v1?x=1', '.spec.ts')).toBe(
      '127.0.0.1-8080-chat-v1.spec.ts',
    );
    expect(recordingFileName('not a url', '-rules.json')).toBe('websocket-rules.json');
    expect(recordingFileName(`wss://h.test/${'a'.repeat(300)}`, '.spec.ts')).toHaveLength(88);
  });

  it('names rules by host and path, the host kept since rules apply on every site', () => {
    expect(recordingName('wss://h.test:8443/a/b?token=secret')).toBe('h.test:8443/a/b');
    expect(recordingName('not a url')).toBe('not a url');
  });
});
