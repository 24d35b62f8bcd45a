import type {
  DecodedMessage,
  DecodeOutcome,
  DecoderDefinition,
  DecoderInput,
  DecoderSession,
} from '../decoders/decoder';
import type { DetectableConnection } from '../decoders/detect';
import { FieldSets } from './decoded-fields';
import type { Connection, Frame } from './session-model';

/** How the panel reads one connection's frames: a decoder, and why that one. */
export interface DecoderChoice {
  /** The decoder's id, or null to show frames raw. */
  id: string | null;
  /** `chosen`: the user's "Decode as"; `detected`: from the subprotocol, URL or first frames. */
  source: 'chosen' | 'detected' | 'none';
}

/** A request and the frames that answered it (replies, stream items, completion). */
export interface Exchange {
  request?: Frame;
  answers: Frame[];
}

export interface ProtocolDecodingOptions {
  definitions: DecoderDefinition[];
  detect(connection: DetectableConnection): string | null;
  /** The user's "Decode as" for a connection: an id, 'none', or undefined to detect. */
  chosenFor(connection: Connection): string | undefined;
  /**
   * Decoders made per connection from what the user gave (a protobuf schema and the connection's
   * message types): undefined when there is none for that id.
   */
  definitionFor?(id: string, connection: Connection): DecoderDefinition | undefined;
}

/** How a frame pairs with others: a reply's delay, or a request's first reply or none yet. */
export type Pairing =
  | { role: 'reply'; request: Frame; ms: number }
  | { role: 'request'; ms?: number; unanswered: boolean };

/** A request with no reply this long after it, while later frames came, is unanswered. */
export const UNANSWERED_AFTER_MS = 10_000;

/** {@link ProtocolDecoding.decodeAhead} looks at the clock every this many frames (a power of 2). */
const AHEAD_SLICE = 256;

/** Frames read for detection: their start tells the protocol. */
const DETECTION_FRAMES = 8;

interface ConnectionDecoding {
  choice: DecoderChoice;
  session: DecoderSession | null;
  /** The last frame decoded: the next one to decode is after its (current) position. */
  last: Frame | null;
  exchanges: Map<string, Exchange>;
  /** Frames seen when detection found nothing: detection runs again while there are few. */
  detectedWith: number;
  /** The log's length when the connection was last decoded to its end. */
  decodedAllAt: number;
}

/**
 * Decodes frames in the panel, lazily: a frame is decoded when a view asks for it (a row in view,
 * the selected frame), together with the frames of its connection before it, in the order they
 * went over the socket, since protocols carry state from frame to frame. Outcomes are cached per
 * frame; the page never decodes anything.
 */
export class ProtocolDecoding {
  /**
   * Frames with a cached outcome, in the order decoded (about time order): the budget drops the
   * oldest payloads first, and their decoded forms go with them, so decoding stays within it.
   */
  private cached: Frame[] = [];
  private cachedHead = 0;
  private exchangeOf = new WeakMap<DecodedMessage, Exchange>();
  /** The exchange each decoded frame takes part in (its first correlated message's). */
  private frameExchange = new WeakMap<Frame, Exchange>();
  private readonly connections = new Map<string, ConnectionDecoding>();
  private readonly byId: Map<string, DecoderDefinition>;
  /** How far {@link decodeAhead} has gone through the log. */
  private aheadIndex = 0;
  /** The decoded frames' fields, interned for filters (decoded-fields.ts). */
  private fieldSets = new FieldSets();

  constructor(private readonly options: ProtocolDecodingOptions) {
    this.byId = new Map(options.definitions.map((definition) => [definition.id, definition]));
  }

  get definitions(): DecoderDefinition[] {
    return this.options.definitions;
  }

  labelOf(id: string | null): string {
    if (id === null) return 'None';
    return this.byId.get(id)?.label ?? (id === 'protobuf-schema' ? 'Protobuf (schema)' : id);
  }

  /**
   * Forgets everything decoded (the session was cleared, or the user chose another decoder):
   * later questions decode again, lazily.
   */
  reset(): void {
    this.aheadIndex = 0;
    this.connections.clear();
    for (let i = this.cachedHead; i < this.cached.length; i++) this.cached[i]!.decoded = undefined;
    this.frameExchange = new WeakMap();
    this.cached = [];
    this.cachedHead = 0;
    this.exchangeOf = new WeakMap();
    this.fieldSets = new FieldSets();
  }

