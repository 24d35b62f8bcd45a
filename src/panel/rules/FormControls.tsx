import type { ComponentChildren } from 'preact';

interface FieldProps {
  /** The control's id; its hint's is `${id}-hint`. */
  id: string;
  label: string;
  testId: string;
  hint?: ComponentChildren;
}

function Hint({ id, hint }: { id: string; hint: ComponentChildren }) {
  return (
    <p id={`${id}-hint`} class="hint rule-hint">
      {hint}
    </p>
  );
}

const describedBy = (id: string, hint: unknown) => (hint ? `${id}-hint` : undefined);

/** A labelled text box (or, `multiline`, text area), changed on every keystroke. */
export function TextField({
  id,
  label,
  testId,
  hint,
  value,
  onValue,
  multiline = false,
  numeric = false,
  placeholder,
}: FieldProps & {
  value: string;
  onValue(value: string): void;
  multiline?: boolean;
  numeric?: boolean;
  placeholder?: string;
}) {
  const common = {
    id,
    value,
    placeholder,
    spellcheck: false,
    autoComplete: 'off',
    'aria-describedby': describedBy(id, hint),
    'data-testid': testId,
    onInput: (event: Event) => onValue((event.target as HTMLInputElement).value),
  };
  return (
    <div class="rule-field">
      <label for={id}>{label}</label>
      <div class="rule-control">
        {multiline ? (
          <textarea rows={3} {...common} />
        ) : (
          <input type="text" inputMode={numeric ? 'numeric' : undefined} {...common} />
        )}
        {hint && <Hint id={id} hint={hint} />}
      </div>
    </div>
  );
}

/** A labelled menu of `options` ([value, text] pairs). */
export function SelectField<T extends string>({
  id,
  label,
  testId,
  hint,
  value,
  options,
  onValue,
}: FieldProps & {
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onValue(value: T): void;
}) {
  return (
    <div class="rule-field">
      <label for={id}>{label}</label>
      <div class="rule-control">
        <select
          id={id}
          value={value}
          aria-describedby={describedBy(id, hint)}
          onChange={(event) => onValue((event.target as HTMLSelectElement).value as T)}
          data-testid={testId}
        >
          {options.map(([option, text]) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
        </select>
        {hint && <Hint id={id} hint={hint} />}
      </div>
    </div>
  );
}

/** A labelled checkbox, in the controls' column. */
export function CheckField({
  id,
  label,
  testId,
  checked,
  onValue,
}: Omit<FieldProps, 'hint'> & { checked: boolean; onValue(checked: boolean): void }) {
  return (
    <div class="rule-field">
      <span />
      <label class="rule-control rule-check" for={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onValue((event.target as HTMLInputElement).checked)}
          data-testid={testId}
        />{' '}
        {label}
      </label>
    </div>
  );
}
