import type { Handshake, HandshakeHeader } from '../../protocol/handshake';
import { statusText } from '../handshake-failure';
import type { Connection } from '../session-model';
import type { HarEntry } from './har-format';

/**
 * What a HAR entry cannot say in its standard fields: the handshake's own times and error, and
 * the document or worker Firefox says made it.
 */
export interface HarHandshakeExtras {
  /** Firefox's webRequest `originUrl`: the document or worker that made the request. */
  originUrl?: string;
  /** Firefox's webRequest `documentUrl`: the document the request belongs to. */
  documentUrl?: string;
  /** The origin of the shared or service worker whose handshake it was (no tab's). */
  workerOrigin?: string;
  startedAt: number;
  sentAt?: number;
  respondedAt?: number;
  endedAt?: number;
  error?: string;
}

/**
 * Fills an entry's request headers, response status and headers, and timings from the handshake
 * the browser reported, as a recording made by Chrome has them.
 */
export function applyHandshake(entry: HarEntry, handshake: Handshake): void {
  // What the browser reported, and only that: no header of the connection's own stands in.
  entry.request.headers = (handshake.requestHeaders ?? []).map(copyHeader);
  if (handshake.status !== undefined) {
    entry.response.status = handshake.status;
    entry.response.statusText = statusText(handshake).replace(/^\d+\s*/, '');
    entry.response.httpVersion = handshake.statusLine?.split(' ')[0] ?? 'HTTP/1.1';
  }
  entry.response.headers = (handshake.responseHeaders ?? []).map(copyHeader);
  const sent = handshake.sentAt ?? handshake.startedAt;
  entry.timings.blocked = Math.max(0, sent - handshake.startedAt);
  entry.timings.wait =
    handshake.respondedAt !== undefined ? Math.max(0, handshake.respondedAt - sent) : 0;
  const extras: HarHandshakeExtras = { startedAt: handshake.startedAt };
  if (handshake.sentAt !== undefined) extras.sentAt = handshake.sentAt;
  if (handshake.respondedAt !== undefined) extras.respondedAt = handshake.respondedAt;
  if (handshake.endedAt !== undefined) extras.endedAt = handshake.endedAt;
  if (handshake.error !== undefined) extras.error = handshake.error;
  if (handshake.originUrl !== undefined) extras.originUrl = handshake.originUrl;
  if (handshake.documentUrl !== undefined) extras.documentUrl = handshake.documentUrl;
  if (handshake.workerOrigin !== undefined) extras.workerOrigin = handshake.workerOrigin;
  entry._handshake = extras;
}

/**
 * The handshake an imported entry describes: its headers and status as the file has them (a
 * Chrome recording's full headers, or Sockscope's own export), with Sockscope's times, error
 * and the URLs of what made it where the file has them. None when the file gives neither
 * headers nor a status line beyond what the connection's own fields already say.
 */
export function handshakeOf(
  entry: { request?: unknown; response?: unknown; _handshake?: unknown },
  connection: Pick<Connection, 'frameId' | 'url' | 'createdAt'>,
  requestId: string,
): Handshake | undefined {
  const request = record(entry.request);
  const response = record(entry.response);
  const requestHeaders = headersOf(request.headers);
  const responseHeaders = headersOf(response.headers);
  const extras = record(entry._handshake);
  const hasExtras = typeof extras.startedAt === 'number';
  // Sockscope's export without a handshake writes only the protocol headers it knows.
  const fullHeaders = [...requestHeaders, ...responseHeaders].some(
    ({ name }) => !/^sec-websocket-(protocol|extensions)$/i.test(name),
  );
  if (!hasExtras && !fullHeaders) return undefined;
  const handshake: Handshake = {
    requestId,
    frameId: connection.frameId,
    url: connection.url,
    startedAt: hasExtras ? (extras.startedAt as number) : connection.createdAt,
  };
  if (requestHeaders.length > 0) handshake.requestHeaders = requestHeaders;
  if (responseHeaders.length > 0) handshake.responseHeaders = responseHeaders;
  const status = response.status;
  if (typeof status === 'number' && Number.isSafeInteger(status) && status > 0) {
    handshake.status = status;
    const version = typeof response.httpVersion === 'string' ? response.httpVersion : 'HTTP/1.1';
    const text = typeof response.statusText === 'string' ? response.statusText : '';
    handshake.statusLine = `${version || 'HTTP/1.1'} ${status}${text ? ` ${text}` : ''}`;
  }
  for (const key of ['sentAt', 'respondedAt', 'endedAt'] as const) {
    if (typeof extras[key] === 'number' && Number.isFinite(extras[key])) {
      handshake[key] = extras[key];
    }
  }
  if (typeof extras.error === 'string') handshake.error = extras.error;
  for (const key of ['originUrl', 'documentUrl', 'workerOrigin'] as const) {
    if (typeof extras[key] === 'string' && extras[key] !== '') handshake[key] = extras[key];
  }
  return handshake;
}

function copyHeader({ name, value }: HandshakeHeader): HandshakeHeader {
  return { name, value };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function headersOf(value: unknown): HandshakeHeader[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((header) => {
    const { name, value: text } = record(header);
    return typeof name === 'string' && typeof text === 'string' ? [{ name, value: text }] : [];
  });
}
