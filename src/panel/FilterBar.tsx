import type { Ref } from 'preact';
import { labelLine, labelOf } from '../session/connection-labels';
import type { DirectionFilter, FilterSpec } from '../session/frame-filter';
import type { Connection } from '../session/session-model';
import { HidePatterns } from './HidePatterns';
import { OverflowRow, type RowItem } from './layout/OverflowRow';
import { Toggle } from './Toggle';
import { TypeFilter } from './TypeFilter';

interface Props {
  spec: FilterSpec;
  error: string | null;
  shown: number;
  total: number;
  busy: boolean;
  inputRef: Ref<HTMLInputElement>;
  /** The connection picker: the same choice as the connection list's, as a compact select. */
  connections: Connection[];
  selected: string | null;
  onSelectConnection(key: string | null): void;
  onChange(change: Partial<FilterSpec>, immediately?: boolean): void;
  /** Saves the "hide frames matching" patterns (for every later panel too). */
  onHidePatterns(patterns: string[]): void;
}

/**
 * One filter row: text or regex, case, invert, direction, types, the saved "hide frames matching"
 * patterns, and "N of M". The connection is chosen in the connection list. What does not fit
 * moves into the row's "more" menu.
 */
export function FilterBar({
  spec,
  error,
  shown,
  total,
  busy,
  inputRef,
  connections,
  selected,
  onSelectConnection,
  onChange,
  onHidePatterns,
}: Props) {
  const items: RowItem[] = [
    {
      id: 'query',
      priority: Number.POSITIVE_INFINITY,
      minWidth: 140,
      // The error hangs below the box, over the table: it takes no room in the row, so it
      // pushes no control into the menu and moves nothing.
      render: () => (
        <span class="filter-query">
          <input
            ref={inputRef}
            type="search"
            class={error ? 'invalid' : ''}
            placeholder={
              spec.regex
                ? 'Filter frames (regular expression)'
                : 'Filter frames (or event:chat, topic:a/#, type:PUBLISH)'
            }
            aria-label="Filter frames"
            aria-invalid={error !== null}
            title={error ?? undefined}
            value={spec.query}
            onInput={(event) => onChange({ query: (event.target as HTMLInputElement).value })}
            data-testid="filter-input"
          />

          {error && (
            <span class="filter-error" role="alert" data-testid="filter-error" title={error}>
              {error}
            </span>
          )}
        </span>
      ),
    },
    {
      id: 'regex',
      priority: 80,
      render: () => (
        <Toggle
          label=".*"
          title="Regular expression"
          checked={spec.regex}
          onChange={(regex) => onChange({ regex }, true)}
          testId="filter-regex"
        />
      ),
    },
    {
      id: 'case',
      priority: 45,
      render: () => (
        <Toggle
          label="Aa"
          title="Case sensitive"
          checked={spec.caseSensitive}
          onChange={(caseSensitive) => onChange({ caseSensitive }, true)}
          testId="filter-case"
        />
      ),
    },
    {
      id: 'invert',
      priority: 40,
      render: () => (
        <Toggle
          label="Invert"
          title="Show frames that do not match"
          checked={spec.invert}
          onChange={(invert) => onChange({ invert }, true)}
          testId="filter-invert"
        />
      ),
    },
    {
      id: 'direction',
      priority: 60,
      render: () => (
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
      ),
    },
    {
      id: 'heartbeats',
      priority: 42,
      render: () => (
        <Toggle
          label="No pings"
          title="Hide heartbeats: frames whose decoded messages are all pings, pongs or heart-beats"
          checked={spec.hideHeartbeats === true}
          onChange={(hideHeartbeats) => onChange({ hideHeartbeats }, true)}
          testId="filter-hide-heartbeats"
        />
      ),
    },
    {
      id: 'types',
      priority: 55,
      render: () => (
        <TypeFilter types={spec.types} onChange={(types) => onChange({ types }, true)} />
      ),
    },
    {
      id: 'hide',
      priority: 50,
      render: () => <HidePatterns patterns={spec.hide} onChange={onHidePatterns} />,
    },
    {
      id: 'connection',
      priority: 20,
      render: () => (
        <select
          aria-label="Connection"
          value={selected ?? ''}
          onChange={(event) => {
            const value = (event.target as HTMLSelectElement).value;
            onSelectConnection(value === '' ? null : value);
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
      ),
    },
    {
      id: 'count',
      priority: 70,
      render: () => (
        <span class="filter-count" data-testid="frame-count" aria-live="polite">
          {/* Busy takes no width of its own: the count never moves what sits beside it. */}
          <span class="filter-busy" aria-hidden="true">
            {busy ? '⟳' : ''}
          </span>
          {shown} of {total} frames
          {busy && <span class="visually-hidden"> (filtering…)</span>}
        </span>
      ),
    },
  ];
  return (
    <div role="search" class="filter-host">
      <OverflowRow items={items} className="filter-bar" label="Filter" moreTestId="filter-more" />
    </div>
  );
}
