import { useState } from 'preact/hooks';
import { type Limits, MiB } from '../protocol/limits';
import type { PanelState } from './panel-state';

interface Field {
  key: keyof Limits;
  label: string;
  unit: 'MiB' | 'KiB' | 'events';
}

const FIELDS: Field[] = [
  { key: 'payloadCap', label: 'Payload kept per frame', unit: 'KiB' },
  { key: 'backlogEvents', label: 'Backlog per page (events)', unit: 'events' },
  { key: 'backlogBytes', label: 'Backlog per page (payload)', unit: 'MiB' },
  { key: 'panelMemoryBudget', label: 'Panel memory budget', unit: 'MiB' },
];

const SCALE = { MiB, KiB: 1024, events: 1 };

/** The limits, edited in friendly units and saved to extension storage for every page. */
export function SettingsDialog({ state }: { state: PanelState }) {
  const limits = state.limits.value;
  const [values, setValues] = useState(() =>
    Object.fromEntries(FIELDS.map(({ key, unit }) => [key, String(limits[key] / SCALE[unit])])),
  );
  const [error, setError] = useState<string | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    const next: Limits = { ...limits };
    for (const { key, label, unit } of FIELDS) {
      const number = Number(values[key]);
      if (!Number.isFinite(number) || number <= 0) {
        setError(`${label} must be a positive number.`);
        return;
      }
      next[key] = Math.round(number * SCALE[unit]);
    }
    try {
      await state.saveSettings(next);
      state.settingsOpen.value = false;
    } catch (failure) {
      setError(`Could not save: ${(failure as Error).message}`);
    }
  };
  return (
    <div class="dialog-backdrop">
      <form
        class="dialog"
        role="dialog"
        aria-label="Settings"
        onSubmit={save}
        data-testid="settings"
      >
        <h2>Settings</h2>
        {FIELDS.map(({ key, label, unit }) => (
          <label key={key} class="field">
            <span>
              {label} ({unit})
            </span>
            <input
              type="number"
              min="1"
              step="any"
              value={values[key]}
              onInput={(event) =>
                setValues({ ...values, [key]: (event.target as HTMLInputElement).value })
              }
              data-testid={`setting-${key}`}
            />
          </label>
        ))}
        <p class="hint">
          Capture limits apply to pages as they load; the memory budget to this panel at once.
        </p>
        {error && (
          <p class="filter-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-buttons">
          <button
            type="button"
            onClick={() => {
              state.settingsOpen.value = false;
            }}
          >
            Cancel
          </button>
          <button type="submit" data-testid="save-settings">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
