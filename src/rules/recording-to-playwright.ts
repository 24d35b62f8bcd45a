/**
 * "Export as test": a recorded connection as a Playwright test file (TypeScript) that mocks the
 * server with `page.routeWebSocket` (answering the page from the recording) and checks that the
 * page sends what it sent when recorded. The file explains itself in its header comment.
 *
 * Every recorded value (URLs, payloads) comes from a page or a HAR file, and the file is run as
 * the user's own code: each enters only as a string literal from {@link literal}, never in a
 * comment or a template; comments carry only numbers this module computed.
 */

export interface RecordedMessage {
  direction: 'sent' | 'received';
  kind: 'text' | 'binary';
  /** The text, or the bytes as base64; null when the recording did not keep all of it. */
  data: string | null;
  /** Its length in bytes as sent (UTF-8 for text). */
  size: number;
}

export interface RecordingForTest {
  socketUrl: string;
  /** The page that opened the socket ('' when not known). */
  pageUrl: string;
  messages: readonly RecordedMessage[];
}

/**
 * Bounds that keep the file one an editor opens and a reviewer reads: a frame of more than
 * FRAME_CHARS characters (text, or base64 for bytes) is left out, and the recording is cut after
 * MAX_FRAMES frames or TOTAL_CHARS characters of them. Each cut says so in a comment.
 */
export const TEST_FILE_LIMITS = { frameChars: 65_536, frames: 1000, totalChars: 2_000_000 };

/** Longest part of the socket's URL put in the test's title. */
const TITLE_URL_CHARS = 200;

export function recordingToPlaywright(recording: RecordingForTest): string {
  const { greeting, exchanges } = renderFrames(recording.messages);
  const title = `the page talks to a mock of ${recording.socketUrl.slice(0, TITLE_URL_CHARS)}`;
  return `${[
    ...HEADER,
    `import { Buffer } from 'node:buffer';`,
    `import { expect, test } from '@playwright/test';`,
    ``,
    `const RECORDED_PAGE_URL = ${literal(recording.pageUrl)};`,
    `const RECORDED_SOCKET_URL = ${literal(recording.socketUrl)};`,
    `const PAGE_URL = process.env.SOCKSCOPE_PAGE_URL || RECORDED_PAGE_URL;`,
    ``,
    ...HELPERS,
    ``,
    `/** What the server sent as soon as the socket opened, before the page sent anything. */`,
    `const greeting: Message[] = [`,
    ...greeting,
    `];`,
    ``,
    `/** The page's messages in order, each with the frames the server sent after it. */`,
    `const exchanges: Array<{ sent: Message | Omitted; replies: Message[] }> = [`,
    ...exchanges,
    `];`,
    ``,
    `test(${literal(title)}, async ({ page }) => {`,
    ...TEST_BODY,
    `});`,
  ].join('\n')}\n`;
}

const HEADER = [
  `// A Playwright test made by Sockscope from a recorded WebSocket connection (Export as test).`,
  `//`,
  `// It mocks the server: page.routeWebSocket answers the page's socket in its place with what`,
  `// the server sent when recorded: the greeting as soon as the socket opens, and after the page's`,
  `// Nth message, if it is the recorded one, the frames the server sent after that message.`,
  `// It then checks that the page's first messages are the recorded ones, in order. The page must`,
  `// send them on its own once loaded: messages the user's actions caused (typing, clicking) need`,
  `// those actions written after page.goto(), or their entries removed from \`exchanges\`.`,
  `// Messages after the recorded ones are not checked.`,
  `// Frames too large for this file, or that the recording did not keep whole, are left out of`,
  `// the replies (a comment says where); a sent one is checked by its kind and size only.`,
  `// Playwright's mock opens the socket with the first subprotocol the page asks for.`,
  `//`,
  `// The page visited: SOCKSCOPE_PAGE_URL if set, else the page the socket was recorded on. A`,
  `// socket on that page's host moves with SOCKSCOPE_PAGE_URL to its host.`,
];

