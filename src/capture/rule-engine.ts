import type { ConnectionId, FrameOrigin } from '../protocol/capture-events';
import type { HookRule, RuleEffect } from '../protocol/socket-rules';
import { nullArray, nullRecord } from './page-builtins';
import { type CompiledRule, compileRule, type Match } from './rule-matching';

type Direction = 'outgoing' | 'incoming';

/** What a greeting's template reads: no frame ($0 empty, no JSON). */
const AT_OPEN: Match = { groups: [''], root: undefined, frame: '' };

/** Longest a page's first sends wait for the relay to say which rules there are. */
const RULES_WAIT_MS = 1000;

/** What the engine needs from the recorder (the real one, or a test's). */
export interface RuleHost {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimer(callback: () => void, ms: number): void;
  /** A timer that takes no timer id from the page (see task-schedulers.ts), for the install. */
  setQuietTimer(callback: () => void, ms: number): void;
  readyState(socket: WebSocket): number;
  url(socket: WebSocket): string;
  /** Sends natively, recording the frame with `origin`. */
  send(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Whether the socket ended before the rules came (its error and close wait: heldEnd). */
  endedEarly(socket: WebSocket): boolean;
  /** Gives the page the error and close that waited for the rules (none for a mock's). */
  releaseEnd(socket: WebSocket): void;
  /** A payload's size in bytes (UTF-8 for text). */
  sizeOf(data: unknown): number;
  /** Makes the page receive `data`, recording the frame with `origin`. */
  deliver(socket: WebSocket, data: unknown, origin: FrameOrigin): void;
  /** Records a frame that never reaches the server (outgoing) or the page (incoming). */
  drop(socket: WebSocket, id: ConnectionId, direction: Direction, data: unknown): void;
  /** Records which rule touches the next frame or the close of connection `id`. */
  mark(id: ConnectionId, rule: string, effect: RuleEffect): void;
  /** Ends the socket as a close `code` from the server, or as a failure (error, then 1006). */
  end(socket: WebSocket, id: ConnectionId, code: number, reason: string, failed: boolean): void;
  /** Takes a connecting socket over as a mocked endpoint (socket-mocks.ts). */
  mock(socket: WebSocket, requested: string[], protocol: string): void;
  /** A mock rule is enabled: the page's socket getters must answer for mocked sockets. */
  enableMocks(): void;
}

/** A frame waiting on its socket: delayed, throttled, or behind one that is. */
interface Waiting {
  socket: WebSocket;
  id: ConnectionId;
  data: unknown;
  origin: FrameOrigin;
  readyAt: number;
  mark: { rule: string; effect: RuleEffect } | null;
}

interface Queue {
  items: Record<number, Waiting>;
  head: number;
  tail: number;
  /** A throttle's next free slot on this socket and direction. */
  nextSlot: number;
  timerAt: number;
}

/** The rules that cover one socket (by URL), for one version of the rule list. */
export interface SocketRules {
  version: number;
  list: CompiledRule[];
}

/**
 * Applies the user's rules (protocol/socket-rules.ts) to the page's frames and sockets. With no
 * rule enabled a frame costs one comparison; a socket's rules are found by URL once per version
 * of the list. Frames a rule delays or throttles wait in order with every later frame of that
 * socket and direction, so order on a socket is kept. Page-world code (see page-builtins.ts).
 */
export class RuleEngine {
  private rules: CompiledRule[] = nullArray();
  private version = 0;
  private readonly queues: Record<string, Queue> = nullRecord();
  private queueCount = 0;
  /** Sockets a rule is ending (by the rule's name): the server "closed", nothing more passes. */
  private readonly ending: Record<number, string> = nullRecord();
  /**
   * Until the relay has said which rules there are (storage is read asynchronously, and the
   * page's first scripts may run before), sends wait here and the sockets made meanwhile are
   * remembered, so that rules hold from a page's first socket. A socket that fails before it
   * opened meanwhile (a mocked URL is blocked before the network) has its error and close held
   * by the registry: a mock takes it over, else the page gets them then.
   */
  private pending: {
    sends: Waiting[];
    sockets: Array<{ socket: WebSocket; id: ConnectionId; requested: string[] }>;
  } | null = null;

