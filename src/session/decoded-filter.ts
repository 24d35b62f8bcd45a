import type { DecodedMessage, DecodeOutcome } from '../decoders/decoder';
import { someField } from './decoded-fields';
import type { Frame } from './session-model';

/** A frame's decoded form, for filters that read protocols (the panel's ProtocolDecoding). */
export type DecodedOf = (frame: Frame) => DecodeOutcome | undefined;

/**
 * A query that names a decoded field: `event:chat`, `topic:sensors/#`, `type:PUBLISH`,
 * `op:OnPrice`. MQTT's wildcards work in topics (`+` one level, `#` the rest), `*` in any field.
 */
const FIELD_QUERY = /^(type|event|name|method|op|operation|topic|channel|destination):(.+)$/i;

export type MessageTest = (message: DecodedMessage) => boolean;

/** The test a decoded-field query stands for, or undefined when the query is plain text. */
export function decodedFieldTest(query: string, caseSensitive: boolean): MessageTest | undefined {
  const match = FIELD_QUERY.exec(query.trim());
  if (!match) return undefined;
  const field = match[1]!.toLowerCase();
  const wanted = match[2]!.trim();
  if (field === 'type') {
    const matches = wildcard(wanted, caseSensitive, false);
    return (message) => matches(message.type);
  }
  if (field === 'topic' || field === 'channel' || field === 'destination') {
    const matches = wildcard(wanted, caseSensitive, true);
    return (message) => someField(message, 'topic', matches);
  }
  const matches = wildcard(wanted, caseSensitive, false);
  return (message) => someField(message, 'name', matches);
}

/** Whether a frame's decoded messages include a heartbeat (ping, pong, heart-beat…) only. */
export function isHeartbeatOnly(outcome: DecodeOutcome | undefined): boolean {
  return (
    outcome?.kind === 'messages' &&
    outcome.messages.length > 0 &&
    outcome.messages.every((message) => message.heartbeat === true)
  );
}

function wildcard(
  pattern: string,
  caseSensitive: boolean,
  topic: boolean,
): (value: string) => boolean {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (topic && char === '#') source += '.*';
    else if (topic && char === '+') source += '[^/]*';
    else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const expression = new RegExp(`^${source}$`, caseSensitive ? '' : 'i');
  return (value) => expression.test(value);
}