const HELPERS = [
  `type Message = string | Buffer;`,
  `/** A message left out of this file: checked by its kind and size (bytes) only. */`,
  `type Omitted = { omitted: 'text' | 'binary'; bytes: number };`,
  `const bytes = (base64: string): Buffer => Buffer.from(base64, 'base64');`,
  `const omitted = (kind: 'text' | 'binary', size: number): Omitted => ({`,
  `  omitted: kind,`,
  `  bytes: size,`,
  `});`,
  ``,
  `/** A message as it is compared with a recorded one: with one left out, by kind and size. */`,
  `function asRecorded(message: Message, recorded?: Message | Omitted): Message | Omitted {`,
  `  if (recorded === undefined || typeof recorded === 'string') return message;`,
  `  if (Buffer.isBuffer(recorded)) return message;`,
  `  return omitted(typeof message === 'string' ? 'text' : 'binary', Buffer.byteLength(message));`,
  `}`,
  ``,
  `function same(a: Message | Omitted, b: Message | Omitted): boolean {`,
  `  if (typeof a === 'string' || typeof b === 'string') return a === b;`,
  `  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) {`,
  `    return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);`,
  `  }`,
  `  return a.omitted === b.omitted && a.bytes === b.bytes;`,
  `}`,
  ``,
  `/** The socket's URL for the page at \`pageUrl\`: one on the recorded page's host moves with it. */`,
  `function socketUrlFor(pageUrl: string): string {`,
  `  if (![RECORDED_SOCKET_URL, RECORDED_PAGE_URL, pageUrl].every((url) => URL.canParse(url))) {`,
  `    return RECORDED_SOCKET_URL;`,
  `  }`,
  `  const socket = new URL(RECORDED_SOCKET_URL);`,
  `  const recordedPage = new URL(RECORDED_PAGE_URL);`,
  `  if (socket.host !== recordedPage.host) return socket.href;`,
  `  const page = new URL(pageUrl);`,
  `  const secure = (url: URL) => url.protocol === 'https:' || url.protocol === 'wss:';`,
  `  if (secure(socket) === secure(recordedPage)) socket.protocol = secure(page) ? 'wss:' : 'ws:';`,
  `  // The host setter keeps the old port when the new host has none: each part on its own.`,
  `  socket.hostname = page.hostname;`,
  `  socket.port = page.port;`,
  `  return socket.href;`,
  `}`,
];

const TEST_BODY = [
  `  if (!PAGE_URL) {`,
  `    throw new Error('Set SOCKSCOPE_PAGE_URL: the recording does not say which page opened the socket.');`,
  `  }`,
  `  const socketUrl = socketUrlFor(PAGE_URL);`,
  `  const received: Message[] = [];`,
  `  await page.routeWebSocket(`,
  `    (url) => url.href === socketUrl,`,
  `    (ws) => {`,
  `      for (const message of greeting) ws.send(message);`,
  `      ws.onMessage((message) => {`,
  `        const exchange = exchanges[received.length];`,
  `        received.push(message);`,
  `        if (!exchange || !same(asRecorded(message, exchange.sent), exchange.sent)) return;`,
  `        for (const reply of exchange.replies) ws.send(reply);`,
  `      });`,
  `    },`,
  `  );`,
  `  await page.goto(PAGE_URL);`,
  `  const expected = exchanges.map((exchange) => exchange.sent);`,
  `  const firstReceived = () =>`,
  `    received.slice(0, expected.length).map((message, i) => asRecorded(message, expected[i]));`,
  `  await expect.poll(firstReceived).toEqual(expected);`,
];

/** The greeting's and the exchanges' lines, within TEST_FILE_LIMITS. */
function renderFrames(messages: readonly RecordedMessage[]): {
  greeting: string[];
  exchanges: string[];
} {
  const greeting: string[] = [];
  const exchanges: string[] = [];
  let replies: string[] = greeting;
  let frames = 0;
  let chars = 0;
  const closeExchange = () => {
    if (replies !== greeting) exchanges.push(`    replies: [`, ...replies, `    ],`, `  },`);
  };
  for (const [index, message] of messages.entries()) {
    const length = message.data?.length ?? 0;
    if (frames === TEST_FILE_LIMITS.frames || chars + length > TEST_FILE_LIMITS.totalChars) {
      closeExchange();
      exchanges.push(`  // The recording goes on with ${messages.length - index} more frames,`);
      exchanges.push(
        `  // left out: this file holds at most ${TEST_FILE_LIMITS.frames} frames and ${TEST_FILE_LIMITS.totalChars} characters of them.`,
      );
      return { greeting, exchanges };
    }
    frames++;
    const value = frameExpression(message);
    if (typeof value === 'string') chars += length;
    if (message.direction === 'received') {
      const indent = replies === greeting ? '  ' : '      ';
      replies.push(typeof value === 'string' ? `${indent}${value},` : `${indent}// ${value.why}`);
      continue;
    }
    closeExchange();
    replies = [];
    exchanges.push(
      `  {`,
      typeof value === 'string'
        ? `    sent: ${value},`
        : `    sent: omitted('${message.kind}', ${message.size}), // ${value.why}`,
    );
  }
  closeExchange();
  return { greeting, exchanges };
}

/** A frame as an expression, or why it is left out. */
function frameExpression(message: RecordedMessage): string | { why: string } {
  const what = `a ${message.kind} frame of ${message.size} bytes`;
  if (message.data === null) return { why: `left out: ${what} the recording did not keep whole` };
  if (message.data.length > TEST_FILE_LIMITS.frameChars) {
    return {
      why: `left out: ${what}, over the ${TEST_FILE_LIMITS.frameChars} characters a frame in this file may have`,
    };
  }
  return message.kind === 'text' ? literal(message.data) : `bytes(${literal(message.data)})`;
}

/**
 * A double-quoted string literal that reads back as exactly `value`. JSON.stringify escapes
 * quotes, backslashes, control characters and lone surrogates; U+2028 and U+2029 it leaves raw,
 * and they end a line for editors and older parsers.
 */
export function literal(value: string): string {
  return JSON.stringify(String(value)).replace(/[\u2028\u2029]/g, (separator) =>
    separator === '\u2028' ? '\\u2028' : '\\u2029',
  );
}