  /** `awaitRules`: the rules come later (configure); until then sends wait (see `pending`). */
  constructor(
    private readonly host: RuleHost,
    awaitRules: boolean,
  ) {
    if (!awaitRules) return;
    this.pending = { sends: nullArray(), sockets: nullArray() };
    // No relay answer (no extension context in this frame): no rules.
    // Set before any page script runs: a setTimeout would shift the ids the page's timers get.
    host.setQuietTimer(() => {
      if (this.pending !== null) this.configure(nullArray());
    }, RULES_WAIT_MS);
  }

  /** The rules are not known yet (see `pending`). */
  get awaiting(): boolean {
    return this.pending !== null;
  }

  get active(): boolean {
    return this.pending !== null || this.rules.length > 0 || this.queueCount > 0;
  }

  configure(rules: ArrayLike<HookRule>): void {
    const compiled = nullArray<CompiledRule>();
    for (let i = 0; i < rules.length; i++) {
      compiled[i] = compileRule(rules[i]!);
      if (rules[i]!.action.type === 'mock') this.host.enableMocks();
    }
    this.rules = compiled;
    this.version++;
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    for (let i = 0; i < pending.sockets.length; i++) {
      const { socket, id, requested } = pending.sockets[i]!;
      const rulesNow = this.rulesOf(socket, undefined);
      // One that failed meanwhile (a mock's URL is blocked) may still be mocked, or failed.
      const ready = this.host.readyState(socket);
      if (ready === 0 || this.host.endedEarly(socket))
        this.created(socket, id, rulesNow, requested);
      else if (ready === 1 && !this.failAtOpen(socket, id, rulesNow))
        this.opened(socket, id, rulesNow);
      this.host.releaseEnd(socket);
    }
    for (let i = 0; i < pending.sends.length; i++) {
      const { socket, id, data } = pending.sends[i]!;
      if (!this.offer(socket, id, 'outgoing', data, this.rulesOf(socket, undefined)))
        this.pass({ socket, id, data, origin: 'page', readyAt: 0, mark: null }, 'outgoing');
    }
  }

  /** The rules covering a socket, refreshed when the list changed. */
  rulesOf(socket: WebSocket, cached: SocketRules | undefined): SocketRules {
    if (cached !== undefined && cached.version === this.version) return cached;
    const list = nullArray<CompiledRule>();
    const url = this.host.url(socket);
    let count = 0;
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (rule.coversUrl(url)) list[count++] = rule;
    }
    return { version: this.version, list };
  }

  /**
   * At `new WebSocket()`: a mock rule takes the socket over; else a fail rule with no frame to
   * wait for fails the handshake now.
   */
  created(socket: WebSocket, id: ConnectionId, rules: SocketRules, requested: string[]): void {
    if (this.pending !== null) {
      this.pending.sockets[this.pending.sockets.length] = { socket, id, requested };
      return;
    }
    for (let i = 0; i < rules.list.length; i++) {
      const { rule } = rules.list[i]!;
      if (rule.action.type === 'mock') {
        this.host.mark(id, rule.name, 'mocked endpoint');
        this.host.mock(socket, requested, rule.action.protocol);
        return;
      }
    }
    this.failAtOpen(socket, id, rules);
  }

  /**
   * A fail rule with no frame to wait for fails the socket: its handshake, or (when the rules
   * came after it opened) the open socket, as the browser would. True when one did.
   */
  private failAtOpen(socket: WebSocket, id: ConnectionId, rules: SocketRules): boolean {
    for (let i = 0; i < rules.list.length; i++) {
      const { rule } = rules.list[i]!;
      if (rule.action.type === 'fail' && rule.action.afterMatches === 0) {
        this.host.mark(id, rule.name, 'failed by rule');
        this.host.end(socket, id, 1006, '', true);
        return true;
      }
    }
    return false;
  }

