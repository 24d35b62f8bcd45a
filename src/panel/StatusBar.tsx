import { useState } from 'preact/hooks';
import type { PanelState } from './panel-state';

/**
 * The panel's last line: what the panel last did or refused. It is always there and always one
 * line high, so a notice neither moves the tables nor covers a row (held frames are pinned to the
 * bottom of the frame table, just above it). A notice longer than the line opens in full on
 * request, over the panel, until folded or dismissed.
 */
export function StatusBar({ state }: { state: PanelState }) {
  const [expanded, setExpanded] = useState(false);
  const notice = state.notice.value;
  return (
    <div class={`status-bar${expanded && notice ? ' expanded' : ''}`}>
      {!notice && !state.networkLogWatched && (
        <span
          class="status-hint"
          data-testid="workers-note"
          title="Content scripts do not run in workers: their sockets are listed from the handshakes the browser reports (while a panel is open), without frames. Inside Chrome's DevTools their frames are read from DevTools' network log."
        >
          Sockets opened in workers: handshake only, no frames.
        </span>
      )}
      {!notice && state.networkLogWatched && (
        <span
          class="status-hint"
          data-testid="workers-note"
          title="Content scripts do not run in workers: dedicated and service workers' sockets are read from DevTools' network log while DevTools is open. Chrome puts no shared worker's socket in the page's network log and reports none of their handshakes to extensions."
        >
          Shared workers' sockets: not visible in Chrome.
        </span>
      )}
      {notice && (
        <div class="notice" role="status" data-testid="notice">
          <button
            type="button"
            class="notice-text"
            title={expanded ? 'Fold the notice to one line' : notice}
            aria-expanded={expanded}
            onClick={() => setExpanded(!expanded)}
          >
            {notice}
          </button>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => {
              setExpanded(false);
              state.notice.value = null;
            }}
          >
            ✕
          </button>
        </div>
      )}
    </div>
  );
}
