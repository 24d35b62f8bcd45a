import { useState } from 'preact/hooks';
import { compileHidePatterns } from '../session/hide-patterns';
import { PopupButton } from './PopupButton';

interface Props {
  patterns: string[];
  onChange(patterns: string[]): void;
}

/**
 * "Hide frames matching": a button showing how many patterns hide frames, and a popup to add
 * (text, or /regex/flags) and remove them. The list is kept in extension storage.
 */
export function HidePatterns({ patterns, onChange }: Props) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const pattern = draft.trim();
    if (pattern === '' || patterns.includes(pattern)) return;
    const compiled = compileHidePatterns([pattern]);
    if (compiled.error !== undefined) {
      setError(compiled.error);
      return;
    }
    setError(null);
    setDraft('');
    onChange([...patterns, pattern]);
  };
  return (
    <PopupButton
      label={patterns.length > 0 ? `Hiding ${patterns.length}` : 'Hide…'}
      title="Hide frames matching saved patterns (heartbeats, noise)"
      popupLabel="Hide frames matching"
      testId="hide-patterns-toggle"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <input
          type="text"
          placeholder="text, or /regular expression/"
          aria-label="Pattern to hide"
          value={draft}
          onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          data-testid="hide-pattern-input"
        />
        <button type="submit" data-testid="hide-pattern-add">
          Add
        </button>
      </form>
      {error && (
        <div class="filter-error" role="alert" data-testid="hide-pattern-error">
          {error}
        </div>
      )}
      <ul>
        {patterns.map((pattern) => (
          <li key={pattern} data-testid="hide-pattern">
            <code>{pattern}</code>
            <button
              type="button"
              aria-label={`Stop hiding ${pattern}`}
              onClick={() => onChange(patterns.filter((item) => item !== pattern))}
              data-testid="hide-pattern-remove"
            >
              ✕
            </button>
          </li>
        ))}
        {patterns.length === 0 && <li class="empty">No pattern: every frame shows.</li>}
      </ul>
    </PopupButton>
  );
}
