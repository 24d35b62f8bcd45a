interface Props {
  label: string;
  title?: string;
  checked: boolean;
  disabled?: boolean;
  onChange(checked: boolean): void;
  testId?: string;
}

/** A labelled checkbox: the panel's on/off switches (regex, case, invert, intercept...). */
export function Toggle({ label, title, checked, disabled, onChange, testId }: Props) {
  return (
    <label title={title}>
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange((event.target as HTMLInputElement).checked)}
        data-testid={testId}
      />
      {label}
    </label>
  );
}
