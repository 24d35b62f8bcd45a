import { type CloseInitiator, FRAME_ORIGINS, type ReadyState } from '../../protocol/capture-events';
import { MAX_STACK_TEXT } from '../../protocol/limits';
import { MAX_RULE_NAME, RULE_EFFECTS } from '../../protocol/socket-rules';
import { base64ToBytes } from '../base64';
import { makeFrame } from '../make-frame';
import {
  type Connection,
  type ConnectionState,
  connectionKey,
  type DirectionStats,
  type Frame,
  type FramePayload,
  type FrameRule,
} from '../session-model';
import { utf8ByteLength } from '../utf8';
import { handshakeOf } from './har-handshake';
import { initiatorOf } from './har-initiator';

/** A HAR file that cannot be read, with where in it the problem is (a JSON path). */
export class HarImportError extends Error {
  constructor(
    readonly problem: string,
    readonly where: string,
  ) {
    super(`${problem} (at ${where})`);
  }
}

export interface ImportedDocument {
  documentId: string;
  url: string;
  startedAt: number;
  frameId: number;
}

export interface ImportedSession {
  documents: ImportedDocument[];
  connections: Connection[];
  /** Every connection's frames, in time order. */
  frames: Frame[];
  /** Entries that are not WebSocket connections (HTTP requests and the like). */
  skippedEntries: number;
  /** Frames of kinds Sockscope does not show (pings, pongs, other opcodes). */
  skippedMessages: number;
  /**
   * WebSocket entries whose message times were epoch milliseconds (Playwright writes them so;
   * Chrome's shape, and every other writer's, is epoch seconds), read as milliseconds.
   */
  convertedTimeEntries: number;
  /** Messages the file gives no time (Playwright's minimal HARs write -1): put at their
   * connection's start, in file order. */
  untimedMessages: number;
  /** WebSocket entries whose messages are in another file the HAR names (Playwright's
   * `content: 'attach'`): that file is not read. */
  detachedEntries: number;
}

type Json = Record<string, unknown>;

/** One `_webSocketMessages` item, checked except for its data (control frames may lack it). */
interface HarMessage {
  message: Json;
  where: string;
  type: 'send' | 'receive' | 'error';
  /** As the file wrote it: epoch seconds or milliseconds, or 0 or less when unknown. */
  time: number;
  opcode: number;
}

const CONNECTION_STATES: ConnectionState[] = ['connecting', 'open', 'closing', 'closed', 'failed'];
const INITIATORS: CloseInitiator[] = ['client', 'server', 'unknown'];

/**
 * Epoch milliseconds below this (March 1973) are no present-day time: a start this early is a
 * placeholder, not a reference to measure message times against.
 */
const PLAUSIBLE_EPOCH_MS = 1e11;

/**
 * Reads a HAR file written by Sockscope, Chrome DevTools or any tool in Chrome's shape. Every
 * WebSocket entry becomes a connection, marked as imported under `importId`; anything malformed
 * stops the import with a {@link HarImportError} naming what and where.
 */
export function parseHar(text: string, importId: string, fileName: string): ImportedSession {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw new HarImportError(`not JSON: ${(error as Error).message}`, fileName);
  }
  return readHar(root, importId, fileName);
}

