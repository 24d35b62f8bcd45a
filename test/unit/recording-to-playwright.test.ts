import { Buffer } from 'node:buffer';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  type RecordedMessage,
  type RecordingForTest,
  recordingToPlaywright,
  TEST_FILE_LIMITS,
} from '../../src/rules/recording-to-playwright';
import { runGeneratedTest, typeErrors } from './run-generated-test';

const SOCKET = 'ws://app.test:8080/chat?room=1';
const PAGE = 'http://app.test:8080/index.html';
const sent = (data: string | null, size = data?.length ?? 0): RecordedMessage => ({
  direction: 'sent',
  kind: 'text',
  data,
  size,
});
const received = (data: string | null, size = data?.length ?? 0): RecordedMessage => ({
  direction: 'received',
  kind: 'text',
  data,
  size,
});
const binary = (direction: 'sent' | 'received', bytes: number[]): RecordedMessage => ({
  direction,
  kind: 'binary',
  data: Buffer.from(bytes).toString('base64'),
  size: bytes.length,
});
const recording = (messages: RecordedMessage[], more: Partial<RecordingForTest> = {}) =>
  recordingToPlaywright({ socketUrl: SOCKET, pageUrl: PAGE, messages, ...more });

/** Syntax errors, as TypeScript reports them for the file alone. */
function syntaxErrors(source: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return diagnostics.map((diagnostic) =>
    ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  );
}

/** Payloads that would break out of a string, a template or a comment if pasted raw. */
const HOSTILE = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template's placeholder, under test
  'HOSTILE `backticks` and ${process.exit(1)}',
  'HOSTILE "double" \'single\' \\ backslash \\" \\u0041',
  'HOSTILE line\nbreak\r\nand\ttab and \0 nul',
  'HOSTILE separators \u2028 and \u2029',
  'HOSTILE */ closes a comment /* and // starts one',
  'HOSTILE lone surrogate \ud800 and emoji 😀',
];

