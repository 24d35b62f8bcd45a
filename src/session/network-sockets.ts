import { readHar } from './har/har-import';
import type { Connection, ConnectionState } from './session-model';
import type { SessionStore } from './session-store';

/** The import id of connections DevTools' network log shows and the page hook cannot see. */
export const NETWORK_IMPORT_ID = 'devtools-network';
/** What those connections say they were read from. */
export const NETWORK_SOURCE = "DevTools' network log";
/** A log entry and a hook connection this close in start time, to the same URL, are one socket. */
export const NETWORK_MATCH_MS = 2000;
/** How long an entry waits for the hook's record of it before it counts as unseen by the hook. */
export const NETWORK_SETTLE_MS = 3000;

interface Tracked {
  /** The hook recorded this socket: the log's copy of it is left alone. */
  hooked: boolean;
  id: number;
  connection?: Connection;
  /** How many of its log messages the session has taken. */
  messages: number;
  /** The log said the socket ended, and the session has taken that. */
  ended?: true;
}

interface LogEntry {
  _resourceType?: unknown;
  startedDateTime?: unknown;
  request?: { url?: unknown };
  response?: { status?: unknown };
  time?: unknown;
  timings?: { receive?: unknown };
  _webSocketMessages?: unknown;
  _initiator?: unknown;
}

/**
 * Sockets the page hook cannot see (in dedicated and service workers, above all; Chrome's log
 * holds no shared worker's socket), taken from DevTools' own network log (Chrome's
 * devtools.network.getHAR) while DevTools is open: each WebSocket entry no hook connection
 * accounts for becomes a connection of its own, marked with the script that opened it, and its
 * messages become frames as they arrive. Entries the hook recorded (same URL, start within
 * NETWORK_MATCH_MS) are left alone, and so are an earlier page's.
 */
export class NetworkSockets {
  private readonly tracked = new Map<string, Tracked>();
  /** Hook connections a log entry was matched to: each accounts for one entry. */
  private readonly claimed = new Set<string>();
  private nextId = 1;

  constructor(private readonly session: SessionStore) {}

  /** Takes the log's entries; true when the session changed. */
  merge(entries: readonly unknown[], now: number): boolean {
    let changed = false;
    for (const raw of entries) {
      if (raw === null || typeof raw !== 'object') continue;
      const entry = raw as LogEntry;
      const url = entry.request?.url;
      const started =
        typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
      if (entry._resourceType !== 'websocket' || typeof url !== 'string' || !(started > 0)) {
        continue;
      }
      const identity = `${entry.startedDateTime} ${url}`;
      let tracked = this.tracked.get(identity);
      if (!tracked) {
        tracked = this.classify(url, started, now);
        if (!tracked) continue;
        this.tracked.set(identity, tracked);
      }
      if (!tracked.hooked && this.take(entry, tracked, started)) changed = true;
    }
    return changed;
  }

  /** Whether an entry is the hook's, unseen by it, or (undefined) too new to say. */
  private classify(url: string, started: number, now: number): Tracked | undefined {
    const id = this.nextId;
    const pageStart = this.session.currentPageStartedAt;
    if (pageStart !== undefined && started < pageStart - NETWORK_MATCH_MS) {
      return { hooked: true, id, messages: 0 };
    }
    const hooked = this.session.connectionList.find(
      (connection) =>
        !connection.imported &&
        !this.claimed.has(connection.key) &&
        connection.url === url &&
        Math.abs(connection.createdAt - started) <= NETWORK_MATCH_MS,
    );
    if (hooked) {
      this.claimed.add(hooked.key);
      return { hooked: true, id, messages: 0 };
    }
    // The socket's handshake may have been shown already, as a connection of its own: the log's
    // messages go to it.
    const standIn = this.session.connectionList.find(
      (connection) =>
        connection.handshakeOnly &&
        !this.claimed.has(connection.key) &&
        connection.url === url &&
        Math.abs(connection.createdAt - started) <= NETWORK_MATCH_MS,
    );
    if (standIn) {
      this.claimed.add(standIn.key);
      return { hooked: false, id, messages: 0, connection: standIn };
    }
    if (now - started < NETWORK_SETTLE_MS) return undefined;
    this.nextId++;
    return { hooked: false, id, messages: 0 };
  }

