import { createContext, Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { browserSnippet, nodeSnippet } from '../../src/session/copy-as-code';
import { parseHar } from '../../src/session/har/har-import';
import type { Connection, Frame } from '../../src/session/session-model';
import { modelBinary as binary, text } from './session-fixtures';

/*
 * The snippets are pasted into a console or run by Node, so a recorded value that escapes its
 * literal runs as the user's code. Every hostile value below calls pwn() if it ever runs; the
 * sandbox counts those calls and watches its globals, and the fake sockets record what the
 * snippet really asked for, so "reproduces exactly what was recorded" is checked by running it.
 */

// biome-ignore lint/suspicious/noTemplateCurlyInString: it must reach the snippet as this text
const SUBSTITUTION = '${pwn()}';

const HOSTILE: [string, string][] = [
  ['line feed', '\npwn();//'],
  ['carriage return', '\rpwn();//'],
  ['CRLF', '\r\npwn();//'],
  ['U+2028', '\u2028pwn();//'],
  ['U+2029', '\u2029pwn();//'],
  ['block comment end', '*/pwn();/*'],
  ['HTML comments', '\n-->pwn()\n<!--pwn()'],
  ['script end tag', '</script><script>pwn()</script>'],
  ['backtick', '`+pwn()+`'],
  ['template substitution', SUBSTITUTION],
  ['double quote', '"+pwn()+"'],
  ['single quote', "'+pwn()+'"],
  ['backslash before quote', '\\"+pwn()+"\\'],
  ['trailing backslash', 'pwn()\\'],
  ['lone high surrogate', '\uD83Dpwn()'],
  ['lone low surrogate', 'pwn()\uDE00'],
  ['NUL', '\0pwn()\0'],
  [
    'every control character',
    `${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}pwn()`,
  ],
  ['very long', `${'x'.repeat(1_000_000)}\npwn();//`],
];

const EVERY_BYTE = Array.from({ length: 256 }, (_, i) => i);

interface Recorded {
  /** Each socket's constructor arguments, exactly as the snippet passed them. */
  sockets: unknown[][];
  /** What each socket was asked to send: text as a string, binary as its bytes. */
  sends: ({ text: string } | { bytes: number[] })[][];
  requires: string[];
  logs: unknown[][];
  pwned: number;
  /** Sandbox globals that were added, removed or replaced. */
  touchedGlobals: string[];
}

/** Runs a snippet in a sandbox with only what its target provides, then opens its sockets. */
function run(snippet: string, target: 'browser' | 'node'): Recorded {
  const recorded: Recorded = {
    sockets: [],
    sends: [],
    requires: [],
    logs: [],
    pwned: 0,
    touchedGlobals: [],
  };
  const listeners: Map<string, ((...args: unknown[]) => void)[]>[] = [];
  class FakeWebSocket {
    binaryType = 'blob';
    #sends: Recorded['sends'][number] = [];
    #listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    constructor(...args: unknown[]) {
      recorded.sockets.push(args);
      recorded.sends.push(this.#sends);
      listeners.push(this.#listeners);
    }
    send(data: unknown) {
      if (typeof data === 'string') this.#sends.push({ text: data });
      else if (ArrayBuffer.isView(data))
        this.#sends.push({
          bytes: [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)],
        });
      else throw new TypeError(`send() got ${Object.prototype.toString.call(data)}`);
    }
    addEventListener(type: string, listener: (...args: unknown[]) => void) {
      this.#listen(type, listener);
    }
    on(type: string, listener: (...args: unknown[]) => void) {
      this.#listen(type, listener);
    }
    #listen(type: string, listener: (...args: unknown[]) => void) {
      this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
    }
  }
  const fakeConsole = {
    log: (...args: unknown[]) => recorded.logs.push(['log', ...args]),
    error: (...args: unknown[]) => recorded.logs.push(['error', ...args]),
  };
  const pwn = () => {
    recorded.pwned++;
  };
  const globals: Record<string, unknown> =
    target === 'browser'
      ? { WebSocket: FakeWebSocket, atob, console: fakeConsole, pwn }
      : {
          require: (name: string) => {
            recorded.requires.push(name);
            if (name === 'ws') return FakeWebSocket;
            throw new Error(`Cannot find module '${name}'`);
          },
          Buffer,
          atob,
          console: fakeConsole,
          pwn,
        };
  const sandbox = createContext({ ...globals });
  const before = new Map(Object.getOwnPropertyNames(sandbox).map((name) => [name, sandbox[name]]));
  new Script(snippet).runInContext(sandbox, { timeout: 10_000 });
  for (const socket of listeners) for (const listener of socket.get('open') ?? []) listener();
  const after = Object.getOwnPropertyNames(sandbox);
  recorded.touchedGlobals = [
    ...after.filter((name) => !before.has(name) || before.get(name) !== sandbox[name]),
    ...[...before.keys()].filter((name) => !after.includes(name)),
  ];
  return recorded;
}

function connection(url: string, protocols: string[] = []): Connection {
  return {
    key: 'd#1',
    documentId: 'd',
    id: 1,
    frameId: 0,
    pageUrl: 'http://page.test/',
    requestedUrl: url,
    url,
    protocols,
    protocol: protocols[0] ?? '',
    extensions: '',
    state: 'closed',
    createdAt: 1,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
  };
}

