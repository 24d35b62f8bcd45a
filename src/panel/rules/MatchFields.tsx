import { DECODED_FIELDS, type DecodedField, type PayloadMatch } from '../../protocol/socket-rules';

const FIELD_LABEL: Record<DecodedField, string> = {
  'socket.io event': 'Socket.IO event name',
  'stomp command': 'STOMP command',
  'stomp destination': 'STOMP destination',
  'json-rpc method': 'JSON-RPC method',
  'graphql-ws type': 'GraphQL over WebSocket message type',
  'phoenix event': 'Phoenix Channels event (v2)',
};

import { SelectField, TextField } from './FormControls';
import type { RuleDraft } from './rule-draft';

interface Props {
  draft: RuleDraft;
  set(change: Partial<RuleDraft>): void;
}

const KINDS: ReadonlyArray<readonly [PayloadMatch['kind'], string]> = [
  ['any', 'Any payload'],
  ['text', 'Contains text'],
  ['regex', 'Matches a regular expression'],
  ['json', 'JSON value equals'],
  ['decoded', 'A protocol field equals'],
];

const FIELDS: ReadonlyArray<readonly [DecodedField, string]> = DECODED_FIELDS.map(
  (field) => [field, FIELD_LABEL[field]] as const,
);

/** What a frame's payload must be: the kind of match and its fields. */
export function MatchFields({ draft, set }: Props) {
  return (
    <>
      <SelectField
        id="rule-match-kind"
        label="Payload"
        testId="rule-match-kind"
        value={draft.matchKind}
        options={KINDS}
        onValue={(matchKind) => set({ matchKind })}
        hint={draft.matchKind === 'any' ? 'Binary frames match only this.' : undefined}
      />
      {draft.matchKind === 'text' && (
        <TextField
          id="rule-match-text"
          label="Text"
          testId="rule-match-text"
          value={draft.text}
          onValue={(text) => set({ text })}
          hint="The text frame contains it (case-sensitive)."
        />
      )}
      {draft.matchKind === 'regex' && (
        <>
          <TextField
            id="rule-match-pattern"
            label="Regular expression"
            testId="rule-match-pattern"
            value={draft.pattern}
            onValue={(pattern) => set({ pattern })}
            placeholder={'"type":"(\\w+)"'}
            hint="JavaScript syntax, without slashes; its groups are $1…$9 in a reply or rewrite."
          />
          <TextField
            id="rule-match-flags"
            label="Flags"
            testId="rule-match-flags"
            value={draft.flags}
            onValue={(flags) => set({ flags })}
            placeholder="i"
            hint="Any of i, m, s, u (not g or y)."
          />
        </>
      )}
      {draft.matchKind === 'decoded' && (
        <>
          <SelectField
            id="rule-match-field"
            label="Field"
            testId="rule-match-field"
            value={draft.decodedField}
            options={FIELDS}
            onValue={(decodedField) => set({ decodedField })}
          />
          <TextField
            id="rule-match-value"
            label="Equals"
            testId="rule-match-value"
            value={draft.decodedEquals}
            onValue={(decodedEquals) => set({ decodedEquals })}
            placeholder="chat"
            hint="As the decoded view shows it: an event name, a command, a destination, a method."
          />
        </>
      )}
      {draft.matchKind === 'json' && (
        <>
          <TextField
            id="rule-match-path"
            label="JSON path"
            testId="rule-match-path"
            value={draft.path}
            onValue={(path) => set({ path })}
            placeholder="data.items[0].type"
          />
          <TextField
            id="rule-match-equals"
            label="Equals"
            testId="rule-match-equals"
            value={draft.equals}
            onValue={(equals) => set({ equals })}
            placeholder={'"ping"'}
            hint={'As JSON: "ping" (quoted), 42, true or null.'}
          />
        </>
      )}
    </>
  );
}