describe('recordingToPlaywright', () => {
  const chat = [
    received('welcome'),
    sent('hello'),
    received('echo: hello'),
    received('bot: hi'),
    binary('sent', [0, 1, 2, 255]),
    binary('received', [9, 8]),
    sent('bye'),
  ];

  it('writes a file TypeScript parses, and type-checks against @playwright/test', () => {
    const source = recording(chat);
    expect(syntaxErrors(source)).toEqual([]);
    expect(typeErrors(source)).toEqual([]);
    // The check is live: a call Playwright's types refuse is reported.
    const misused = source.replace('ws.send(message)', 'ws.send(42)');
    expect(typeErrors(misused).join('\n')).toMatch(/number/);
    expect(source).toContain('await page.routeWebSocket(');
    expect(source).toContain('process.env.SOCKSCOPE_PAGE_URL');
  }, 60_000); // a whole program type-checked: several seconds

  const chatSends = ['hello', Buffer.from([0, 1, 2, 255]), 'bye'];

  it('mocks the server from the recording, and passes when the page sends what it recorded', async () => {
    expect(await runGeneratedTest(recording(chat), SOCKET, chatSends)).toEqual({
      visited: PAGE,
      routed: true,
      toPage: ['welcome', 'echo: hello', 'bot: hi', Buffer.from([9, 8])],
      failure: null,
    });
    // Messages after the recorded ones are the page's own business.
    const more = await runGeneratedTest(recording(chat), SOCKET, [...chatSends, 'later']);
    expect(more.failure).toBeNull();
  });

  it('fails when the page sends something else, and answers only the recorded messages', async () => {
    const source = recording(chat);
    const wrongBytes = await runGeneratedTest(source, SOCKET, [
      'hello',
      Buffer.from([0, 1, 2, 254]),
      'bye',
    ]);
    expect(wrongBytes.failure).toMatch(/expected/i);
    expect(wrongBytes.toPage).toEqual(['welcome', 'echo: hello', 'bot: hi']);
    const tooFew = await runGeneratedTest(source, SOCKET, ['hello']);
    expect(tooFew.failure).not.toBeNull();
    const other = await runGeneratedTest(source, SOCKET, ['goodbye', Buffer.from([0, 1, 2, 255])]);
    expect(other.failure).not.toBeNull();
    expect(other.toPage).toEqual(['welcome', Buffer.from([9, 8])]);
  });

  it('visits SOCKSCOPE_PAGE_URL, and moves a socket on the page host with it', async () => {
    const env = { SOCKSCOPE_PAGE_URL: 'https://staging.test/app' };
    const moved = await runGeneratedTest(
      recording(chat),
      'wss://staging.test/chat?room=1',
      chatSends,
      env,
    );
    expect(moved).toMatchObject({ visited: env.SOCKSCOPE_PAGE_URL, routed: true, failure: null });
    const stale = await runGeneratedTest(recording(chat), SOCKET, chatSends, env);
    expect(stale.routed).toBe(false);
    expect(stale.failure).not.toBeNull();
    // A socket on another host than the page's stays where it was recorded.
    const api = 'wss://api.test/chat';
    const kept = await runGeneratedTest(recording(chat, { socketUrl: api }), api, chatSends, env);
    expect(kept).toMatchObject({ routed: true, failure: null });
  });

  it('keeps hostile payloads and URLs exact, and out of comments', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template's placeholder, under test
    const url = 'ws://app.test:8080/x?q=`${1}`&"\'*/';
    const messages = HOSTILE.flatMap((text) => [sent(text), received(`re: ${text}`)]);
    const source = recording(messages, { socketUrl: url });
    expect(syntaxErrors(source)).toEqual([]);
    for (const line of source.split('\n').filter((each) => each.includes('HOSTILE'))) {
      expect(line.trim().startsWith('//')).toBe(false);
    }
    expect(source).not.toMatch(/[\u2028\u2029]/);
    const run = await runGeneratedTest(source, url, HOSTILE);
    expect(run).toMatchObject({ routed: true, failure: null });
    expect(run.toPage).toEqual(HOSTILE.map((text) => `re: ${text}`));
  });

  it('leaves out a frame too large or not kept whole, saying so, and checks a sent one by size', async () => {
    const huge = 'x'.repeat(TEST_FILE_LIMITS.frameChars + 1);
    const source = recording([
      sent(huge),
      received(huge),
      received(null, 5000),
      received('small'),
      sent(null, 3),
    ]);
    expect(source.length).toBeLessThan(10_000);
    expect(source).toContain(`sent: omitted('text', ${huge.length}), // left out: a text frame`);
    expect(source).toContain(`// left out: a text frame of ${huge.length} bytes, over the 65536`);
    expect(source).toContain(
      '// left out: a text frame of 5000 bytes the recording did not keep whole',
    );
    const sameSizes = await runGeneratedTest(source, SOCKET, ['y'.repeat(huge.length), 'abc']);
    expect(sameSizes).toMatchObject({ toPage: ['small'], failure: null });
    const otherSize = await runGeneratedTest(source, SOCKET, ['y', 'abc']);
    expect(otherSize.failure).not.toBeNull();
  });

  it('cuts a long recording, saying how much is left out', () => {
    const frames = Array.from({ length: TEST_FILE_LIMITS.frames + 7 }, (_, i) =>
      i % 2 ? received(`r${i}`) : sent(`s${i}`),
    );
    const source = recording(frames);
    expect(syntaxErrors(source)).toEqual([]);
    expect(source).toContain('// The recording goes on with 7 more frames,');
    expect(source).not.toContain(`"s${TEST_FILE_LIMITS.frames}"`);
    const big = Array.from({ length: 100 }, (_, i) => sent(`${i}`.padEnd(60_000, '.')));
    const bounded = recording(big);
    expect(bounded.length).toBeLessThan(TEST_FILE_LIMITS.totalChars + 20_000);
    expect(bounded).toMatch(/goes on with \d+ more frames/);
  });

  it('asks for SOCKSCOPE_PAGE_URL when the recording has no page', async () => {
    const source = recording(chat, { pageUrl: '' });
    expect((await runGeneratedTest(source, SOCKET, chatSends)).failure).toMatch(
      /SOCKSCOPE_PAGE_URL/,
    );
    const given = { SOCKSCOPE_PAGE_URL: 'http://app.test:8080/' };
    expect((await runGeneratedTest(source, SOCKET, chatSends, given)).failure).toBeNull();
  });
});
