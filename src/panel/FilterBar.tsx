import type { Ref } from 'preact';
import { labelLine, labelOf } from '../session/connection-labels';
import type { DirectionFilter, FilterSpec } from '../session/frame-filter';
import type { Connection } from '../session/session-model';
import { HidePatterns } from './HidePatterns';
import { Toggle } from './Toggle';
import { TypeFilter } from './TypeFilter';

interface Props {
  spec: FilterSpec;
  error: string | null;
  shown: number;
  total: number;
  busy: boolean;
  connections: Connection[];
  inputRef: Ref<HTMLInputElement>;
  onChange(change: Partial<FilterSpec>, immediately?: boolean): void;
  /** Saves the "hide frames matching" patterns (for every later panel too). */
  onHidePatterns(patterns: string[]): void;
}

/**
 * One filter bar: text or regex, case, invert, direction, type, connection, the saved "hide frames
 * matching" patterns, and "N of M".
 */
export function FilterBar({
  spec,
  error,
  shown,
  total,
  busy,
  connections,
  inputRef,
  onChange,
  onHidePatterns,
}: Props) {
  return (
    <div class="filter-bar" role="search">
      <input
        ref={inputRef}
        type="search"
        class={error ? 'invalid' : ''}
        placeholder={spec.regex ? 'Filter frames (regular expression)' : 'Filter frames'}
        aria-label="Filter frames"
        aria-invalid={error !== null}
        value={spec.query}
        onInput={(event) => onChange({ query: (event.target as HTMLInputElement).value })}
        data-testid="filter-input"
      />
      <Toggle
        label=".*"
        title="Regular expression"
        checked={spec.regex}
        onChange={(regex) => onChange({ regex }, true)}
        testId="filter-regex"
      />
      <Toggle
        label="Aa"
        title="Case sensitive"
        checked={spec.caseSensitive}
        onChange={(caseSensitive) => onChange({ caseSensitive }, true)}
        testId="filter-case"
      />
      <Toggle
        label="Invert"
        title="Show frames that do not match"
        checked={spec.invert}
        onChange={(invert) => onChange({ invert }, true)}
        testId="filter-invert"
      />
      <select
        aria-label="Direction"
        value={spec.direction}
        onChange={(event) =>
          onChange(
            { direction: (event.target as HTMLSelectElement).value as DirectionFilter },
            true,
          )
        }
        data-testid="filter-direction"
      >
        <option value="all">All directions</option>
        <option value="sent">Sent</option>
        <option value="received">Received</option>
      </select>
      <TypeFilter types={spec.types} onChange={(types) => onChange({ types }, true)} />
      <select
        aria-label="Connection"
        value={spec.connectionKey ?? ''}
        onChange={(event) => {
          const value = (event.target as HTMLSelectElement).value;
          onChange({ connectionKey: value === '' ? null : value }, true);
        }}
        data-testid="filter-connection"
      >
        <option value="">All connections</option>
        {connections.map((connection) => {
          const label = labelOf(connection);
          return (
            <option key={connection.key} value={connection.key} title={label.title}>
              {labelLine(label)}
            </option>
          );
        })}
      </select>
      <HidePatterns patterns={spec.hide} onChange={onHidePatterns} />
      <span class="filter-count" data-testid="frame-count" aria-live="polite">
        {shown} of {total} frames{busy ? ' (filtering…)' : ''}
      </span>
      {error && (
        <span class="filter-error" role="alert" data-testid="filter-error">
          {error}
        </span>
      )}
    </div>
  );
}