/** {@link parseHar} of a HAR log already parsed (DevTools' own, from devtools.network.getHAR). */
export function readHar(root: unknown, importId: string, fileName: string): ImportedSession {
  const log = object(object(root, '(file)').log, 'log');
  const entries = array(log.entries, 'log.entries');
  const pageTitles = new Map<string, string>();
  if (Array.isArray(log.pages)) {
    for (const page of log.pages) {
      if (isObject(page) && typeof page.id === 'string' && typeof page.title === 'string')
        pageTitles.set(page.id, page.title);
    }
  }
  const session: ImportedSession = {
    documents: [],
    connections: [],
    frames: [],
    skippedEntries: 0,
    skippedMessages: 0,
    convertedTimeEntries: 0,
    untimedMessages: 0,
    detachedEntries: 0,
  };
  const documents = new Map<string, ImportedDocument>();
  entries.forEach((rawEntry, index) => {
    const where = `log.entries[${index}]`;
    const entry = object(rawEntry, where);
    const response = isObject(entry.response) ? entry.response : {};
    const isWebSocket =
      entry._resourceType === 'websocket' ||
      Array.isArray(entry._webSocketMessages) ||
      isHandshake(entry.request, response);
    if (!isWebSocket) {
      session.skippedEntries++;
      return;
    }
    const request = object(entry.request, `${where}.request`);
    const url = webSocketUrl(string(request.url, `${where}.request.url`));
    const pageref = optional(entry.pageref, `${where}.pageref`, string);
    const pageUrl =
      optional(entry._pageUrl, `${where}._pageUrl`, string) ??
      (pageref ? pageTitles.get(pageref) : undefined) ??
      '';
    const documentKey =
      optional(entry._documentId, `${where}._documentId`, string) ?? pageref ?? 'page';
    const documentId = `${importId}/${documentKey}`;
    const id = optional(entry._connectionId, `${where}._connectionId`, integer) ?? index + 1;
    const key = connectionKey(documentId, id);

    const messages = (
      entry._webSocketMessages === undefined
        ? []
        : array(entry._webSocketMessages, `${where}._webSocketMessages`)
    ).map((raw, i) => messageOf(raw, `${where}._webSocketMessages[${i}]`));
    if (entry._webSocketMessages === undefined && isObject(response.content)) {
      if (typeof response.content._file === 'string') session.detachedEntries++;
    }
    const toolkitClose = optional(
      entry._webSocketClose,
      `${where}._webSocketClose`,
      toolkitCloseOf,
    );

    const exactCreatedAt = optional(entry._createdAt, `${where}._createdAt`, finite);
    const started = isoDate(entry.startedDateTime);
    const scale = timeScale(
      messages.map((message) => message.time),
      exactCreatedAt ?? started,
    );
    if (scale === 1) session.convertedTimeEntries++;
    let earliest: number | undefined;
    for (const { time } of messages) {
      if (time > 0 && (earliest === undefined || time * scale < earliest)) earliest = time * scale;
    }
    const createdAt =
      exactCreatedAt ??
      (started !== undefined && started > PLAUSIBLE_EPOCH_MS ? started : undefined) ??
      earliest ??
      started ??
      fail('an ISO 8601 date', entry.startedDateTime, `${where}.startedDateTime`);

    let document = documents.get(documentId);
    if (!document) {
      document = {
        documentId,
        url: pageUrl,
        startedAt: createdAt,
        frameId: optional(entry._frameId, `${where}._frameId`, integer) ?? 0,
      };
      documents.set(documentId, document);
    }
    document.startedAt = Math.min(document.startedAt, createdAt);

    const frames: Frame[] = [];
    for (const message of messages) {
      if (message.time <= 0) session.untimedMessages++;
      const time = message.time > 0 ? message.time * scale : createdAt;
      const frame = frameOf(message, key, time);
      if (frame) frames.push(frame);
      else session.skippedMessages++;
    }
    const status = Number.isSafeInteger(response.status) ? (response.status as number) : undefined;
    const answered =
      status === 101 ||
      (status !== undefined && status >= 200 && status < 300) ||
      frames.some((frame) => frame.kind === 'received');
    const connection: Connection = {
      key,
      documentId,
      id,
      frameId: document.frameId,
      pageUrl,
      requestedUrl: optional(entry._requestedUrl, `${where}._requestedUrl`, string) ?? url,
      url,
      protocols:
        optional(entry._requestedProtocols, `${where}._requestedProtocols`, strings) ??
        headerOf(request.headers, 'sec-websocket-protocol')
          .split(',')
          .map((protocol) => protocol.trim())
          .filter(Boolean),
      protocol:
        optional(entry._selectedProtocol, `${where}._selectedProtocol`, string) ??
        headerOf(response.headers, 'sec-websocket-protocol'),
      extensions:
        optional(entry._extensions, `${where}._extensions`, string) ??
        headerOf(response.headers, 'sec-websocket-extensions'),
      state:
        optional(entry._state, `${where}._state`, oneOf(CONNECTION_STATES)) ??
        (answered ? 'closed' : 'failed'),
      createdAt,
      errors: 0,
      sent: { count: 0, bytes: 0 },
      received: { count: 0, bytes: 0 },
      peakBufferedAmount:
        optional(entry._peakBufferedAmount, `${where}._peakBufferedAmount`, count) ?? 0,
      imported: fileName,
    };
    const decoder = optional(entry._decoder, `${where}._decoder`, decoderId);
    if (decoder !== undefined) connection.decoder = decoder;
    const opened = optional(entry._openedAt, `${where}._openedAt`, finite);
    if (opened !== undefined) connection.openedAt = opened;
    // HTTP Toolkit's close `timestamp` is on its own monotonic clock, not the epoch; the entry's
    // `time` runs from the start to that close (its own importer reads it so).
    const toolkitDuration =
      toolkitClose && toolkitClose !== 'aborted' && typeof entry.time === 'number'
        ? entry.time
        : -1;
    const closedAt =
      optional(entry._closedAt, `${where}._closedAt`, finite) ??
      (toolkitDuration >= 0 ? createdAt + toolkitDuration : undefined);
    if (closedAt !== undefined) connection.closedAt = closedAt;
    const closeRequest = optional(entry._closeRequest, `${where}._closeRequest`, closeRequestOf);
    if (closeRequest) connection.closeRequest = closeRequest;
    const close =
      optional(entry._close, `${where}._close`, closeOf) ?? closeOfToolkit(toolkitClose);
    if (close) connection.close = close;
    const endedByRule = optional(entry._endedByRule, `${where}._endedByRule`, frameRuleOf);
    if (endedByRule) connection.endedByRule = endedByRule;
    const mockedBy = optional(entry._mockedBy, `${where}._mockedBy`, string);
    if (mockedBy !== undefined) connection.mockedBy = mockedBy.slice(0, MAX_RULE_NAME);
    const handshake = handshakeOf(entry, connection, `${fileName}#${index}`);
    if (handshake) connection.handshake = handshake;
    const initiator = initiatorOf(entry._initiator);
    if (initiator) connection.initiator = initiator;
    if (status !== undefined) {
      const statusText = typeof response.statusText === 'string' ? response.statusText : '';
      // What an export would write from openedAt alone; anything else the file said is kept.
      const implied = opened !== undefined;
      if (status !== (implied ? 101 : 0) || statusText !== (implied ? 'Switching Protocols' : ''))
        connection.harResponse = { status, statusText };
    }

    for (const frame of frames) {
      if (frame.kind === 'error') connection.errors++;
      else {
        const stats = frame.kind === 'sent' ? connection.sent : connection.received;
        stats.count++;
        stats.bytes += frame.payload!.originalSize;
      }
    }
    for (const time of optional(entry._errors, `${where}._errors`, finites) ?? []) {
      connection.errors++;
      frames.push(makeFrame({ connectionKey: key, kind: 'error', time }));
    }
    if (closeRequest) {
      const { time, code, reason } = closeRequest;
      frames.push(makeFrame({ connectionKey: key, kind: 'close-requested', time, code, reason }));
    }
    if (close) {
      const time = closedAt ?? frames.at(-1)?.time ?? createdAt;
      const closed = makeFrame({
        connectionKey: key,
        kind: 'closed',
        time,
        code: close.code,
        reason: close.reason,
      });
      if (endedByRule) closed.rule = endedByRule;
      frames.push(closed);
    }
    // Counters as recorded (they include frames not kept, e.g. while paused) win over a recount.
    connection.sent = optional(entry._sent, `${where}._sent`, statsOf) ?? connection.sent;
    connection.received =
      optional(entry._received, `${where}._received`, statsOf) ?? connection.received;
    session.connections.push(connection);
    // One by one: spreading a million-frame connection into push() overflows the stack.
    for (const frame of frames) session.frames.push(frame);
  });
  session.documents = [...documents.values()];
  // A stable sort: frames of one connection keep their file order when times tie.
  session.frames.sort((a, b) => a.time - b.time);
  return session;
}

