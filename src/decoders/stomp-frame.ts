/**
 * Splitting STOMP 1.0–1.2 frames out of a byte stream: `COMMAND`, header lines, a blank line,
 * then the body up to a NUL byte, or exactly `content-length` bytes then NUL. Lines end in LF or
 * CRLF, and EOLs between frames are heart-beats. Works on bytes because content-length counts
 * bytes, and because clients send frames with binary bodies as binary WebSocket frames.
 */

export interface StompFrame {
  command: string;
  /** First occurrence wins when a header repeats, as STOMP 1.2 says. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export type StompScan =
  | { kind: 'frame'; frame: StompFrame; next: number }
  | { kind: 'incomplete' }
  | { kind: 'error'; error: string };

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

const COMMANDS = new Set([
  'CONNECT',
  'STOMP',
  'CONNECTED',
  'SEND',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'ACK',
  'NACK',
  'BEGIN',
  'COMMIT',
  'ABORT',
  'DISCONNECT',
  'MESSAGE',
  'RECEIPT',
  'ERROR',
]);

const utf8 = new TextDecoder();

/** Past any EOLs at `start`. */
export function skipEols(bytes: Uint8Array, start: number): number {
  let i = start;
  while (i < bytes.length && (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] === LF))) {
    i += bytes[i] === CR ? 2 : 1;
  }
  return i;
}

/** Reads the frame starting at `start` (which must not be an EOL). */
export function scanFrame(bytes: Uint8Array, start: number): StompScan {
  const lines: string[] = [];
  let i = start;
  for (;;) {
    const end = bytes.indexOf(LF, i);
    if (end < 0) return { kind: 'incomplete' };
    const line = utf8.decode(bytes.subarray(i, end > i && bytes[end - 1] === CR ? end - 1 : end));
    i = end + 1;
    if (line === '') break;
    lines.push(line);
  }
  const [command, ...headerLines] = lines;
  if (command === undefined || !COMMANDS.has(command)) {
    return {
      kind: 'error',
      error: `not a STOMP command: ${JSON.stringify((command ?? '').slice(0, 40))}`,
    };
  }
  // CONNECT and CONNECTED are never escaped, so that 1.0 peers can read them.
  const escaped = command !== 'CONNECT' && command !== 'CONNECTED';
  const entries: Array<[string, string]> = [];
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon < 0) return { kind: 'error', error: `header line without a colon in ${command}` };
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    entries.push(escaped ? [unescapeHeader(name), unescapeHeader(value)] : [name, value]);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    // defineProperty, because a header named __proto__ must stay a header.
    if (!Object.hasOwn(headers, name)) {
      Object.defineProperty(headers, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  const length = headers['content-length'];
  let bodyEnd: number;
  if (length !== undefined && /^\d{1,15}$/.test(length.trim())) {
    bodyEnd = i + Number(length.trim());
    if (bodyEnd >= bytes.length) return { kind: 'incomplete' };
    if (bytes[bodyEnd] !== NUL)
      return { kind: 'error', error: `${command} body is longer than its content-length` };
  } else {
    bodyEnd = bytes.indexOf(NUL, i);
    if (bodyEnd < 0) return { kind: 'incomplete' };
  }
  return {
    kind: 'frame',
    frame: { command, headers, body: bytes.subarray(i, bodyEnd) },
    next: bodyEnd + 1,
  };
}

const ESCAPES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\c': ':', '\\\\': '\\' };

/** STOMP 1.1/1.2 header escapes; an unknown one is kept as sent, as 1.0 peers do not escape. */
function unescapeHeader(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\[nrc\\]/g, (sequence) => ESCAPES[sequence] ?? sequence);
}
