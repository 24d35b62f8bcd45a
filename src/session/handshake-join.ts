import type { Handshake } from '../protocol/handshake';
import type { Connection } from './session-model';

/**
 * How far a handshake may start before the hook's record of `new WebSocket()`: the page's clock
 * and the browser's are read in different processes.
 */
export const HANDSHAKE_CLOCK_SKEW_MS = 1000;
/** How long after `new WebSocket()` its handshake may start (browsers queue sockets per host). */
export const HANDSHAKE_MAX_DELAY_MS = 60_000;

/** Unjoined handshakes kept, the newest. */
export const MAX_PENDING = 1000;

/**
 * Joins the background's handshakes (webRequest) to the hook's connections: same frame, same
 * URL, and in time order, each handshake to at most one connection and each connection to at
 * most one handshake. A joined connection's `handshake` is replaced as updates arrive.
 */
export class HandshakeJoin {
  private readonly pending = new Map<string, Handshake>();
  private readonly joined = new Map<string, Connection>();
  /** Handshakes of connections that are gone: a late update of one joins nothing else. */
  private readonly retired = new Set<string>();

  /** A new or updated handshake; true when it changed a connection. */
  update(handshake: Handshake): boolean {
    const connection = this.joined.get(handshake.requestId);
    if (connection) {
      connection.handshake = handshake;
      return true;
    }
    if (this.retired.has(handshake.requestId)) return false;
    this.pending.delete(handshake.requestId);
    this.pending.set(handshake.requestId, handshake);
    // Handshakes no connection claims (a worker's socket) wait only so long.
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    return false;
  }

  /** Joins what can be joined; `connections` in creation order. True when any was joined. */
  join(connections: readonly Connection[]): boolean {
    if (this.pending.size === 0) return false;
    const waiting = [...this.pending.values()].sort((a, b) => a.startedAt - b.startedAt);
    let changed = false;
    for (const connection of connections) {
      if (connection.handshake || connection.imported) continue;
      const match = waiting.find((handshake) => fits(handshake, connection));
      if (!match) continue;
      waiting.splice(waiting.indexOf(match), 1);
      this.pending.delete(match.requestId);
      this.joined.set(match.requestId, connection);
      connection.handshake = match;
      changed = true;
    }
    return changed;
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
  return (
    handshake.frameId === connection.frameId &&
    handshake.url === connection.url &&
    delay >= -HANDSHAKE_CLOCK_SKEW_MS &&
    delay <= HANDSHAKE_MAX_DELAY_MS
  );
}