/**
 * Epoch milliseconds per unit of an entry's message times: 1000 for Chrome's epoch seconds, 1
 * for Playwright's epoch milliseconds. The two readings of a time are a factor of 1000 apart, so
 * the one nearer (in ratio) to when the entry started is right; without a plausible start, a
 * present-day time is about 1.7e9 in seconds and 1.7e12 in milliseconds, and 1e11 lies between
 * them for the next three millennia and since 1973. Unknown times (0 or less) say nothing.
 */
export function timeScale(times: readonly number[], startedAt: number | undefined): 1 | 1000 {
  const known = times.filter((time) => time > 0);
  if (known.length === 0) return 1000;
  // The median of a few spread over the entry: one stray value does not decide, and a
  // million-message entry is not sorted for it.
  const step = Math.max(1, Math.floor(known.length / 99));
  const sample = known.filter((_, i) => i % step === 0).sort((a, b) => a - b);
  const median = sample[sample.length >> 1]!;
  if (startedAt === undefined || !(startedAt > PLAUSIBLE_EPOCH_MS))
    return median >= PLAUSIBLE_EPOCH_MS ? 1 : 1000;
  const distance = (reading: number) => Math.abs(Math.log(reading / startedAt));
  return distance(median) < distance(median * 1000) ? 1 : 1000;
}