  choiceFor(connection: Connection, frames: readonly Frame[]): DecoderChoice {
    return this.stateFor(connection, frames).choice;
  }

  /**
   * A frame's decoded form, decoding its connection's earlier frames first; undefined when the
   * connection has no decoder or the frame carries no payload.
   */
  outcomeOf(
    frame: Frame,
    connection: Connection,
    frames: readonly Frame[],
  ): DecodeOutcome | undefined {
    if (!frame.payload || (frame.kind !== 'sent' && frame.kind !== 'received')) return undefined;
    this.forgetEvicted();
    const cached = frame.decoded;
    if (cached) return cached;
    const state = this.stateFor(connection, frames);
    if (!state.session) return undefined;
    const start = state.last ? state.last.index + 1 : 0;
    for (let i = start; i <= frame.index && i < frames.length; i++) {
      const candidate = frames[i]!;
      if (candidate.connectionKey !== connection.key || candidate.decoded) continue;
      if (!candidate.payload || (candidate.kind !== 'sent' && candidate.kind !== 'received'))
        continue;
      this.decodeNext(state, candidate);
    }
    return frame.decoded;
  }

  /**
   * Decodes the log's frames ahead of any view, in log order, while `timeLeft()` (ms) stays
   * positive: done in idle time, so that a decoded-field filter finds every frame decoded. True
   * while frames remain. A frame placed before the point reached (a late frame) is decoded when
   * a view asks for it, as before.
   */
  decodeAhead(
    frames: readonly Frame[],
    connectionOf: (key: string) => Connection | undefined,
    timeLeft: () => number,
  ): boolean {
    this.forgetEvicted();
    let lastKey = '';
    let state: ConnectionDecoding | undefined;
    while (this.aheadIndex < frames.length) {
      // The clock is read once per slice of frames: a frame decodes in microseconds.
      if ((this.aheadIndex & (AHEAD_SLICE - 1)) === 0 && timeLeft() <= 0) return true;
      const frame = frames[this.aheadIndex++]!;
      if (frame.decoded || !frame.payload || (frame.kind !== 'sent' && frame.kind !== 'received'))
        continue;
      if (frame.connectionKey !== lastKey) {
        lastKey = frame.connectionKey;
        const connection = connectionOf(lastKey);
        state = connection && this.stateFor(connection, frames);
      }
      if (!state?.session || (state.last && state.last.index >= frame.index)) continue;
      this.decodeNext(state, frame);
    }
    return false;
  }

  /** The exchange (request and answers) a decoded message belongs to, as far as decoded. */
  exchangeFor(message: DecodedMessage): Exchange | undefined {
    return this.exchangeOf.get(message);
  }

  /**
   * How a decoded frame pairs with others, as far as its connection is decoded: a reply's delay
   * after its request; a request's first reply, or `unanswered` once the connection's decoded
   * frames run past {@link UNANSWERED_AFTER_MS} without one.
   */
  pairingOf(frame: Frame, connection: Connection): Pairing | undefined {
    const exchange = this.frameExchange.get(frame);
    if (!exchange) return undefined;
    if (exchange.request !== frame) {
      return exchange.request
        ? { role: 'reply', request: exchange.request, ms: frame.time - exchange.request.time }
        : undefined;
    }
    const first = exchange.answers[0];
    if (first) return { role: 'request', ms: first.time - frame.time, unanswered: false };
    const last = this.connections.get(connection.key)?.last;
    return {
      role: 'request',
      unanswered:
        last !== null && last !== undefined && last.time - frame.time > UNANSWERED_AFTER_MS,
    };
  }

  /** The frames a frame pairs with (its request, its replies), for the table to mark. */
  partnersOf(frame: Frame): Frame[] {
    const exchange = this.frameExchange.get(frame);
    if (!exchange) return [];
    return [...(exchange.request ? [exchange.request] : []), ...exchange.answers].filter(
      (partner) => partner !== frame,
    );
  }

