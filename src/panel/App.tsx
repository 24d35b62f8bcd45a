import type { Connection, Frame } from '../session/session-model';
import { ConnectionTable } from './ConnectionTable';
import { FrameTable } from './FrameTable';
import type { PanelState } from './panel-state';

interface Props {
  state: PanelState;
  /** Opens this panel in its own window, when the host can. */
  onPopOut?: () => void;
  tabId: number;
}

export function App({ state, onPopOut, tabId }: Props) {
  // The session's arrays are appended in place; the revision tells children they changed.
  const revision = state.revision.value;
  const { session } = state;
  const selected = state.selectedConnection.value;
  const frames = selected ? framesOf(session.frames, selected) : session.frames;
  const lost = session.lost;
  const rejected = session.rejected;
  return (
    <div class="app">
      <header class="toolbar">
        <strong>WebSockets</strong>
        <span data-testid="totals">
          {session.connectionList.length} connections, {session.frames.length} frames
        </span>
        <span class="spacer" />
        <span class="tab">tab {tabId}</span>
        {onPopOut && (
          <button type="button" onClick={onPopOut} aria-label="Open in a separate window">
            Pop out
          </button>
        )}
      </header>
      {(lost > 0 || rejected > 0) && (
        <div class="warning" role="status" data-testid="loss-notice">
          {lost > 0 && `${lost} events dropped by the backlog limit before this panel saw them. `}
          {rejected > 0 && `${rejected} malformed page messages refused.`}
        </div>
      )}
      <ConnectionTable
        revision={revision}
        connections={session.connectionList}
        selected={selected}
        onSelect={(key) => {
          state.selectedConnection.value = key;
        }}
      />
      <div class="frame-count" data-testid="frame-count">
        {frames.length} frames{selected ? ' on the selected connection' : ''}
      </div>
      <FrameTable
        frames={frames}
        revision={revision}
        connectionLabel={(key) => connectionLabel(session.connections.get(key))}
      />
    </div>
  );
}

const filtered = new WeakMap<Frame[], { key: string; length: number; result: Frame[] }>();

/** The selected connection's frames, extended incrementally as frames arrive. */
function framesOf(all: Frame[], key: string): Frame[] {
  let cache = filtered.get(all);
  if (!cache || cache.key !== key) {
    cache = { key, length: 0, result: [] };
    filtered.set(all, cache);
  }
  for (let i = cache.length; i < all.length; i++) {
    if (all[i]!.connectionKey === key) cache.result.push(all[i]!);
  }
  cache.length = all.length;
  return cache.result;
}

/** "#id path" of a connection: short enough for a column, unique within a document. */
function connectionLabel(connection: Connection | undefined): string {
  if (!connection) return '';
  let path = connection.url;
  try {
    const url = new URL(connection.url);
    path = url.pathname + url.search;
  } catch {
    // Keep the URL as the page gave it.
  }
  return `#${connection.id} ${path}`;
}
