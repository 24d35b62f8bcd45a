import type { Correlation, DecodedMessage } from './decoder';

/**
 * Writes a message's summary from what the message keeps: its value (and type). Most frames of a
 * big log are never shown in a row, and their summaries (a preview walk over the value, a few
 * joins) were most of what decoding cost: decoders hand over one of these instead, and the first
 * read of `summary` calls it. A module-level function, not a closure per message: a closure and
 * its context weigh more than the short summary they would put off.
 */
export type Summarizer<V> = (value: V, type: string) => string;

/** A summary at hand, or the function that writes it. */
export type SummaryText<V = never> = string | Summarizer<V>;

/** Only ever read in rows, where a summary that cannot be written should not break the panel. */
function written(summary: Summarizer<unknown>, value: unknown, type: string): string {
  try {
    return summary(value, type);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown failure';
    return `(no summary: ${reason.slice(0, 150)})`;
  }
}

/**
 * A decoded message whose summary is written on first read and kept. `summary` stays an own
 * enumerable property (an accessor), so the message reads, spreads, compares and serializes as
 * the plain object decoders used to return; the function lives in a private field.
 */
class Message implements DecodedMessage {
  declare type: string;
  declare summary: string;
  declare value: unknown;
  declare correlation?: Correlation;
  declare heartbeat?: boolean;
  #summary: SummaryText<unknown>;

  /** One accessor for every message: they all keep one hidden class. */
  static readonly #accessor: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: Message): string {
      const summary = this.#summary;
      if (typeof summary === 'string') return summary;
      const text = written(summary, this.value, this.type);
      this.#summary = text;
      return text;
    },
    set(this: Message, text: string) {
      this.#summary = text;
    },
  };

  constructor(type: string, summary: SummaryText<unknown>, value: unknown) {
    this.type = type;
    this.#summary = summary;
    // Defined between type and value: the keys keep the order `{ type, summary, value }` had.
    Object.defineProperty(this, 'summary', Message.#accessor);
    this.value = value;
  }

  /** Whether the summary is still to be written (for tests). */
  static pending(message: DecodedMessage): boolean {
    return message instanceof Message && typeof message.#summary !== 'string';
  }
}

/**
 * A decoded message, `{ type, summary, value }` plus `correlation` and `heartbeat` when given
 * (left off when undefined). Pass the summary as a {@link Summarizer} unless it is already at
 * hand: it runs when a row first shows the message, on the message's value, which nothing may
 * change after decoding.
 */
export function decodedMessage<V>(
  type: string,
  summary: SummaryText<V>,
  value: V,
  extra?: { correlation?: Correlation | undefined; heartbeat?: boolean | undefined },
): DecodedMessage {
  const message = new Message(type, summary as SummaryText<unknown>, value);
  if (extra?.correlation !== undefined) message.correlation = extra.correlation;
  if (extra?.heartbeat !== undefined) message.heartbeat = extra.heartbeat;
  return message;
}

/** Whether a message's summary has not been written yet (tests check that decoding defers it). */
export function summaryPending(message: DecodedMessage): boolean {
  return Message.pending(message);
}