function messageOf(raw: unknown, where: string): HarMessage {
  const message = object(raw, where);
  const type = string(message.type, `${where}.type`);
  if (type !== 'send' && type !== 'receive' && type !== 'error') {
    throw new HarImportError(
      `type must be "send" or "receive", not ${JSON.stringify(type)}`,
      `${where}.type`,
    );
  }
  return {
    message,
    where,
    type,
    time: finite(message.time, `${where}.time`),
    opcode: integer(message.opcode, `${where}.opcode`),
  };
}

function frameOf(
  { message, where, type, opcode }: HarMessage,
  connectionKey: string,
  time: number,
): Frame | undefined {
  if (type === 'error') return makeFrame({ connectionKey, kind: 'error', time });
  // Control frames (close, ping, pong) are not shown, so their data, if any, is not needed.
  if (opcode !== 1 && opcode !== 2) return undefined;
  const data = string(message.data, `${where}.data`);
  let payload: FramePayload;
  if (opcode === 1) {
    const size = utf8ByteLength(data);
    payload = { kind: 'text', text: data, size, originalSize: size };
  } else {
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(data);
    } catch {
      throw new HarImportError('binary data (opcode 2) is not valid base64', `${where}.data`);
    }
    payload = { kind: 'binary', bytes, size: bytes.length, originalSize: bytes.length };
  }
  const originalSize = optional(message._originalSize, `${where}._originalSize`, count);
  if (originalSize !== undefined) payload.originalSize = Math.max(originalSize, payload.size);
  const frame = makeFrame({
    connectionKey: connectionKey,
    kind: type === 'send' ? 'sent' : 'received',
    time: time,
  });
  frame.payload = payload;
  frame.origin = optional(message._origin, `${where}._origin`, oneOf(FRAME_ORIGINS)) ?? 'page';
  if (type === 'send')
    frame.readyState = (optional(
      message._readyState,
      `${where}._readyState`,
      oneOf([0, 1, 2, 3]),
    ) ?? 1) as ReadyState;
  if (message._payloadDropped === true) frame.payloadEvicted = true;
  const sentBy = optional(message._sentBy, `${where}._sentBy`, string);
  if (type === 'send' && sentBy) frame.sentBy = sentBy.slice(0, MAX_STACK_TEXT);
  const rule = optional(message._rule, `${where}._rule`, string);
  if (rule !== undefined) {
    const effect = optional(message._ruleEffect, `${where}._ruleEffect`, oneOf(RULE_EFFECTS));
    // A file that names the rule only: how it touched the frame, as its origin says.
    const implied = frame.origin === 'dropped' ? 'dropped by rule' : frame.origin;
    const fallback = RULE_EFFECTS.find((known) => known === implied) ?? 'mocked';
    frame.rule = { name: rule.slice(0, MAX_RULE_NAME), effect: effect ?? fallback };
  }
  return frame;
}

/**
 * A WebSocket handshake in a file that does not mark it as one (Firefox writes neither
 * `_resourceType` nor messages): an `Upgrade: websocket` header, or a ws: URL.
 */
function isHandshake(request: unknown, response: Json): boolean {
  if (!isObject(request)) return false;
  if (typeof request.url === 'string' && /^wss?:/i.test(request.url)) return true;
  return [request.headers, response.headers].some(
    (headers) => headerOf(headers, 'upgrade').toLowerCase() === 'websocket',
  );
}

/**
 * The URL a page would open: proxies and Firefox record the handshake's http(s) URL (mitmproxy's
 * flow URL, Firefox's upgraded channel). Only the scheme changes; the rest stays as written.
 */
function webSocketUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_, secure: string) => `ws${secure}:`);
}

/** HTTP Toolkit's close: `{code, reason, timestamp}`, or "aborted" when the socket dropped. */
function toolkitCloseOf(
  value: unknown,
  where: string,
): { code: number | undefined; reason: string } | 'aborted' {
  if (value === 'aborted') return value;
  const close = object(value, where);
  return {
    code: optional(close.code, `${where}.code`, integer),
    reason: optional(close.reason, `${where}.reason`, string) ?? '',
  };
}

