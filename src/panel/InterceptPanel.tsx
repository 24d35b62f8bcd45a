import { useState } from 'preact/hooks';
import type { HeldFrame } from '../session/session-model';
import type { PanelState } from './panel-state';
import { Toggle } from './Toggle';

/**
 * Intercept's switches and scope. The frames it holds are rows of the frame table, acted on in the
 * details pane (HeldFrameActions.tsx), so holding frames never pushes the tables around.
 */
export function InterceptPanel({ state }: { state: PanelState; revision: number }) {
  const settings = state.intercept.value;
  const [query, setQuery] = useState(settings.query);
  const held = [...state.session.held.values()];
  const on = settings.outgoing || settings.incoming;
  const selected = state.filter.value.connectionKey;
  // Scoped to the selected connection with none selected, turning it on would hold nothing.
  const needsSelection = settings.selectedOnly && selected === null;
  const apply = (change: Partial<typeof settings>) =>
    void state.applyIntercept({ ...settings, query, ...change });
  return (
    // Folded until wanted, to leave room at DevTools' small sizes; open while anything is on or held.
    <details class="intercept" data-testid="intercept" open={on || held.length > 0 || undefined}>
      <summary data-testid="intercept-summary">
        Intercept{on ? ' (on)' : ''}
        {held.length > 0 ? `: ${held.length} held` : ''}
      </summary>
      <div class="intercept-controls">
        <select
          aria-label="Intercept scope"
          value={settings.selectedOnly ? 'selected' : 'all'}
          onChange={(event) =>
            apply({ selectedOnly: (event.target as HTMLSelectElement).value === 'selected' })
          }
          data-testid="intercept-scope"
        >
          <option value="selected">Selected connection</option>
          <option value="all">All connections</option>
        </select>
        <Toggle
          label="Outgoing"
          checked={settings.outgoing}
          disabled={needsSelection && !settings.outgoing}
          onChange={(outgoing) => apply({ outgoing })}
          testId="intercept-outgoing"
        />
        <Toggle
          label="Incoming"
          checked={settings.incoming}
          disabled={needsSelection && !settings.incoming}
          onChange={(incoming) => apply({ incoming })}
          testId="intercept-incoming"
        />
        <input
          type="search"
          aria-label="Hold only frames matching"
          placeholder="Hold only frames matching (empty: all)"
          value={query}
          onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
          onChange={() => apply({})}
          data-testid="intercept-query"
        />
        <Toggle
          label=".*"
          title="Regular expression"
          checked={settings.regex}
          onChange={(regex) => apply({ regex })}
        />
        {needsSelection && (
          <span class="hint" data-testid="intercept-needs-selection">
            Select a connection, or choose all connections.
          </span>
        )}
        {held.length > 0 && (
          <button type="button" onClick={() => forwardAll(state, held)} data-testid="forward-all">
            Forward all ({held.length})
          </button>
        )}
      </div>
    </details>
  );
}

function forwardAll(state: PanelState, held: HeldFrame[]): void {
  for (const frame of held) {
    void state.act(
      frame.documentId,
      { kind: 'release', heldId: frame.heldId, action: 'forward' },
      'Forwarded every held frame.',
    );
  }
}
