import type { ConnectionId } from './connection-id';

/** A payload the user typed or picked: text, or bytes as base64. */
export type CommandPayload = { kind: 'text'; text: string } | { kind: 'binary'; base64: string };

export type InterceptDirection = 'outgoing' | 'incoming';

/** Which frames intercept holds: all of a direction, or those matching a text or pattern. */
export interface InterceptRule {
  enabled: boolean;
  /** Empty: every frame. Matched against text payloads (binary frames match only when empty). */
  query: string;
  regex: boolean;
  /** Only these connections; empty for all. */
  connectionIds: ConnectionId[];
}

export type HeldAction = 'forward' | 'drop' | 'edit';

/**
 * What the panel asks the page hook to do on the page's own sockets. Every command names one
 * socket of one document; the background routes it to that document only.
 */
export type PageCommand =
  | {
      kind: 'send';
      connectionId: ConnectionId;
      payload: CommandPayload;
      origin: 'replayed' | 'edited' | 'composed';
    }
  | { kind: 'deliver'; connectionId: ConnectionId; payload: CommandPayload }
  | { kind: 'close'; connectionId: ConnectionId; code: number; reason: string }
  | { kind: 'reconnect'; connectionId: ConnectionId; payloads: CommandPayload[] }
  | { kind: 'intercept'; outgoing: InterceptRule; incoming: InterceptRule }
  | { kind: 'release'; heldId: number; action: HeldAction; payload?: CommandPayload }
  | { kind: 'release-all' };

export interface CommandResult {
  commandId: number;
  ok: boolean;
  /** Why it failed, in words for the user. */
  error?: string;
}

export const INTERCEPT_OFF: InterceptRule = {
  enabled: false,
  query: '',
  regex: false,
  connectionIds: [],
};
