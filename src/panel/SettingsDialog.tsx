import { useRef, useState } from 'preact/hooks';
import { DEFAULT_LIMITS, type Limits } from '../protocol/limits';
import {
  type Parsed,
  parseCount,
  parseSize,
  SIZE_UNITS,
  type SizeUnit,
  wholeUnit,
} from '../session/size-units';
import type { PanelState } from './panel-state';
import { useReturnFocus } from './use-return-focus';

interface Field {
  key: 'payloadCap' | 'backlogEvents' | 'backlogBytes' | 'panelMemoryBudget';
  label: string;
  kind: 'size' | 'count';
  /** What happens when the limit is reached, in one sentence. */
  reached: string;
}

export const SETTINGS_FIELDS: readonly Field[] = [
  {
    key: 'payloadCap',
    label: 'Payload kept per frame',
    kind: 'size',
    reached:
      'A larger payload keeps its first bytes up to this size and its original size, and is marked truncated.',
  },
  {
    key: 'backlogEvents',
    label: 'Backlog per page',
    kind: 'count',
    reached:
      'Beyond this many events kept in the page for a panel opened later, the oldest are dropped and the panel says how many.',
  },
  {
    key: 'backlogBytes',
    label: 'Backlog payload per page',
    kind: 'size',
    reached:
      'Beyond this much payload kept in the page (text counts 2 bytes per character), the oldest events are dropped and the panel says how many.',
  },
  {
    key: 'panelMemoryBudget',
    label: 'Panel memory budget',
    kind: 'size',
    reached:
      'Beyond this much payload in this panel, the oldest frames lose their payload; their rows are kept.',
  },
];

type Key = Field['key'];
type Texts = Record<Key, string>;
type Units = Record<Key, SizeUnit>;

/** The form's text and units for `limits`: sizes in the largest unit that keeps them whole. */
export function formValues(limits: Readonly<Limits>): { texts: Texts; units: Units } {
  const texts = {} as Texts;
  const units = {} as Units;
  for (const { key, kind } of SETTINGS_FIELDS) {
    if (kind === 'size') {
      const { amount, unit } = wholeUnit(limits[key]);
      texts[key] = String(amount);
      units[key] = unit;
    } else {
      texts[key] = String(limits[key]);
      units[key] = 'B';
    }
  }
  return { texts, units };
}

function parseField({ key, kind }: Field, texts: Texts, units: Units): Parsed {
  return kind === 'size' ? parseSize(texts[key], units[key]) : parseCount(texts[key]);
}

