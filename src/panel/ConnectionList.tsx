import { useRef } from 'preact/hooks';
import { closeSeverity, SEVERITY_TEXT } from '../session/close-severity';
import { labelOf } from '../session/connection-labels';
import type { Connection } from '../session/session-model';
import { ConnectionName, connectionDuration, stateText, stateTitle } from './ConnectionName';
import { formatDuration } from './format';
import './connections.css';

interface Props {
  connections: Connection[];
  /** Changes whenever the (mutated in place) list changes, so memoized renders notice. */
  revision: number;
  selected: string | null;
  /** When the current top document started: older connections (preserved log) are marked. */
  currentPageStartedAt: number | undefined;
  now: number;
  /** A sidebar of two-line rows, or a one-row strip of chips when the panel is narrow. */
  variant: 'sidebar' | 'strip';
  onSelect(key: string | null): void;
  /** Enter on a connection: show it (and its actions) in the details pane. */
  onOpen(key: string): void;
}

/**
 * Every connection of the inspected tab, newest last, as one list box with a single tab stop:
 * arrow keys (and Home/End) move the selection, which filters the frames; Enter opens the
 * connection's pane. Each row carries its figures as data attributes for tools that drive the
 * panel.
 */
export function ConnectionList({
  connections,
  selected,
  currentPageStartedAt,
  now,
  variant,
  onSelect,
  onOpen,
}: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  // A selection no longer listed (cleared, forgotten on navigation) must not take the list's one
  // tab stop with it.
  const focusKey = connections.some((connection) => connection.key === selected) ? selected : null;
  const keys: Array<string | null> = [null, ...connections.map((connection) => connection.key)];
  const focusRow = (key: string | null) => {
    const id = key === null ? 'all' : key;
    // The row re-renders with tabIndex 0 after the selection changes; focus it once it exists.
    queueMicrotask(() =>
      listRef.current
        ?.querySelector<HTMLElement>(`[data-row-key="${CSS.escape(id)}"]`)
        ?.focus({ preventScroll: false }),
    );
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const at = keys.indexOf(selected);
    const back = variant === 'sidebar' ? 'ArrowUp' : 'ArrowLeft';
    const forward = variant === 'sidebar' ? 'ArrowDown' : 'ArrowRight';
    let next: number;
    if (event.key === forward) next = Math.min(keys.length - 1, at + 1);
    else if (event.key === back) next = Math.max(0, at - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = keys.length - 1;
    else if (event.key === 'Enter' && selected !== null) {
      event.preventDefault();
      onOpen(selected);
      return;
    } else return;
    event.preventDefault();
    onSelect(keys[next]!);
    focusRow(keys[next]!);
  };
  return (
    <div
      class={`connections ${variant}`}
      role="listbox"
      aria-label="Connections"
      aria-orientation={variant === 'sidebar' ? 'vertical' : 'horizontal'}
      ref={listRef}
      onKeyDown={onKeyDown}
      data-testid="connection-list"
    >
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the list box takes the keys (roving focus) */}
      <div
        class={`connection-row all${selected === null ? ' selected' : ''}`}
        role="option"
        aria-selected={selected === null}
        tabIndex={focusKey === null ? 0 : -1}
        data-row-key="all"
        onClick={() => onSelect(null)}
        data-testid="all-connections"
      >
        All connections ({connections.length})
      </div>
      {connections.map((connection) => {
        const label = labelOf(connection, currentPageStartedAt);
        const severity = closeSeverity(connection.state, connection.close);
        const duration = connectionDuration(connection, now);
        const isSelected = selected === connection.key;
        return (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the list box takes the keys (roving focus)
          <div
            key={connection.key}
            class={`connection-row state-${connection.state}${isSelected ? ' selected' : ''}`}
            role="option"
            aria-selected={isSelected}
            tabIndex={focusKey === connection.key ? 0 : -1}
            title={`${label.title}\n${stateText(connection)}`}
            data-row-key={connection.key}
            onClick={() => onSelect(connection.key)}
            onDblClick={() => onOpen(connection.key)}
            data-testid="connection"
            data-url={connection.url}
            data-page={connection.pageUrl}
            data-earlier-page={label.marks.includes('earlier-page')}
            data-state={connection.state}
            data-close-code={connection.close?.code ?? ''}
            data-close-reason={connection.close?.reason ?? ''}
            data-close-initiator={connection.close?.initiator ?? ''}
            data-protocol={connection.protocol}
            data-sent={connection.sent.count}
            data-received={connection.received.count}
            data-sent-bytes={connection.sent.bytes}
            data-received-bytes={connection.received.bytes}
            data-errors={connection.errors}
            data-frame-id={connection.frameId}
            data-imported={connection.imported ?? ''}
            data-dropped-frames={connection.droppedFrames ?? 0}
          >
            <span class="connection-name">
              <span
                class={`state-dot ${connection.state}`}
                data-severity={severity ?? ''}
                role="img"
                aria-label={severity ? SEVERITY_TEXT[severity] : connection.state}
              />
              <ConnectionName connection={connection} label={label} />
            </span>
            {isSelected && (
              <button
                type="button"
                class="connection-open"
                tabIndex={-1}
                title="Show the connection's details and actions (Enter)"
                onClick={(event) => {
                  event.stopPropagation();
                  onOpen(connection.key);
                }}
                data-testid="connection-details"
              >
                {/* Kept from when the actions were a collapsed section: it still reveals them. */}
                <span data-testid="actions-summary">
                  {variant === 'sidebar' ? 'Details ›' : '›'}
                </span>
              </button>
            )}
            {variant === 'sidebar' && (
              <span class="connection-facts">
                <span class="state" data-severity={severity ?? ''} data-testid="connection-state">
                  {severity && severity !== 'clean' && (
                    <span class="severity-icon" role="img" aria-label={SEVERITY_TEXT[severity]}>
                      {severity === 'failed' ? '✕' : '⚠'}{' '}
                    </span>
                  )}
                  <span
                    class={`badge ${connection.state}${severity ? ` severity-${severity}` : ''}`}
                    title={stateTitle(connection)}
                  >
                    {stateText(connection)}
                  </span>
                </span>
                <span title="Frames sent and received">
                  ↑{connection.sent.count} ↓{connection.received.count}
                </span>
                <span
                  class="duration"
                  data-testid="connection-duration"
                  title={
                    duration === undefined ? 'The file does not say when it closed' : 'Duration'
                  }
                >
                  {duration === undefined ? '—' : formatDuration(duration)}
                </span>
                {connection.droppedFrames ? (
                  <span
                    class="dropped"
                    data-testid="dropped-frames"
                    title="Frames the page's backlog dropped before this panel opened: the counts here are what the panel received"
                  >
                    +{connection.droppedFrames} dropped
                  </span>
                ) : null}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
