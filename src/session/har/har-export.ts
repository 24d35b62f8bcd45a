import { base64Of } from '../frame-payload';
import type { Connection, Frame } from '../session-model';
import type { SessionStore } from '../session-store';
import { HAR_CREATOR, type HarEntry, type HarPage, type HarWebSocketMessage } from './har-format';
import { applyHandshake } from './har-handshake';
import { harInitiator } from './har-initiator';

/** What to export: every connection, one, or exactly the frames a filter shows. */
export type HarSelection =
  | { scope: 'session' }
  | { scope: 'connection'; connectionKey: string }
  | { scope: 'frames'; frames: Frame[] };

const MESSAGES_PER_CHUNK = 5_000;

/**
 * Writes the session as HAR text in chunks (strings of a few MB at most), so that a session of a
 * million frames never becomes one giant string; join them with a Blob. Yields between chunks
 * when `pause` is given, to keep the panel responsive.
 */
export async function* harChunks(
  session: SessionStore,
  selection: HarSelection,
  pause?: () => Promise<void>,
  /** The decoder the panel reads a connection with, kept as `_decoder`. */
  decoderOf?: (connection: Connection) => string | null,
): AsyncGenerator<string> {
  const framesByConnection = new Map<string, Frame[]>();
  const source =
    selection.scope === 'frames'
      ? selection.frames
      : selection.scope === 'connection'
        ? session.frames.filter((frame) => frame.connectionKey === selection.connectionKey)
        : session.frames;
  for (const frame of source) {
    let list = framesByConnection.get(frame.connectionKey);
    if (!list) {
      list = [];
      framesByConnection.set(frame.connectionKey, list);
    }
    list.push(frame);
  }
  const connections = session.connectionList.filter((connection) =>
    selection.scope === 'session'
      ? true
      : selection.scope === 'connection'
        ? connection.key === selection.connectionKey
        : framesByConnection.has(connection.key),
  );
  const pages = new Map<string, HarPage>();
  for (const connection of connections) {
    if (!pages.has(connection.documentId)) {
      const document = session.documents.get(connection.documentId)?.info;
      pages.set(connection.documentId, {
        startedDateTime: new Date(document?.startedAt || connection.createdAt).toISOString(),
        id: `page_${pages.size + 1}`,
        title: connection.pageUrl,
        pageTimings: { onContentLoad: -1, onLoad: -1 },
      });
    }
  }
  yield `{"log":{"version":"1.2","creator":${JSON.stringify(HAR_CREATOR)},"pages":${JSON.stringify([...pages.values()])},"entries":[`;
  let firstEntry = true;
  for (const connection of connections) {
    const frames = framesByConnection.get(connection.key) ?? [];
    const { _webSocketMessages: _, ...entry } = harEntry(
      connection,
      frames,
      pages.get(connection.documentId)?.id,
    );
    const decoder = decoderOf?.(connection);
    if (decoder) entry._decoder = decoder;
    const head = JSON.stringify(entry);
    yield `${firstEntry ? '' : ','}${head.slice(0, -1)},"_webSocketMessages":[`;
    firstEntry = false;
    const messageFrames = frames.filter((frame) => frame.payload);
    for (let start = 0; start < messageFrames.length; start += MESSAGES_PER_CHUNK) {
      const chunk = messageFrames
        .slice(start, start + MESSAGES_PER_CHUNK)
        .map((frame) => JSON.stringify(harMessage(frame)));
      yield (start === 0 ? '' : ',') + chunk.join(',');
      if (pause) await pause();
    }
    yield ']}';
  }
  yield ']}}';
}

/** Collects the chunks into a Blob (the browser keeps the parts; no single string is built). */
export async function harBlob(
  session: SessionStore,
  selection: HarSelection,
  pause?: () => Promise<void>,
  decoderOf?: (connection: Connection) => string | null,
): Promise<Blob> {
  const parts: string[] = [];
  for await (const chunk of harChunks(session, selection, pause, decoderOf)) parts.push(chunk);
  return new Blob(parts, { type: 'application/json' });
}

