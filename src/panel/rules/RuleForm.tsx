import { useRef, useState } from 'preact/hooks';
import type { RuleDirection, SocketRule } from '../../protocol/socket-rules';
import { validateRule } from '../../rules/validate-rule';
import { useReturnFocus } from '../use-return-focus';
import { ActionFields } from './ActionFields';
import { SelectField, TextField } from './FormControls';
import { MatchFields } from './MatchFields';
import { draftOf, type RuleDraft, ruleOfDraft } from './rule-draft';

interface Props {
  rule: SocketRule;
  /** A rule not yet in the list (the form says "New rule"). */
  isNew: boolean;
  /** Saves the checked rule; a rejection's message is shown and the form stays open. */
  onSave(rule: SocketRule): Promise<void>;
  onCancel(): void;
}

const DIRECTIONS: ReadonlyArray<readonly [RuleDirection, string]> = [
  ['any', 'Both directions'],
  ['outgoing', 'Outgoing (page to server)'],
  ['incoming', 'Incoming (server to page)'],
];

/** One rule's fields; Save checks the rule (validateRule) and refuses it, saying why, if wrong. */
export function RuleForm({ rule, isNew, onSave, onCancel }: Props) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  useReturnFocus(form);
  const set = (change: Partial<RuleDraft>) => {
    setDraft((before) => ({ ...before, ...change }));
  };
  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    const built = ruleOfDraft(draft);
    const checked = 'error' in built ? built : validateRule(built.rule);
    if ('error' in checked) {
      setError(checked.error);
      return;
    }
    setError(null);
    setSaving(true);
    try {
      await onSave(checked.rule);
    } catch (failure) {
      setError(`Could not save the rule: ${(failure as Error).message}`);
      setSaving(false);
    }
  };
  return (
    <form
      ref={form}
      class="rule-form"
      aria-label={isNew ? 'New rule' : `Edit rule ${rule.name}`}
      onSubmit={save}
      noValidate
      data-testid="rule-form"
    >
      <h3>{isNew ? 'New rule' : 'Edit rule'}</h3>
      <TextField
        id="rule-name"
        label="Name"
        testId="rule-name"
        value={draft.name}
        onValue={(name) => set({ name })}
        hint="Shown with each frame the rule touched."
      />
      <fieldset>
        <legend>When</legend>
        <TextField
          id="rule-url"
          label="Socket URL"
          testId="rule-url"
          value={draft.urlPattern}
          onValue={(urlPattern) => set({ urlPattern })}
          placeholder="wss://api.example.com/*"
          hint="The socket's whole URL; * matches anything. Empty: every socket."
        />
        <SelectField
          id="rule-direction"
          label="Direction"
          testId="rule-direction"
          value={draft.direction}
          options={DIRECTIONS}
          onValue={(direction) => set({ direction })}
        />
        <MatchFields draft={draft} set={set} />
      </fieldset>
      <fieldset>
        <legend>Then</legend>
        <ActionFields draft={draft} set={set} />
      </fieldset>
      <div class="rule-form-footer">
        {error && (
          <p class="filter-error rule-form-error" role="alert" data-testid="rule-form-error">
            {error}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" onClick={onCancel} data-testid="rule-cancel">
            Cancel
          </button>
          <button type="submit" disabled={saving} data-testid="rule-save">
            Save rule
          </button>
        </div>
      </div>
    </form>
  );
}
