import type { Connection, DocumentState } from './session-model';
import { TOP_FRAME_ID } from './session-model';

/** Where a connection comes from, besides the live page: shown beside its label. */
export type ConnectionMark = 'imported' | 'earlier-page' | 'worker' | 'handshake-only' | 'mocked';

export interface ConnectionLabel {
  /**
   * Unique among the session's connections: host (unless the page's own) and path, the frame's origin when the
   * connection lives in a frame of another origin than its page's top document, and `#n` only
   * when two connections would otherwise read the same.
   */
  text: string;
  /** The whole URL and where the connection lived, for a tooltip. */
  title: string;
  marks: ConnectionMark[];
}

/** How a mark reads where only text goes (a select's options). */
export const MARK_TEXT: Record<ConnectionMark, string> = {
  imported: '[imported]',
  'earlier-page': '⟲',
  worker: '[via DevTools]',
  'handshake-only': '[handshake only]',
  mocked: '[mocked]',
};

/** What the mark means, for a tooltip. */
export const MARK_TITLE: Record<ConnectionMark, string> = {
  imported: 'Imported from a file',
  'earlier-page': 'From an earlier page (Preserve log)',
  worker:
    "Seen only in DevTools' network log: opened where the page hook cannot see (a worker, a WebSocketStream, or a frame used before the hook reached it)",
  'handshake-only':
    "Seen only in the browser's handshake report: opened where the page hook cannot see (a worker, a WebSocketStream, or a frame used before the hook reached it); its frames are not visible",
  mocked: 'A mock rule answered it: it never reached the network',
};

/**
 * Names every connection of a session (connections in list order: oldest first). `documents`
 * gives where each lived (its URL and frame id, which the top frame's is 0); connections created
 * before `currentPageStartedAt` are an earlier page's.
 */
export function connectionLabels(
  connections: readonly Connection[],
  documents: ReadonlyMap<string, DocumentState>,
  currentPageStartedAt: number | undefined,
): Map<string, ConnectionLabel> {
  const tops = topDocuments(documents);
  const bases = connections.map((connection) => placeOf(connection, documents, tops));
  const counts = new Map<string, number>();
  for (const { text } of bases) counts.set(text, (counts.get(text) ?? 0) + 1);

  const labels = new Map<string, ConnectionLabel>();
  const used = new Set<string>();
  const ordinals = new Map<string, number>();
  connections.forEach((connection, i) => {
    const base = bases[i]!;
    let text = base.text;
    if (counts.get(text)! > 1 || used.has(text)) {
      // The n-th of its name in list order; a number a stranger label already took is skipped.
      let ordinal = ordinals.get(base.text) ?? 0;
      do text = `${base.text} #${++ordinal}`;
      while (used.has(text) || counts.has(text));
      ordinals.set(base.text, ordinal);
    }
    used.add(text);
    const marks: ConnectionMark[] = [];
    if (connection.mockedBy !== undefined) marks.push('mocked');
    if (connection.worker !== undefined) marks.push('worker');
    else if (connection.handshakeOnly) marks.push('handshake-only');
    else if (connection.imported) marks.push('imported');
    // An imported connection belongs to its file, not to a page this tab showed.
    else if (currentPageStartedAt !== undefined && connection.createdAt < currentPageStartedAt)
      marks.push('earlier-page');
    const title = [
      connection.url,
      ...(base.frameOrigin ? [`in a frame of ${base.frameOrigin}: ${base.pageUrl}`] : []),
      ...(connection.worker !== undefined
        ? [`${MARK_TITLE.worker}${connection.worker ? `: ${connection.worker}` : ''}`]
        : connection.handshakeOnly
          ? [`${MARK_TITLE['handshake-only']}${workerScriptOf(connection)}`]
          : connection.imported
            ? [`Imported from ${connection.imported}`]
            : []),
      ...(marks.includes('earlier-page') ? [`Earlier page: ${base.pageUrl}`] : []),
      ...(connection.mockedBy !== undefined
        ? [`${MARK_TITLE.mocked}: rule ${connection.mockedBy}`]
        : []),
    ].join('\n');
    labels.set(connection.key, { text, title, marks });
  });
  return labels;
}