function frame(kind: Frame['kind'], payload?: Frame['payload'], evicted = false): Frame {
  return { index: 0, connectionKey: 'd#1', kind, time: 1, payload, payloadEvicted: evicted };
}

/** Sent frames interleaved with what must not be sent: received frames and evicted payloads. */
function framesSending(payloads: Frame['payload'][]): Frame[] {
  return payloads.flatMap((payload) => [
    frame('received', text('received: not to send\npwn()')),
    frame('sent', payload),
    frame('sent', text('evicted: not to send\npwn()'), true),
  ]);
}

const SNIPPETS = [
  ['browser', browserSnippet],
  ['node', nodeSnippet],
] as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What a user pastes must survive the clipboard and older parsers, and keep the same shape. */
function expectPlainShape(snippet: string, benign: string) {
  expect(/[\r\u2028\u2029\0]/.test(snippet), 'a raw line terminator or NUL').toBe(false);
  expect(LONE_SURROGATE.test(snippet), 'a lone surrogate').toBe(false);
  expect(snippet.split('\n').length).toBe(benign.split('\n').length);
}

describe.each(SNIPPETS)('the %s snippet', (target, snippetOf) => {
  const expectExactly = (recorded: Recorded, args: unknown[], sends: Recorded['sends'][number]) => {
    expect(recorded.pwned).toBe(0);
    expect(recorded.touchedGlobals).toEqual([]);
    expect(recorded.requires).toEqual(target === 'node' ? ['ws'] : []);
    expect(recorded.sockets).toEqual([args]);
    expect(recorded.sends).toEqual([sends]);
    expect(recorded.logs).toEqual([]);
  };

  it('reproduces a plain connection', () => {
    const snippet = snippetOf(
      connection('ws://page.test/a?x=1', ['chat.v1', 'json']),
      framesSending([text('héllo 😀'), binary([1, 2, 3])]),
    );
    expectExactly(
      run(snippet, target),
      ['ws://page.test/a?x=1', ['chat.v1', 'json']],
      [{ text: 'héllo 😀' }, { bytes: [1, 2, 3] }],
    );
  });

  it.each(HOSTILE)('opens a URL with %s as recorded, and runs none of it', (_, hostile) => {
    const url = `ws://page.test/${hostile}`;
    const snippet = snippetOf(connection(url), framesSending([text('a')]));
    expectExactly(run(snippet, target), [url], [{ text: 'a' }]);
    expectPlainShape(snippet, snippetOf(connection('ws://a/'), framesSending([text('a')])));
  });

  it.each(HOSTILE)('asks for protocols with %s as recorded, and runs none of it', (_, hostile) => {
    const protocols = ['chat', hostile, `${hostile}${hostile}`];
    const snippet = snippetOf(connection('ws://a/', protocols), []);
    expectExactly(run(snippet, target), ['ws://a/', protocols], []);
    expectPlainShape(snippet, snippetOf(connection('ws://a/', ['x', 'y', 'z']), []));
  });

  it.each(HOSTILE)('sends a text frame with %s as recorded, and runs none of it', (_, hostile) => {
    const sends = [text(hostile), binary(EVERY_BYTE), text(`${hostile}${hostile}`)];
    const snippet = snippetOf(connection('ws://a/'), framesSending(sends));
    const benign = snippetOf(
      connection('ws://a/'),
      framesSending([text(''), binary([]), text('')]),
    );
    expectExactly(
      run(snippet, target),
      ['ws://a/'],
      [{ text: hostile }, { bytes: EVERY_BYTE }, { text: `${hostile}${hostile}` }],
    );
    expectPlainShape(snippet, benign);
  });

  it('sends binary frames byte for byte, empty and large ones included', () => {
    const large = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256);
    const snippet = snippetOf(
      connection('ws://a/'),
      framesSending([
        binary([]),
        binary(EVERY_BYTE),
        binary([...EVERY_BYTE].reverse()),
        binary(large),
      ]),
    );
    expectExactly(
      run(snippet, target),
      ['ws://a/'],
      [
        { bytes: [] },
        { bytes: EVERY_BYTE },
        { bytes: [...EVERY_BYTE].reverse() },
        { bytes: large },
      ],
    );
  });

  it('reproduces a hostile connection imported from a HAR file', () => {
    const url = 'ws://page.test/\u2028pwn();\npwn();\r*/pwn();//';
    const protocols = ['a\u2029pwn()//', '"+pwn()+"'];
    const har = JSON.stringify({
      log: {
        entries: [
          {
            _resourceType: 'websocket',
            request: { url },
            startedDateTime: '2026-01-01T00:00:00Z',
            _requestedProtocols: protocols,
            _webSocketMessages: [
              { type: 'send', time: 1, opcode: 1, data: `\u2028pwn()//\n\`${SUBSTITUTION}\`` },
              { type: 'receive', time: 2, opcode: 1, data: 'pwn()' },
              {
                type: 'send',
                time: 3,
                opcode: 2,
                data: Buffer.from(EVERY_BYTE).toString('base64'),
              },
            ],
          },
        ],
      },
    });
    const session = parseHar(har, 'import-1', 'hostile.har');
    const snippet = snippetOf(session.connections[0]!, session.frames);
    expectExactly(
      run(snippet, target),
      [url, protocols],
      [{ text: `\u2028pwn()//\n\`${SUBSTITUTION}\`` }, { bytes: EVERY_BYTE }],
    );
  });
});
