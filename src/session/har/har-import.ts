import type { CloseInitiator, FrameOrigin, ReadyState } from '../../protocol/capture-events';
import type { WirePayload } from '../../protocol/wire-payload';
import { base64ToBytes } from '../base64';
import { makeFrame } from '../make-frame';
import type { Connection, ConnectionState, DirectionStats, Frame } from '../session-model';
import { utf8ByteLength } from '../utf8';

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
}

type Json = Record<string, unknown>;

const CONNECTION_STATES: ConnectionState[] = ['connecting', 'open', 'closing', 'closed', 'failed'];
const ORIGINS: FrameOrigin[] = ['page', 'replayed', 'edited', 'composed', 'delivered', 'dropped'];
const INITIATORS: CloseInitiator[] = ['client', 'server', 'unknown'];

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
  };
  const documents = new Map<string, ImportedDocument>();
  entries.forEach((rawEntry, index) => {
    const where = `log.entries[${index}]`;
    const entry = object(rawEntry, where);
    const isWebSocket =
      entry._resourceType === 'websocket' || Array.isArray(entry._webSocketMessages);
    if (!isWebSocket) {
      session.skippedEntries++;
      return;
    }
    const request = object(entry.request, `${where}.request`);
    const url = string(request.url, `${where}.request.url`);
    const startedAt = date(entry.startedDateTime, `${where}.startedDateTime`);
    const pageref = optional(entry.pageref, `${where}.pageref`, string);
    const pageUrl =
      optional(entry._pageUrl, `${where}._pageUrl`, string) ??
      (pageref ? pageTitles.get(pageref) : undefined) ??
      '';
    const documentKey =
      optional(entry._documentId, `${where}._documentId`, string) ?? pageref ?? 'page';
    const documentId = `${importId}/${documentKey}`;
    const createdAt = optional(entry._createdAt, `${where}._createdAt`, finite) ?? startedAt;
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
    const id = optional(entry._connectionId, `${where}._connectionId`, integer) ?? index + 1;
    const key = `${documentId}#${id}`;
    const response = isObject(entry.response) ? entry.response : {};
    const opened = optional(entry._openedAt, `${where}._openedAt`, finite);
    const connection: Connection = {
      key,
      documentId,
      id,
      frameId: document.frameId,
      pageUrl,
      requestedUrl: optional(entry._requestedUrl, `${where}._requestedUrl`, string) ?? url,
      url,
      protocols: optional(entry._requestedProtocols, `${where}._requestedProtocols`, strings) ?? [],
      protocol:
        optional(entry._selectedProtocol, `${where}._selectedProtocol`, string) ??
        headerOf(response.headers, 'sec-websocket-protocol'),
      extensions:
        optional(entry._extensions, `${where}._extensions`, string) ??
        headerOf(response.headers, 'sec-websocket-extensions'),
      state:
        optional(entry._state, `${where}._state`, oneOf(CONNECTION_STATES)) ??
        (response.status === 101 ? 'closed' : 'failed'),
      createdAt,
      errors: 0,
      sent: { count: 0, bytes: 0 },
      received: { count: 0, bytes: 0 },
      peakBufferedAmount:
        optional(entry._peakBufferedAmount, `${where}._peakBufferedAmount`, count) ?? 0,
      imported: fileName,
    };
    if (opened !== undefined) connection.openedAt = opened;
    const closedAt = optional(entry._closedAt, `${where}._closedAt`, finite);
    if (closedAt !== undefined) connection.closedAt = closedAt;
    const closeRequest = optional(entry._closeRequest, `${where}._closeRequest`, closeRequestOf);
    if (closeRequest) connection.closeRequest = closeRequest;
    const close = optional(entry._close, `${where}._close`, closeOf);
    if (close) connection.close = close;

    const frames: Frame[] = [];
    const messages =
      entry._webSocketMessages === undefined
        ? []
        : array(entry._webSocketMessages, `${where}._webSocketMessages`);
    messages.forEach((rawMessage, messageIndex) => {
      const frame = frameOf(rawMessage, `${where}._webSocketMessages[${messageIndex}]`, key);
      if (!frame) {
        session.skippedMessages++;
        return;
      }
      if (frame.kind === 'error') connection.errors++;
      else {
        const stats = frame.kind === 'sent' ? connection.sent : connection.received;
        stats.count++;
        stats.bytes += frame.payload!.originalSize;
      }
      frames.push(frame);
    });
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
      frames.push(
        makeFrame({
          connectionKey: key,
          kind: 'closed',
          time,
          code: close.code,
          reason: close.reason,
        }),
      );
    }
    // Counters as recorded (they include frames not kept, e.g. while paused) win over a recount.
    connection.sent = optional(entry._sent, `${where}._sent`, statsOf) ?? connection.sent;
    connection.received =
      optional(entry._received, `${where}._received`, statsOf) ?? connection.received;
    session.connections.push(connection);
    session.frames.push(...frames);
  });
  session.documents = [...documents.values()];
  // A stable sort: frames of one connection keep their file order when times tie.
  session.frames.sort((a, b) => a.time - b.time);
  return session;
}

function frameOf(raw: unknown, where: string, connectionKey: string): Frame | undefined {
  const message = object(raw, where);
  const type = string(message.type, `${where}.type`);
  const time = finite(message.time, `${where}.time`) * 1000;
  const opcode = integer(message.opcode, `${where}.opcode`);
  const data = string(message.data, `${where}.data`);
  if (type === 'error') return makeFrame({ connectionKey, kind: 'error', time });
  if (type !== 'send' && type !== 'receive') {
    throw new HarImportError(
      `type must be "send" or "receive", not ${JSON.stringify(type)}`,
      `${where}.type`,
    );
  }
  if (opcode !== 1 && opcode !== 2) return undefined;
  let payload: WirePayload;
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
    payload = { kind: 'binary', base64: data, size: bytes.length, originalSize: bytes.length };
  }
  const originalSize = optional(message._originalSize, `${where}._originalSize`, count);
  if (originalSize !== undefined) payload.originalSize = Math.max(originalSize, payload.size);
  const frame = makeFrame({
    connectionKey: connectionKey,
    kind: type === 'send' ? 'sent' : 'received',
    time: time,
  });
  frame.payload = payload;
  frame.origin = optional(message._origin, `${where}._origin`, oneOf(ORIGINS)) ?? 'page';
  if (type === 'send')
    frame.readyState = (optional(
      message._readyState,
      `${where}._readyState`,
      oneOf([0, 1, 2, 3]),
    ) ?? 1) as ReadyState;
  if (message._payloadDropped === true) frame.payloadEvicted = true;
  return frame;
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

function date(value: unknown, where: string): number {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? fail('an ISO 8601 date', value, where) : time;
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
