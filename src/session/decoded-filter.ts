import type { DecodedMessage, DecodeOutcome } from '../decoders/decoder';
import { type DecodedFields, type FieldSets, fieldSetOf, someField } from './decoded-fields';
import type { Frame } from './session-model';

/** A frame's decoded form, for filters that read protocols (the panel's ProtocolDecoding). */
export type DecodedOf = (frame: Frame) => DecodeOutcome | undefined;

/**
 * A query that names a decoded field: `event:chat`, `topic:sensors/#`, `type:PUBLISH`,
 * `op:OnPrice`. MQTT's wildcards work in topics (`+` one level, `#` the rest), `*` in any field.
 */
const FIELD_QUERY = /^(type|event|name|method|op|operation|topic|channel|destination):(.+)$/i;

export type MessageTest = (message: DecodedMessage) => boolean;

/** A decoded-field query's test, on a message or on the fields {@link FieldSets} kept. */
interface FieldQuery {
  message: MessageTest;
  fields: (fields: DecodedFields) => boolean;
}

function fieldQuery(query: string, caseSensitive: boolean): FieldQuery | undefined {
  const match = FIELD_QUERY.exec(query.trim());
  if (!match) return undefined;
  const field = match[1]!.toLowerCase();
  const wanted = match[2]!.trim();
  if (field === 'type') {
    const matches = wildcard(wanted, caseSensitive, false);
    return { message: (message) => matches(message.type), fields: ({ type }) => matches(type) };
  }
  if (field === 'topic' || field === 'channel' || field === 'destination') {
    const matches = wildcard(wanted, caseSensitive, true);
    return {
      message: (message) => someField(message, 'topic', matches),
      fields: ({ topics }) => topics.some(matches),
    };
  }
  const matches = wildcard(wanted, caseSensitive, false);
  return {
    message: (message) => someField(message, 'name', matches),
    fields: ({ names }) => names.some(matches),
  };
}

/** The test a decoded-field query stands for, or undefined when the query is plain text. */
export function decodedFieldTest(query: string, caseSensitive: boolean): MessageTest | undefined {
  return fieldQuery(query, caseSensitive)?.message;
}

/** Whether a frame's decoded form has a message the query names. */
export type OutcomeTest = (outcome: DecodeOutcome | undefined) => boolean;

const UNKNOWN = 0;
const PASSES = 1;
const FAILS = 2;

/**
 * A decoded-field query as a test of whole outcomes, or undefined when the query is plain text.
 * Outcomes kept with interned fields (decoded-fields.ts {@link FieldSets}) are answered once per
 * distinct set and then by its id: a million frames cost a million array reads, not a million
 * walks. Others (too many distinct fields, outcomes not from the panel's decoding) are walked.
 */
export function decodedOutcomeTest(query: string, caseSensitive: boolean): OutcomeTest | undefined {
  const test = fieldQuery(query, caseSensitive);
  if (!test) return undefined;
  let owner: FieldSets | undefined;
  let answers = new Uint8Array(64);
  return (outcome) => {
    if (outcome?.kind !== 'messages') return false;
    const set = fieldSetOf(outcome);
    if (set === undefined) return outcome.messages.some(test.message);
    // Ids count from 0 in each table: answers from another (a reset decoding's) do not carry over.
    if (set.owner !== owner) {
      owner = set.owner;
      answers = new Uint8Array(Math.max(64, owner.size));
    }
    const id = set.id;
    if (id >= answers.length) {
      const grown = new Uint8Array(Math.max(id + 1, answers.length * 2));
      grown.set(answers);
      answers = grown;
    }
    let answer = answers[id]!;
    if (answer === UNKNOWN) {
      answer = set.messages.some(test.fields) ? PASSES : FAILS;
      answers[id] = answer;
    }
    return answer === PASSES;
  };
}

/** Whether a frame's decoded messages include a heartbeat (ping, pong, heart-beat…) only. */
export function isHeartbeatOnly(outcome: DecodeOutcome | undefined): boolean {
  if (outcome?.kind !== 'messages') return false;
  const set = fieldSetOf(outcome);
  if (set !== undefined) return set.heartbeatOnly;
  return (
    outcome.messages.length > 0 && outcome.messages.every((message) => message.heartbeat === true)
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