export function harMessage(frame: Frame): HarWebSocketMessage {
  const payload = frame.payload!;
  const message: HarWebSocketMessage = {
    type: frame.kind === 'sent' ? 'send' : 'receive',
    time: frame.time / 1000,
    opcode: payload.kind === 'text' ? 1 : 2,
    data: payload.kind === 'text' ? payload.text : base64Of(payload),
  };
  if (payload.size < payload.originalSize) message._originalSize = payload.originalSize;
  if (frame.origin && frame.origin !== 'page') message._origin = frame.origin;
  if (frame.readyState !== undefined && frame.readyState !== 1)
    message._readyState = frame.readyState;
  if (frame.payloadEvicted) message._payloadDropped = true;
  if (frame.sentBy) message._sentBy = frame.sentBy;
  if (frame.rule) {
    message._rule = frame.rule.name;
    message._ruleEffect = frame.rule.effect;
  }
  return message;
}

export function harEntry(
  connection: Connection,
  frames: Frame[],
  pageref: string | undefined,
): HarEntry {
  const end =
    connection.closedAt ?? frames.at(-1)?.time ?? connection.openedAt ?? connection.createdAt;
  const responseHeaders = [];
  if (connection.protocol)
    responseHeaders.push({ name: 'Sec-WebSocket-Protocol', value: connection.protocol });
  if (connection.extensions)
    responseHeaders.push({ name: 'Sec-WebSocket-Extensions', value: connection.extensions });
  const requestHeaders = connection.protocols.length
    ? [{ name: 'Sec-WebSocket-Protocol', value: connection.protocols.join(', ') }]
    : [];
  const opened = connection.openedAt !== undefined;
  const recorded = connection.harResponse;
  const answered = recorded ? recorded.status > 0 : opened;
  const entry: HarEntry = {
    _resourceType: 'websocket',
    startedDateTime: new Date(connection.createdAt).toISOString(),
    time: Math.max(0, end - connection.createdAt),
    request: {
      method: 'GET',
      url: connection.url,
      httpVersion: 'HTTP/1.1',
      headers: requestHeaders,
      queryString: queryStringOf(connection.url),
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: recorded?.status ?? (opened ? 101 : 0),
      statusText: recorded?.statusText ?? (opened ? 'Switching Protocols' : ''),
      httpVersion: answered ? 'HTTP/1.1' : '',
      headers: responseHeaders,
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      send: 0,
      wait: opened ? Math.max(0, connection.openedAt! - connection.createdAt) : 0,
      receive: 0,
      ssl: -1,
    },
    _sockscopeVersion: 1,
    _connectionId: connection.id,
    _documentId: connection.documentId,
    _frameId: connection.frameId,
    _pageUrl: connection.pageUrl,
    _requestedUrl: connection.requestedUrl,
    _requestedProtocols: connection.protocols,
    _selectedProtocol: connection.protocol,
    _extensions: connection.extensions,
    _state: connection.state,
    _createdAt: connection.createdAt,
    _errors: frames.filter((frame) => frame.kind === 'error').map((frame) => frame.time),
    _peakBufferedAmount: connection.peakBufferedAmount,
    _sent: connection.sent,
    _received: connection.received,
    _webSocketMessages: frames.filter((frame) => frame.payload).map(harMessage),
  };
  if (pageref) entry.pageref = pageref;
  if (connection.openedAt !== undefined) entry._openedAt = connection.openedAt;
  if (connection.closedAt !== undefined) entry._closedAt = connection.closedAt;
  if (connection.closeRequest) entry._closeRequest = connection.closeRequest;
  if (connection.close) entry._close = connection.close;
  if (connection.endedByRule) entry._endedByRule = connection.endedByRule;
  if (connection.mockedBy !== undefined) entry._mockedBy = connection.mockedBy;
  if (connection.handshake) applyHandshake(entry, connection.handshake);
  if (connection.initiator) entry._initiator = harInitiator(connection.initiator);
  return entry;
}

function queryStringOf(url: string): Array<{ name: string; value: string }> {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** `host-2026-11-21T18-30-00.har`, from the page the session belongs to. */
export function harFileName(pageUrl: string | undefined, now = new Date()): string {
  let host = 'sockscope';
  try {
    if (pageUrl) host = new URL(pageUrl).host.replace(/[^\w.-]+/g, '_') || host;
  } catch {
    // Keep the default name.
  }
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${host}-${stamp}.har`;
}
