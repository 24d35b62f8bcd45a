import type { Handshake, HandshakeHeader } from '../protocol/handshake';
import { type Connection, newConnection } from './session-model';

/** What a connection seen only in its handshake says it was read from. */
export const HANDSHAKE_SOURCE = "the browser's handshake report";

/** Where a handshake-only connection is placed: the document it was most likely opened in. */
export interface HandshakePlace {
  documentId: string;
  pageUrl: string;
}

/**
 * A connection for a handshake no hook connection claimed (a socket opened in a worker, or in a
 * window the hook had not reached yet): what the browser reported, and no frames. `id` is
 * negative, so its key never meets a hook's.
 */
export function connectionFromHandshake(
  handshake: Handshake,
  place: HandshakePlace,
  id: number,
): Connection {
  const protocols = headerOf(handshake.requestHeaders, 'sec-websocket-protocol');
  const connection = newConnection({
    documentId: place.documentId,
    id,
    frameId: handshake.frameId,
    pageUrl: place.pageUrl,
    requestedUrl: handshake.url,
    url: handshake.url,
    protocols: protocols ? protocols.split(',').map((protocol) => protocol.trim()) : [],
    createdAt: handshake.startedAt,
  });
  connection.handshake = handshake;
  connection.imported = HANDSHAKE_SOURCE;
  connection.handshakeOnly = true;
  followHandshake(connection);
  return connection;
}

/**
 * Brings a handshake-only connection's state up to its handshake: open on a 101, failed on an
 * error or any other status. After the handshake the browser reports nothing, so an open one
 * stays open as far as anyone here knows.
 */
export function followHandshake(connection: Connection): void {
  const { handshake } = connection;
  if (!handshake) return;
  connection.protocol = headerOf(handshake.responseHeaders, 'sec-websocket-protocol') ?? '';
  connection.extensions = headerOf(handshake.responseHeaders, 'sec-websocket-extensions') ?? '';
  if (handshake.error !== undefined || (handshake.status ?? 101) !== 101) {
    connection.state = 'failed';
    connection.closedAt = handshake.endedAt ?? handshake.respondedAt ?? handshake.startedAt;
    delete connection.openedAt;
  } else if (handshake.status === 101) {
    connection.state = 'open';
    connection.openedAt = handshake.respondedAt ?? handshake.endedAt ?? handshake.startedAt;
  }
}

function headerOf(headers: readonly HandshakeHeader[] | undefined, name: string) {
  return headers?.find((header) => header.name.toLowerCase() === name)?.value;
}
