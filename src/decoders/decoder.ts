/**
 * What every protocol decoder offers the panel (issue 20). Decoding runs in the panel only, over
 * one connection's frames in their order on the socket: some protocols carry a message over
 * several frames (Socket.IO's binary attachments, MQTT packets split across frames) or several
 * messages in one frame (SignalR, MQTT, SockJS), so a decoder is a small state machine fed frame
 * by frame. Every input is untrusted: a decoder never throws, never recurses without a depth
 * bound, and never allocates more than its input justifies.
 */

/** Which way a frame went, from the page's point of view. */
export type DecodeDirection = 'sent' | 'received';

/** A frame as a decoder sees it: its payload only (text as a string, binary as bytes). */
export type DecoderInput = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

/** Joins requests with their replies (JSON-RPC ids, Socket.IO acks, GraphQL operation ids…). */
export interface Correlation {
  /** Equal for a request and every reply to it, within one connection. */
  id: string;
  role: 'request' | 'reply' | 'stream' | 'end';
}

/** One protocol message found in a frame. */
export interface DecodedMessage {
  /** The protocol's name for the message's type: `EVENT`, `PUBLISH`, `next`, `heartbeat`… */
  type: string;
  /**
   * One line for the frame table's Data column, without the type: `chat ["hello"]`,
   * `/topic/a qos1 {"x":1}`. Bounded in length by the decoder (at most a few hundred characters).
   * Decoders build messages with `decodedMessage` (message.ts), which writes the summary when it
   * is first read: most frames of a big log are filtered, never shown.
   */
  summary: string;
  /**
   * The message as plain data for the details' tree: objects, arrays, strings, numbers,
   * booleans, null, and Uint8Array for raw bytes. Never functions, class instances or cycles.
   */
  value: unknown;
  correlation?: Correlation;
  /** Heartbeats, pings and pongs: what users hide first. */
  heartbeat?: boolean;
}

export type DecodeOutcome =
  /** The frame held these messages (one or more). */
  | { kind: 'messages'; messages: DecodedMessage[] }
  /**
   * The frame is part of a message that a later frame completes (a Socket.IO attachment, the
   * first half of an MQTT packet); `note` says so in words (`attachment 1 of 2`).
   */
  | { kind: 'partial'; note: string }
  /** The frame is not valid for this protocol: shown raw, with this reason. */
  | { kind: 'error'; error: string };

/** A decoder's state for one connection; feed it that connection's frames in order. */
export interface DecoderSession {
  decode(direction: DecodeDirection, input: DecoderInput): DecodeOutcome;
}

/** A protocol the panel can read. */
export interface DecoderDefinition {
  /** Stable id, kept in storage for "Decode as" choices. */
  id: string;
  /** The name users pick in "Decode as". */
  label: string;
  create(): DecoderSession;
}