  /**
   * Adds the entry's connection, or its messages since the last look, and its end once the log
   * shows it; true when any.
   */
  private take(entry: LogEntry, tracked: Tracked, started: number): boolean {
    const messages = Array.isArray(entry._webSocketMessages) ? entry._webSocketMessages : [];
    const endedAt = endOf(entry, started);
    const ending = endedAt !== undefined && !tracked.ended;
    // A stand-in (handshake-only) is the log's from its first look, messages or none.
    const adopting = tracked.connection?.handshakeOnly === true;
    const opening = tracked.connection?.state === 'connecting' && entry.response?.status === 101;
    if (tracked.connection && !adopting && !opening && !ending) {
      if (messages.length <= tracked.messages) return false;
    }
    let imported: ReturnType<typeof readHar>;
    try {
      imported = readHar(
        {
          log: {
            entries: [
              {
                ...entry,
                _connectionId: tracked.id,
                _documentId: 'network',
                _webSocketMessages: messages.slice(tracked.messages),
              },
            ],
          },
        },
        NETWORK_IMPORT_ID,
        NETWORK_SOURCE,
      );
    } catch {
      // An entry the HAR reader refuses is left out (from now on), not the ones after it.
      tracked.messages = messages.length;
      if (!tracked.connection) tracked.hooked = true;
      return false;
    }
    tracked.messages = messages.length;
    const [connection] = imported.connections;
    if (!connection) return false;
    if (endedAt !== undefined) tracked.ended = true;
    const target = tracked.connection;
    if (target) {
      let changed = Boolean(target.handshakeOnly);
      if (changed)
        this.session.seenInNetworkLog(target, scriptOf(entry._initiator) ?? '', NETWORK_SOURCE);
      // Control frames (pings) the log lists become no frame: nothing more changed then.
      if (imported.frames.length > 0) {
        for (const frame of imported.frames) frame.connectionKey = target.key;
        this.session.addNetworkFrames(target, imported.frames);
        changed = true;
      }
      const state = nextState(target.state, connection.state === 'closed', ending);
      if (state !== target.state) {
        this.session.networkSocketState(target, state, endedAt);
        changed = true;
      }
      return changed;
    }
    connection.worker = scriptOf(entry._initiator) ?? '';
    // The handshake is the browser's own report (webRequest), joined by the session: the log's
    // copy of its headers would keep that report from joining, and show the socket twice.
    delete connection.handshake;
    if (endedAt !== undefined) {
      // Closed if it was answered, else failed (as the HAR reader said): when is known, not how.
      connection.closedAt = endedAt;
    } else if (connection.state === 'closed' && !connection.close) {
      connection.state = 'open';
    } else if (connection.state === 'failed') {
      // Not answered yet, and not ended: still connecting.
      connection.state = 'connecting';
    }
    tracked.connection = connection;
    this.session.addImported(imported);
    return true;
  }
}

/**
 * A log connection's state after a later look: `answered` when the log now shows its handshake's
 * response or a received frame, `ending` when it shows its end for the first time. One that was
 * open, or answered, closed; one that never was, failed.
 */
function nextState(state: ConnectionState, answered: boolean, ending: boolean): ConnectionState {
  if (state === 'closed' || state === 'failed') return state;
  const opened = state !== 'connecting' || answered;
  if (ending) return opened ? 'closed' : 'failed';
  return state === 'connecting' && answered ? 'open' : state;
}

/**
 * When the entry's socket ended (epoch ms), or undefined while it is live. Chrome's DevTools give
 * a WebSocket request an end time only when the socket closes or fails, and its HAR writes
 * `timings.receive` as that end less the last response or frame: 0 while the socket is live,
 * more once it ended; `time` then runs from the start to the end (measured in Chromium 156). The
 * log says nothing of the close's code or reason, nor who closed it.
 */
export function endOf(entry: LogEntry, started: number): number | undefined {
  const receive = entry.timings?.receive;
  if (typeof receive !== 'number' || !(receive > 0)) return undefined;
  const { time } = entry;
  return started + (typeof time === 'number' && time >= receive ? time : receive);
}

/** The script that opened a socket: the innermost frame of the entry's initiator stack. */
function scriptOf(initiator: unknown): string | undefined {
  const stack = (initiator as { stack?: { callFrames?: Array<{ url?: unknown }> } } | undefined)
    ?.stack;
  const url = stack?.callFrames?.[0]?.url;
  return typeof url === 'string' && url ? url : undefined;
}