/** What the page saw: a close without a status code reads 1005, a dropped connection 1006. */
function closeOfToolkit(close: ReturnType<typeof toolkitCloseOf> | undefined): Connection['close'] {
  if (!close) return undefined;
  if (close === 'aborted') return { code: 1006, reason: '', wasClean: false, initiator: 'unknown' };
  return { code: close.code ?? 1005, reason: close.reason, wasClean: true, initiator: 'unknown' };
}

function headerOf(headers: unknown, name: string): string {
  if (!Array.isArray(headers)) return '';
  const header = headers.find(
    (candidate) => isObject(candidate) && String(candidate.name).toLowerCase() === name,
  );
  return header && typeof header.value === 'string' ? header.value : '';
}

// ---- typed readers: each returns the value or throws naming the path -------------------------

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(expected: string, value: unknown, where: string): never {
  const got =
    value === undefined
      ? 'nothing'
      : value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : typeof value === 'object'
            ? 'an object'
            : JSON.stringify(value);
  throw new HarImportError(`expected ${expected}, found ${got}`, where);
}

function object(value: unknown, where: string): Json {
  return isObject(value) ? value : fail('an object', value, where);
}

function array(value: unknown, where: string): unknown[] {
  return Array.isArray(value) ? value : fail('an array', value, where);
}

function string(value: unknown, where: string): string {
  return typeof value === 'string' ? value : fail('a string', value, where);
}

function finite(value: unknown, where: string): number {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : fail('a number', value, where);
}

function integer(value: unknown, where: string): number {
  return Number.isSafeInteger(value) ? (value as number) : fail('an integer', value, where);
}

function count(value: unknown, where: string): number {
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? (value as number)
    : fail('a whole number', value, where);
}

/** A start time, or nothing when the file has none a date can be read from. */
function isoDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

function strings(value: unknown, where: string): string[] {
  return array(value, where).map((item, i) => string(item, `${where}[${i}]`));
}

function finites(value: unknown, where: string): number[] {
  return array(value, where).map((item, i) => finite(item, `${where}[${i}]`));
}

function oneOf<T>(allowed: readonly T[]) {
  return (value: unknown, where: string): T =>
    allowed.includes(value as T)
      ? (value as T)
      : fail(`one of ${allowed.map((item) => JSON.stringify(item)).join(', ')}`, value, where);
}

function statsOf(value: unknown, where: string): DirectionStats {
  const stats = object(value, where);
  return {
    count: count(stats.count, `${where}.count`),
    bytes: count(stats.bytes, `${where}.bytes`),
  };
}

function closeRequestOf(value: unknown, where: string): Connection['closeRequest'] {
  const request = object(value, where);
  const closeRequest: NonNullable<Connection['closeRequest']> = {
    time: finite(request.time, `${where}.time`),
    code: request.code === null ? null : integer(request.code, `${where}.code`),
    reason: string(request.reason, `${where}.reason`),
  };
  if (request.byUser !== undefined) closeRequest.byUser = request.byUser === true;
  return closeRequest;
}

function frameRuleOf(value: unknown, where: string): FrameRule {
  const rule = object(value, where);
  return {
    name: string(rule.name, `${where}.name`).slice(0, MAX_RULE_NAME),
    effect: oneOf(RULE_EFFECTS)(rule.effect, `${where}.effect`),
  };
}

function closeOf(value: unknown, where: string): NonNullable<Connection['close']> {
  const close = object(value, where);
  return {
    code: integer(close.code, `${where}.code`),
    reason: string(close.reason, `${where}.reason`),
    wasClean:
      typeof close.wasClean === 'boolean'
        ? close.wasClean
        : fail('true or false', close.wasClean, `${where}.wasClean`),
    initiator: oneOf(INITIATORS)(close.initiator, `${where}.initiator`),
  };
}

function optional<T>(
  value: unknown,
  where: string,
  read: (value: unknown, where: string) => T,
): T | undefined {
  return value === undefined ? undefined : read(value, where);
}

/** A decoder id as `_decoder` holds it: short and plain (an unknown one reads as raw frames). */
function decoderId(value: unknown, where: string): string {
  if (typeof value === 'string' && /^[a-z0-9.-]{1,64}$/.test(value)) return value;
  return fail('a decoder id (letters, digits, "." and "-")', value, where);
}
