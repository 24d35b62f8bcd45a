import type { ComponentChildren } from 'preact';
import { pageHost } from '../session/page-host';
import type { PanelState } from './panel-state';

interface Props {
  state: PanelState;
  tabId: number;
  onPopOut?: () => void;
  /** The session is mutated in place; this tells the memoized render that it changed. */
  revision: number;
  /** More controls for the same row (the session file controls). */
  children?: ComponentChildren;
}

/** Recording controls, time mode, settings, and the session's totals. */
export function Toolbar({ state, tabId, onPopOut, children }: Props) {
  const { session } = state;
  const page = session.currentPage;
  const paused = state.paused.value;
  return (
    <header class="toolbar">
      <button
        type="button"
        class={paused ? 'record paused' : 'record'}
        aria-pressed={!paused}
        aria-label={paused ? 'Resume recording' : 'Pause recording'}
        title={paused ? 'Resume recording' : 'Pause recording'}
        onClick={() => state.setPaused(!paused)}
        data-testid="record-toggle"
      >
        {paused ? '● Resume' : 'Pause'}
      </button>
      <button
        type="button"
        aria-label="Clear"
        title="Clear frames and ended connections"
        onClick={() => state.clear()}
        data-testid="clear"
      >
        ⌫ Clear
      </button>
      <label title="Keep connections of earlier pages when the page reloads or navigates">
        <input
          type="checkbox"
          checked={state.preserveLog.value}
          onChange={(event) => state.setPreserveLog((event.target as HTMLInputElement).checked)}
          data-testid="preserve-log"
        />
        Preserve log
      </label>
      <label title="Show times relative to each connection's start">
        <input
          type="checkbox"
          checked={state.timeMode.value === 'relative'}
          onChange={(event) => {
            state.timeMode.value = (event.target as HTMLInputElement).checked
              ? 'relative'
              : 'absolute';
          }}
          data-testid="relative-time"
        />
        Relative time
      </label>
      <span data-testid="totals">
        {session.connectionList.length} connections, {session.frames.length} frames
      </span>
      {children}
      <span class="spacer" />
      <span
        class="tab"
        data-testid="page-host"
        title={`${page?.url ?? 'No page yet'} (tab ${tabId})`}
      >
        {pageHost(page?.url)}
      </span>
      <button
        type="button"
        aria-label="Settings"
        onClick={() => {
          state.settingsOpen.value = true;
        }}
        data-testid="open-settings"
      >
        ⚙ Settings
      </button>
      {onPopOut && (
        <button type="button" onClick={onPopOut} aria-label="Open in a separate window">
          Pop out
        </button>
      )}
    </header>
  );
}