/**
 * A connection's label as the session set it, or, for one no session labelled, one made from the
 * connection alone (then unique only by itself).
 */
export function labelOf(connection: Connection, currentPageStartedAt?: number): ConnectionLabel {
  return (
    connection.label ??
    connectionLabels([connection], new Map(), currentPageStartedAt).get(connection.key)!
  );
}

/**
 * A shared or service worker's script, where the browser names it (Firefox's `originUrl`; a
 * dedicated worker's names the page instead, so it is not shown as a script).
 */
function workerScriptOf(connection: Connection): string {
  const handshake = connection.handshake;
  return handshake?.workerOrigin !== undefined && handshake.originUrl
    ? `\nOpened by the worker ${handshake.originUrl}`
    : '';
}

/** A label as one line of text, marks first: for a select's option. */
export function labelLine(label: ConnectionLabel): string {
  return [...label.marks.map((mark) => MARK_TEXT[mark]), label.text].join(' ');
}

interface Place {
  text: string;
  pageUrl: string;
  /** Set when the connection's frame has another origin than its page's top document. */
  frameOrigin?: string;
}

interface TopDocument {
  startedAt: number;
  imported: boolean;
  origin: string | undefined;
}

/** Top-frame documents, oldest first. */
function topDocuments(documents: ReadonlyMap<string, DocumentState>): TopDocument[] {
  const tops: TopDocument[] = [];
  for (const { info, imported } of documents.values()) {
    if (info.frameId !== TOP_FRAME_ID) continue;
    tops.push({ startedAt: info.startedAt, imported: !!imported, origin: originOf(info.url) });
  }
  return tops.sort((a, b) => a.startedAt - b.startedAt);
}

function placeOf(
  connection: Connection,
  documents: ReadonlyMap<string, DocumentState>,
  tops: readonly TopDocument[],
): Place {
  const text = hostAndPath(connection.url, topOriginAt(tops, connection));
  // The document as announced wins: a connection can be created before its document is.
  const info = documents.get(connection.documentId)?.info;
  const frameId = info?.frameId ?? connection.frameId;
  const pageUrl = info?.url || connection.pageUrl;
  // Negative: a document not announced yet, whose frame is not known.
  if (frameId === TOP_FRAME_ID || frameId < 0) return { text, pageUrl };
  const frameOrigin = originOf(pageUrl);
  if (!frameOrigin || frameOrigin === topOriginAt(tops, connection)) return { text, pageUrl };
  return { text: `${text} in ${frameOrigin}`, pageUrl, frameOrigin };
}

/** The origin of the top document that was showing when the connection was created. */
function topOriginAt(tops: readonly TopDocument[], connection: Connection): string | undefined {
  const imported = !!connection.imported;
  let found: TopDocument | undefined;
  for (const top of tops) {
    if (top.imported !== imported) continue;
    if (top.startedAt <= connection.createdAt || !found) found = top;
    else break;
  }
  return found?.origin;
}

/** "host/path?query" of a URL; the URL itself when it does not parse. */
/**
 * The socket's host and path, or its path alone when its host is the page's own (as the page
 * itself would write it): in a narrow column the path is what tells connections apart.
 */
function hostAndPath(url: string, pageOrigin: string | undefined): string {
  try {
    const parsed = new URL(url);
    const samehost = pageOrigin !== undefined && new URL(pageOrigin).host === parsed.host;
    return `${samehost ? '' : parsed.host}${parsed.pathname}${parsed.search}`;
  } catch {
    return url || '(no URL)';
  }
}

/** A URL's origin, unless opaque (about:blank, sandboxed, data:) or not a URL. */
function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