  /** Decodes a connection to its last frame, so that every answer to a request is known. */
  decodeAll(connection: Connection, frames: readonly Frame[]): void {
    const state = this.stateFor(connection, frames);
    // Nothing new since the last time: no scan of the log.
    if (!state.session || state.decodedAllAt === frames.length) return;
    state.decodedAllAt = frames.length;
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i]!;
      if (frame.connectionKey === connection.key && frame.payload) {
        this.outcomeOf(frame, connection, frames);
        return;
      }
    }
  }

  private forgetEvicted(): void {
    while (this.cachedHead < this.cached.length && this.cached[this.cachedHead]!.payloadEvicted) {
      this.cached[this.cachedHead]!.decoded = undefined;
      this.cachedHead++;
    }
    if (this.cachedHead > 4096 && this.cachedHead * 2 > this.cached.length) {
      this.cached = this.cached.slice(this.cachedHead);
      this.cachedHead = 0;
    }
  }

  private decodeNext(state: ConnectionDecoding, frame: Frame): void {
    const outcome = frame.payloadEvicted
      ? ({ kind: 'error', error: "the payload was dropped (the panel's memory budget)" } as const)
      : state.session!.decode(frame.kind === 'sent' ? 'sent' : 'received', inputOf(frame));
    const cut = frame.payload && frame.payload.size < frame.payload.originalSize;
    frame.decoded =
      cut && outcome.kind === 'error'
        ? { kind: 'error', error: `${outcome.error} (the payload was cut at the payload cap)` }
        : this.fieldSets.keep(outcome);
    this.cached.push(frame);
    state.last = frame;
    if (outcome.kind !== 'messages') return;
    for (const message of outcome.messages) {
      const correlation = message.correlation;
      if (!correlation) continue;
      let exchange = state.exchanges.get(correlation.id);
      if (!exchange || (correlation.role === 'request' && exchange.request)) {
        exchange = { answers: [] };
        state.exchanges.set(correlation.id, exchange);
      }
      if (correlation.role === 'request') exchange.request = frame;
      // Frames come in order: a frame with several answers in it is the last one listed.
      else if (exchange.answers.at(-1) !== frame) exchange.answers.push(frame);
      this.exchangeOf.set(message, exchange);
      if (!this.frameExchange.has(frame)) this.frameExchange.set(frame, exchange);
    }
  }

  private stateFor(connection: Connection, frames: readonly Frame[]): ConnectionDecoding {
    const existing = this.connections.get(connection.key);
    // Detection that found nothing runs again while the connection has few frames: the frames
    // that tell the protocol may not have arrived yet. Only when more came, though: detection
    // looks for them from the log's start, a whole million frames for a quiet connection.
    if (
      existing &&
      (existing.choice.source !== 'none' ||
        existing.detectedWith >= DETECTION_FRAMES ||
        existing.detectedWith === framesOf(connection))
    ) {
      return existing;
    }
    const choice = this.choose(connection, frames);
    const definition =
      choice.id === null
        ? undefined
        : (this.byId.get(choice.id) ?? this.options.definitionFor?.(choice.id, connection));
    const state: ConnectionDecoding = {
      choice: definition
        ? choice
        : { id: null, source: choice.source === 'chosen' ? 'chosen' : 'none' },
      session: definition ? definition.create() : null,
      last: null,
      exchanges: new Map(),
      detectedWith: framesOf(connection),
      decodedAllAt: -1,
    };
    this.connections.set(connection.key, state);
    return state;
  }

  private choose(connection: Connection, frames: readonly Frame[]): DecoderChoice {
    const chosen = this.options.chosenFor(connection);
    if (chosen === 'none') return { id: null, source: 'chosen' };
    if (
      chosen !== undefined &&
      (this.byId.has(chosen) || this.options.definitionFor?.(chosen, connection) !== undefined)
    ) {
      return { id: chosen, source: 'chosen' };
    }
    const firstFrames: DetectableConnection['firstFrames'] = [];
    for (let i = 0; i < frames.length && firstFrames.length < DETECTION_FRAMES; i++) {
      const frame = frames[i]!;
      if (frame.connectionKey !== connection.key || !frame.payload) continue;
      if (frame.kind !== 'sent' && frame.kind !== 'received') continue;
      firstFrames.push({ direction: frame.kind, input: inputOf(frame) });
    }
    const id = this.options.detect({
      url: connection.url,
      protocol: connection.protocol,
      firstFrames,
    });
    return id === null ? { id: null, source: 'none' } : { id, source: 'detected' };
  }
}

function inputOf(frame: Frame): DecoderInput {
  const payload = frame.payload!;
  return payload.kind === 'text'
    ? { kind: 'text', text: payload.text }
    : { kind: 'binary', bytes: payload.bytes };
}

/** How many frames the connection has carried (its counters: no scan of the log). */
function framesOf(connection: Connection): number {
  return connection.sent.count + connection.received.count;
}