/** The limits, edited in human units and saved to extension storage for every page. */
export function SettingsDialog({ state }: { state: PanelState }) {
  const limits = state.limits.value;
  const [form, setForm] = useState(() => formValues(limits));
  const [sendStacks, setSendStacks] = useState(limits.sendStacks === 1);
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const { texts, units } = form;
  const setText = (key: Key, text: string) => {
    setForm({ texts: { ...texts, [key]: text }, units });
    if (errors[key]) setErrors({ ...errors, [key]: undefined });
  };
  const setUnit = (key: Key, unit: SizeUnit) => {
    setForm({ texts, units: { ...units, [key]: unit } });
    if (errors[key]) setErrors({ ...errors, [key]: undefined });
  };
  /** "16 MiB" typed in the box: the number stays there and the unit moves to its menu. */
  const splitUnit = (field: Field) => {
    if (field.kind !== 'size') return;
    const parsed = parseField(field, texts, units);
    const typed = /[a-z]\s*$/i.test(texts[field.key]);
    if (!parsed.ok || !typed) return;
    const { amount, unit } = wholeUnit(parsed.value);
    setForm({
      texts: { ...texts, [field.key]: String(amount) },
      units: { ...units, [field.key]: unit },
    });
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const next: Limits = { ...limits, sendStacks: sendStacks ? 1 : 0 };
    const found: Partial<Record<Key, string>> = {};
    for (const field of SETTINGS_FIELDS) {
      const parsed = parseField(field, texts, units);
      if (parsed.ok) next[field.key] = parsed.value;
      else found[field.key] = parsed.error;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError('Nothing was saved: correct the fields marked above.');
      return;
    }
    setError(null);
    try {
      await state.saveSettings(next);
      state.settingsOpen.value = false;
    } catch (failure) {
      setError(`Could not save: ${(failure as Error).message}`);
    }
  };
  const dialog = useRef<HTMLFormElement>(null);
  useReturnFocus(dialog);
  const reset = () => {
    setForm(formValues(DEFAULT_LIMITS));
    setSendStacks(DEFAULT_LIMITS.sendStacks === 1);
    setErrors({});
    setError(null);
  };
  return (
    <div class="dialog-backdrop">
      <form
        ref={dialog}
        class="dialog settings-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Settings"
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.stopPropagation();
          state.settingsOpen.value = false;
        }}
        onSubmit={save}
        noValidate
        data-testid="settings"
      >
        <h2>Settings</h2>
        {SETTINGS_FIELDS.map((field) => {
          const { key, label, kind, reached } = field;
          const fieldError = errors[key];
          const inputId = `setting-${key}`;
          return (
            <div key={key} class="setting" data-testid={`setting-field-${key}`}>
              <div class="field">
                <label for={inputId}>{label}</label>
                <span class="setting-value">
                  <input
                    id={inputId}
                    type="text"
                    inputMode="decimal"
                    spellcheck={false}
                    autoComplete="off"
                    value={texts[key]}
                    aria-invalid={fieldError ? true : undefined}
                    aria-describedby={`${inputId}-reached${fieldError ? ` ${inputId}-error` : ''}`}
                    onInput={(event) => setText(key, (event.target as HTMLInputElement).value)}
                    onBlur={() => splitUnit(field)}
                    data-testid={`setting-${key}`}
                  />
                  {kind === 'size' ? (
                    <select
                      aria-label={`${label} unit`}
                      value={units[key]}
                      onChange={(event) =>
                        setUnit(key, (event.target as HTMLSelectElement).value as SizeUnit)
                      }
                      data-testid={`setting-${key}-unit`}
                    >
                      {SIZE_UNITS.map((unit) => (
                        <option key={unit} value={unit}>
                          {unit}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span class="setting-unit">events</span>
                  )}
                </span>
              </div>
              {fieldError && (
                <p
                  id={`${inputId}-error`}
                  class="filter-error setting-error"
                  data-testid={`setting-${key}-error`}
                >
                  {fieldError}
                </p>
              )}
              <p id={`${inputId}-reached`} class="hint setting-reached">
                {reached}
              </p>
            </div>
          );
        })}
        <div class="setting" data-testid="setting-field-sendStacks">
          <label class="field setting-switch">
            <input
              type="checkbox"
              checked={sendStacks}
              onChange={(event) => setSendStacks((event.target as HTMLInputElement).checked)}
              aria-describedby="setting-sendStacks-cost"
              data-testid="setting-sendStacks"
            />{' '}
            Record the stack of each send()
          </label>
          <p id="setting-sendStacks-cost" class="hint setting-reached">
            Shows which code sent each frame (the frame's Sent by tab). Each send() then takes the
            page's stack, which costs the page time on every frame: leave it off for heavy traffic.
            Applies to open pages at once.
          </p>
        </div>
        <p class="hint">
          Sizes take B, KiB, MiB or GiB (1 KiB = 1024 bytes); you can also type one, as in "16 MiB".
          Capture limits apply to pages as they load; the memory budget to this panel at once.
        </p>
        {error && (
          <p class="filter-error" role="alert" data-testid="settings-error">
            {error}
          </p>
        )}
        <div class="dialog-buttons">
          <button
            type="button"
            class="settings-reset"
            onClick={reset}
            title="Puts the default values in the form; Save keeps them"
            data-testid="reset-settings"
          >
            Reset to defaults
          </button>
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
