import type { ConnectionId, PagePayload } from '../protocol/capture-events';
import type { CommandPayload, HeldAction, InterceptRule } from '../protocol/page-commands';
import { nullArray, nullRecord, RegExpConstructor, regExpExec } from './page-builtins';
import { escapeForRegExp } from './regexp-text';

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
  edited: boolean;
}

interface CompiledRule {
  test(connectionId: ConnectionId, data: unknown): boolean;
}

/** Frames waiting on one connection in one direction, oldest at `head`. */
interface FrameQueue {
  frames: Record<number, QueuedFrame>;
  head: number;
  tail: number;
}

/**
 * Intercept: holds matching frames before the server (outgoing) or the page (incoming) sees
 * them, until the user forwards, edits or drops each. Order on a socket is kept: a frame behind
 * a held one waits (without being held itself) and goes as soon as everything before it went.
 * Other sockets never wait. With no rule enabled the gate costs one property check per frame.
 *
 * Page-world code (see page-builtins.ts): queues and indexes are null-prototype records, and
 * rules match with the captured RegExp exec, so a page that replaced Map, Array.prototype or
 * RegExp.prototype methods neither sees the frames nor changes which are held.
 */
export class InterceptGate {
  private outgoingRule: CompiledRule | null = null;
  private incomingRule: CompiledRule | null = null;
  private readonly queues: Record<string, FrameQueue> = nullRecord();
  private queueCount = 0;
  private readonly byHeldId: Record<number, QueuedFrame> = nullRecord();
  private nextHeldId = 1;

  constructor(private readonly actions: GateActions) {}

  get active(): boolean {
    return this.outgoingRule !== null || this.incomingRule !== null || this.queueCount > 0;
  }

  configure(outgoing: InterceptRule, incoming: InterceptRule): void {
    this.outgoingRule = compile(outgoing);
    this.incomingRule = compile(incoming);
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
    const queue = this.queues[key];
    const rule = direction === 'outgoing' ? this.outgoingRule : this.incomingRule;
    const matches = rule?.test(connectionId, data) === true;
    if (!queue && !matches) return false;
    const frame: QueuedFrame = {
      socket,
      connectionId,
      direction,
      data,
      heldId: null,
      edited: false,
    };
    if (matches) {
      frame.heldId = this.nextHeldId++;
      this.byHeldId[frame.heldId] = frame;
      this.actions.held(frame, this.actions.payloadOf(data));
    }
    if (queue) queue.frames[queue.tail++] = frame;
    else {
      const frames: Record<number, QueuedFrame> = nullRecord();
      frames[0] = frame;
      this.queues[key] = { frames, head: 0, tail: 1 };
      this.queueCount++;
    }
    return true;
  }

  /** Applies the user's decision to a held frame; false when no such frame is held. */
  release(heldId: number, action: HeldAction, edited?: CommandPayload): boolean {
    const frame = this.byHeldId[heldId];
    if (!frame) return false;
    delete this.byHeldId[heldId];
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
    // The held frames as they are now: forwarding may run page listeners that hold new ones.
    const heldIds = nullArray<number>();
    let count = 0;
    for (const key in this.byHeldId) {
      const frame = this.byHeldId[key as unknown as number]!;
      if (!direction || frame.direction === direction) heldIds[count++] = frame.heldId!;
    }
    for (let i = 0; i < count; i++) this.release(heldIds[i]!, 'forward');
  }

  /** Sends the frames at the head of a queue that are decided or only waiting. */
  private drain(key: string): void {
    const queue = this.queues[key];
    if (!queue) return;
    while (queue.head < queue.tail && queue.frames[queue.head]!.heldId === null) {
      const frame = queue.frames[queue.head]!;
      delete queue.frames[queue.head++];
      if (frame.data !== DROPPED)
        this.actions.pass(frame, frame.data, frame.edited ? 'edited' : 'page');
    }
    if (queue.head === queue.tail && this.queues[key] === queue) {
      delete this.queues[key];
      this.queueCount--;
    }
  }
}

const DROPPED = Symbol('dropped');

function queueKey(connectionId: ConnectionId, direction: Direction): string {
  return `${direction}:${connectionId}`;
}

/** An invalid pattern holds nothing (the panel refuses it before sending). */
const NOTHING = /$^/;

function compile(rule: InterceptRule): CompiledRule | null {
  if (!rule.enabled) return null;
  let ids: Record<number, true> | null = null;
  const { connectionIds } = rule;
  if (connectionIds.length > 0) {
    ids = nullRecord<Record<number, true>>();
    for (let i = 0; i < connectionIds.length; i++) ids[connectionIds[i]!] = true;
  }
  let pattern: RegExp | null = null;
  if (rule.query !== '') {
    try {
      pattern = new RegExpConstructor(rule.regex ? rule.query : escapeForRegExp(rule.query), 'i');
    } catch {
      pattern = NOTHING;
    }
  }
  return {
    test(connectionId, data) {
      if (ids !== null && ids[connectionId] !== true) return false;
      if (!pattern) return true;
      return typeof data === 'string' && regExpExec(pattern, data) !== null;
    },
  };
}

/** The gate the hook installs (installRecorder takes its maker, so tests can pass another). */
export function createInterceptGate(actions: GateActions): InterceptGate {
  return new InterceptGate(actions);
}
