import type { ConnectionId, PagePayload } from '../protocol/capture-events';
import type { CommandPayload, HeldAction, InterceptRule } from '../protocol/page-commands';

type Direction = 'outgoing' | 'incoming';

/** What the gate needs from the recorder to let a frame through, edited, or not at all. */
export interface GateActions {
  /** Sends (outgoing) or dispatches to the page (incoming) `data`, recording it with `origin`. */
  pass(frame: QueuedFrame, data: unknown, origin: 'page' | 'edited'): void;
  /** Records the frame as dropped: it never reaches the server or the page. */
  drop(frame: QueuedFrame): void;
  held(frame: QueuedFrame, payload: PagePayload): void;
  released(frame: QueuedFrame, heldId: number, action: 'forwarded' | 'edited' | 'dropped'): void;
  payloadOf(data: unknown): PagePayload;
  /** Turns a user's payload into what a send or a message event carries on this socket. */
  dataFor(frame: QueuedFrame, payload: CommandPayload): unknown;
}

export interface QueuedFrame {
  socket: WebSocket;
  connectionId: ConnectionId;
  direction: Direction;
  data: unknown;
  /** Null while the frame only waits behind a held one; a number once it is itself held. */
  heldId: number | null;
  /** The user edited it before forwarding. */
  edited?: boolean;
}

interface CompiledRule {
  test(connectionId: ConnectionId, data: unknown): boolean;
}

/**
 * Intercept: holds matching frames before the server (outgoing) or the page (incoming) sees
 * them, until the user forwards, edits or drops each. Order on a socket is kept: a frame behind
 * a held one waits (without being held itself) and goes as soon as everything before it went.
 * Other sockets never wait. With no rule enabled the gate costs one property check per frame.
 */
export class InterceptGate {
  private rules: Record<Direction, CompiledRule | null> = { outgoing: null, incoming: null };
  private readonly queues = new Map<string, QueuedFrame[]>();
  private readonly byHeldId = new Map<number, QueuedFrame>();
  private nextHeldId = 1;

  constructor(private readonly actions: GateActions) {}

  get active(): boolean {
    return this.rules.outgoing !== null || this.rules.incoming !== null || this.queues.size > 0;
  }

  configure(outgoing: InterceptRule, incoming: InterceptRule): void {
    this.rules = { outgoing: compile(outgoing), incoming: compile(incoming) };
    if (!outgoing.enabled) this.releaseAll('outgoing');
    if (!incoming.enabled) this.releaseAll('incoming');
  }

  /** Takes the frame if it must wait; the caller then does nothing more with it. */
  offer(
    socket: WebSocket,
    connectionId: ConnectionId,
    direction: Direction,
    data: unknown,
  ): boolean {
    const key = queueKey(connectionId, direction);
    const queue = this.queues.get(key);
    const rule = this.rules[direction];
    const matches = rule?.test(connectionId, data) ?? false;
    if (!queue && !matches) return false;
    const frame: QueuedFrame = { socket, connectionId, direction, data, heldId: null };
    if (matches) {
      frame.heldId = this.nextHeldId++;
      this.byHeldId.set(frame.heldId, frame);
      this.actions.held(frame, this.actions.payloadOf(data));
    }
    if (queue) queue.push(frame);
    else this.queues.set(key, [frame]);
    return true;
  }

  /** Applies the user's decision to a held frame; false when no such frame is held. */
  release(heldId: number, action: HeldAction, edited?: CommandPayload): boolean {
    const frame = this.byHeldId.get(heldId);
    if (!frame) return false;
    this.byHeldId.delete(heldId);
    frame.heldId = null;
    if (action === 'drop') {
      this.actions.drop(frame);
      this.actions.released(frame, heldId, 'dropped');
      frame.data = DROPPED;
    } else if (action === 'edit' && edited) {
      frame.data = this.actions.dataFor(frame, edited);
      this.actions.released(frame, heldId, 'edited');
      frame.edited = true;
    } else this.actions.released(frame, heldId, 'forwarded');
    this.drain(queueKey(frame.connectionId, frame.direction));
    return true;
  }

  /** Forwards everything held or waiting in one direction (or both): nothing is ever lost. */
  releaseAll(direction?: Direction): void {
    for (const frame of [...this.byHeldId.values()]) {
      if (!direction || frame.direction === direction) this.release(frame.heldId!, 'forward');
    }
  }

  /** Sends the frames at the head of a queue that are decided or only waiting. */
  private drain(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    while (queue.length > 0 && queue[0]!.heldId === null) {
      const frame = queue.shift()!;
      if (frame.data !== DROPPED)
        this.actions.pass(frame, frame.data, frame.edited ? 'edited' : 'page');
    }
    if (queue.length === 0) this.queues.delete(key);
  }
}

const DROPPED = Symbol('dropped');

function queueKey(connectionId: ConnectionId, direction: Direction): string {
  return `${direction}:${connectionId}`;
}

function compile(rule: InterceptRule): CompiledRule | null {
  if (!rule.enabled) return null;
  const ids = rule.connectionIds.length > 0 ? new Set(rule.connectionIds) : null;
  let pattern: RegExp | null = null;
  if (rule.query !== '') {
    try {
      pattern = new RegExp(
        rule.regex ? rule.query : rule.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        'i',
      );
    } catch {
      pattern = /$^/; // An invalid pattern holds nothing (the panel refuses it before sending).
    }
  }
  return {
    test(connectionId, data) {
      if (ids && !ids.has(connectionId)) return false;
      if (!pattern) return true;
      return typeof data === 'string' && pattern.test(data);
    },
  };
}
