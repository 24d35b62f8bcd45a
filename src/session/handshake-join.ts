import type { Handshake } from '../protocol/handshake';
import type { Connection } from './session-model';

/**
 * How far a handshake may start before the hook's record of `new WebSocket()`: the page's clock
 * and the browser's are read in different processes.
 */
export const HANDSHAKE_CLOCK_SKEW_MS = 1000;
/** How long after `new WebSocket()` its handshake may start (browsers queue sockets per host). */
export const HANDSHAKE_MAX_DELAY_MS = 60_000;
/**
 * How long a handshake waits for the hook's record of its socket, from its start and from when
 * the panel heard of it (a panel that attaches gets handshakes before the relays' backlogs),
 * before it counts as a socket the hook did not see.
 */
export const HANDSHAKE_SETTLE_MS = 3000;
/**
 * A socket DevTools' network log shows (network-sockets.ts) and a handshake this close in start
 * time, to the same URL, are one socket: the log gives no frame id to match.
 */
export const NETWORK_LOG_MATCH_MS = 2000;

/** Unjoined handshakes kept, the newest. */
export const MAX_PENDING = 1000;

interface Waiting {
  handshake: Handshake;
  /** When the panel heard of it. */
  seenAt: number;
}

/**
 * Joins the background's handshakes (webRequest) to the hook's connections: same frame, same
 * URL, and in time order, each handshake to at most one connection and each connection to at
 * most one handshake. A joined connection's `handshake` is replaced as updates arrive. A
 * handshake no connection claims in time ({@link HandshakeJoin.settle}) gets a connection of its
 * own, which a hook connection that turns up late still takes over.
 */
export class HandshakeJoin {
  private readonly pending = new Map<string, Waiting>();
  private readonly joined = new Map<string, Connection>();
  /** Handshakes of connections that are gone: a late update of one joins nothing else. */
  private readonly retired = new Set<string>();

  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** A new or updated handshake; the connection it changed, if joined. */
  update(handshake: Handshake, now: number): Connection | undefined {
    const connection = this.joined.get(handshake.requestId);
    if (connection) {
      connection.handshake = handshake;
      return connection;
    }
    if (this.retired.has(handshake.requestId)) return undefined;
    const seenAt = this.pending.get(handshake.requestId)?.seenAt ?? now;
    this.pending.delete(handshake.requestId);
    this.pending.set(handshake.requestId, { handshake, seenAt });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    return undefined;
  }

  /**
   * Joins what can be joined; `connections` in creation order. A hook connection takes its
   * handshake from a handshake-only connection made too early: `drop` removes that one. True
   * when any was joined.
   */
  join(connections: readonly Connection[], drop: (connection: Connection) => void): boolean {
    const stand = connections.filter((connection) => connection.handshakeOnly);
    if (this.pending.size === 0 && stand.length === 0) return false;
    const waiting = [...this.pending.values()]
      .map(({ handshake }) => handshake)
      .sort((a, b) => a.startedAt - b.startedAt);
    let changed = false;
    // A copy: `drop` takes stand-ins out of the list being walked.
    for (const connection of [...connections]) {
      if (connection.handshake || (connection.imported && connection.worker === undefined)) {
        continue;
      }
      let handshake = waiting.find((candidate) => fits(candidate, connection));
      if (handshake) {
        waiting.splice(waiting.indexOf(handshake), 1);
        this.pending.delete(handshake.requestId);
      } else if (connection.worker === undefined) {
        // Only a hook connection is more than a stand-in: a network-log one waits for its own.
        const standIn = stand.find((other) => fits(other.handshake!, connection));
        if (!standIn) continue;
        stand.splice(stand.indexOf(standIn), 1);
        drop(standIn);
        handshake = standIn.handshake!;
      } else continue;
      connection.handshake = handshake;
      this.joined.set(handshake.requestId, connection);
      changed = true;
    }
    return changed;
  }

  /**
   * Gives each handshake that waited HANDSHAKE_SETTLE_MS in vain a connection of its own, made by
   * `make`. Handshakes that started before the current page (`pageStartedAt`) are of connections
   * this session no longer keeps, and are dropped. True when any connection was made.
   */
  settle(
    now: number,
    pageStartedAt: number | undefined,
    make: (handshake: Handshake) => Connection,
  ): boolean {
    let made = false;
    for (const [requestId, { handshake, seenAt }] of this.pending) {
      if (now - Math.max(handshake.startedAt, seenAt) < HANDSHAKE_SETTLE_MS) continue;
      this.pending.delete(requestId);
      if (
        pageStartedAt !== undefined &&
        handshake.startedAt < pageStartedAt - HANDSHAKE_CLOCK_SKEW_MS
      ) {
        continue;
      }
      this.joined.set(requestId, make(handshake));
      made = true;
    }
    return made;
  }

  /** Forgets connections that are gone (cleared, or of a page left behind). */
  forget(isKept: (connection: Connection) => boolean): void {
    for (const [requestId, connection] of this.joined) {
      if (isKept(connection)) continue;
      this.joined.delete(requestId);
      this.retired.add(requestId);
      if (this.retired.size > MAX_PENDING) this.retired.delete(this.retired.values().next().value!);
    }
  }
}

function fits(handshake: Handshake, connection: Connection): boolean {
  const delay = handshake.startedAt - connection.createdAt;
  if (handshake.url !== connection.url) return false;
  // A shared or service worker's socket is never one the page hook recorded.
  if (handshake.workerOrigin !== undefined && connection.worker === undefined) return false;
  // A socket that opened or ended before this handshake began was not opened by it.
  const earliest = handshake.startedAt - HANDSHAKE_CLOCK_SKEW_MS;
  if ((connection.openedAt ?? connection.closedAt ?? earliest) < earliest) return false;
  if (connection.worker !== undefined) return Math.abs(delay) <= NETWORK_LOG_MATCH_MS;
  return (
    handshake.frameId === connection.frameId &&
    delay >= -HANDSHAKE_CLOCK_SKEW_MS &&
    delay <= HANDSHAKE_MAX_DELAY_MS
  );
}