  /**
   * At open: greetings are delivered, in list order; a close rule with no frame to wait for
   * closes the socket as the server would.
   */
  opened(socket: WebSocket, id: ConnectionId, rules: SocketRules): void {
    if (this.pending !== null) return;
    for (let i = 0; i < rules.list.length; i++) {
      const rule = rules.list[i]!;
      const { action } = rule.rule;
      if (action.type === 'reply' && action.atOpen)
        this.scheduleReply(socket, id, rule, AT_OPEN, action.delayMs);
    }
    for (let i = 0; i < rules.list.length; i++) {
      const { rule } = rules.list[i]!;
      const { action } = rule;
      if (action.type === 'close' && action.afterMatches === 0) {
        this.host.setTimer(() => this.endByRule(socket, id, rule, action.code, action.reason), 0);
        return;
      }
    }
  }

  /**
   * A frame on its way (a send, or a message before any page listener): true when the engine
   * took it (it sends, delivers or drops it itself), false when it goes on as usual.
   */
  offer(
    socket: WebSocket,
    id: ConnectionId,
    direction: Direction,
    data: unknown,
    rules: SocketRules,
  ): boolean {
    if (this.pending !== null) {
      if (direction === 'incoming') return false;
      const { sends } = this.pending;
      sends[sends.length] = { socket, id, data, origin: 'page', readyAt: 0, mark: null };
      return true;
    }
    const ending = this.ending[id];
    if (ending !== undefined) {
      this.host.mark(id, ending, 'dropped by rule');
      this.host.drop(socket, id, direction, data);
      return true;
    }
    const key = `${direction}:${id}`;
    let queue = this.queues[key];
    const now = this.host.now();
    let fate: CompiledRule | null = null;
    let fateMatch: Match | null = null;
    for (let i = 0; i < rules.list.length; i++) {
      const rule = rules.list[i]!;
      if (direction === 'outgoing' ? !rule.outgoing : !rule.incoming) continue;
      const { action } = rule.rule;
      // A mock acts on the socket (at its creation), a greeting at its open: not on frames.
      if (action.type === 'mock' || (action.type === 'reply' && action.atOpen)) continue;
      const found = rule.test(data);
      if (found === null) continue;
      if (action.type === 'reply') this.scheduleReply(socket, id, rule, found, action.delayMs);
      else if (fate === null) {
        fate = rule;
        fateMatch = found;
      }
    }
    let origin: FrameOrigin = 'page';
    let mark: Waiting['mark'] = null;
    let readyAt = now;
    if (fate !== null) {
      const { name, action } = fate.rule;
      switch (action.type) {
        case 'drop':
          this.host.mark(id, name, 'dropped by rule');
          this.host.drop(socket, id, direction, data);
          return true;
        case 'rewrite':
        case 'rewrite-json': {
          const rewritten = fate.rewrite(data, fateMatch!);
          if (rewritten !== undefined) {
            data = rewritten;
            origin = 'rewritten';
            mark = { rule: name, effect: 'rewritten' };
          }
          break;
        }
        case 'delay':
          readyAt = now + action.delayMs;
          origin = 'delayed';
          mark = { rule: name, effect: 'delayed' };
          break;
        case 'throttle': {
          queue ??= this.newQueue(key);
          readyAt = queue.nextSlot > now ? queue.nextSlot : now;
          queue.nextSlot = readyAt + throttleGap(action, data, this.host.sizeOf);
          if (readyAt > now) {
            origin = 'delayed';
            mark = { rule: name, effect: 'throttled' };
          }
          break;
        }
        case 'close':
        case 'fail': {
          const count = (fate.counts[id] ?? 0) + 1;
          fate.counts[id] = count;
          if (count === action.afterMatches) {
            // After the frame: the page (or the server) has it before the socket ends.
            const rule = fate.rule;
            this.ending[id] = rule.name;
            const code = action.type === 'close' ? action.code : 1006;
            const reason = action.type === 'close' ? action.reason : '';
            this.host.setTimer(() => this.endByRule(socket, id, rule, code, reason), 0);
          }
          break;
        }
      }
    }
    const waiting = queue !== undefined && queue.head < queue.tail;
    if (!waiting && readyAt <= now) {
      if (mark === null) return false;
      this.pass({ socket, id, data, origin, readyAt, mark }, direction);
      return true;
    }
    queue ??= this.newQueue(key);
    // Never before the frame ahead of it: order on the socket is kept.
    const last = waiting ? queue.items[queue.tail - 1]!.readyAt : readyAt;
    if (last > readyAt) readyAt = last;
    queue.items[queue.tail++] = { socket, id, data, origin, readyAt, mark };
    this.schedule(key, queue);
    return true;
  }

