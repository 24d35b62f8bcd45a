import type { PayloadMatch } from '../../protocol/socket-rules';
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
];

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