  private endByRule(
    socket: WebSocket,
    id: ConnectionId,
    rule: HookRule,
    code: number,
    reason: string,
  ): void {
    delete this.ending[id];
    if (this.host.readyState(socket) > 1) return;
    const failed = rule.action.type === 'fail';
    this.host.mark(id, rule.name, failed ? 'failed by rule' : 'closed by rule');
    this.host.end(socket, id, code, reason, failed);
  }

  private scheduleReply(
    socket: WebSocket,
    id: ConnectionId,
    rule: CompiledRule,
    found: Match,
    delayMs: number,
  ): void {
    const text = rule.reply(found);
    this.host.setTimer(() => {
      // Only while the page could still receive a message on it.
      if (this.host.readyState(socket) !== 1) return;
      this.host.mark(id, rule.rule.name, 'mocked');
      this.host.deliver(socket, text, 'mocked');
    }, delayMs);
  }

  private pass(item: Waiting, direction: Direction): void {
    const state = this.host.readyState(item.socket);
    // A frame whose socket ended while it waited reaches neither side.
    if (direction === 'outgoing' ? state !== 1 : state === 3) {
      if (item.mark !== null) this.host.mark(item.id, item.mark.rule, 'dropped by rule');
      this.host.drop(item.socket, item.id, direction, item.data);
      return;
    }
    if (item.mark !== null) this.host.mark(item.id, item.mark.rule, item.mark.effect);
    if (direction === 'outgoing') this.host.send(item.socket, item.data, item.origin);
    else this.host.deliver(item.socket, item.data, item.origin);
  }

  private newQueue(key: string): Queue {
    const queue: Queue = { items: nullRecord(), head: 0, tail: 0, nextSlot: 0, timerAt: -1 };
    this.queues[key] = queue;
    this.queueCount++;
    return queue;
  }

  private schedule(key: string, queue: Queue): void {
    const head = queue.items[queue.head];
    if (head === undefined || queue.timerAt !== -1) return;
    queue.timerAt = head.readyAt;
    this.host.setTimer(() => this.drain(key, queue), head.readyAt - this.host.now());
  }

  private drain(key: string, queue: Queue): void {
    queue.timerAt = -1;
    const now = this.host.now();
    const direction: Direction = key[0] === 'o' ? 'outgoing' : 'incoming';
    while (queue.head < queue.tail && queue.items[queue.head]!.readyAt <= now) {
      const item = queue.items[queue.head]!;
      delete queue.items[queue.head++];
      this.pass(item, direction);
    }
    if (queue.head < queue.tail) this.schedule(key, queue);
    else if (queue.nextSlot <= now && this.queues[key] === queue) {
      delete this.queues[key];
      this.queueCount--;
    }
  }
}

/** How long a throttled frame holds the socket's next slot: by count, by size, the longer. */
function throttleGap(
  action: { framesPerSecond: number; bytesPerSecond?: number },
  data: unknown,
  sizeOf: (data: unknown) => number,
): number {
  const byCount = action.framesPerSecond > 0 ? 1000 / action.framesPerSecond : 0;
  const bytesPerSecond = action.bytesPerSecond ?? 0;
  const bySize = bytesPerSecond > 0 ? (sizeOf(data) * 1000) / bytesPerSecond : 0;
  return byCount > bySize ? byCount : bySize;
}
