import { useState } from 'preact/hooks';
import { type PayloadEncoding, parsePayloadInput } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import { base64Of } from '../session/frame-payload';
import type { HeldFrame } from '../session/session-model';
import { ConnectionName } from './ConnectionTable';
import { payloadSizeLabel, previewPayload } from './format';
import type { PanelState } from './panel-state';
import { Toggle } from './Toggle';

/** Intercept switches, and the frames it holds, each to forward, edit or drop. */
export function InterceptPanel({ state }: { state: PanelState; revision: number }) {
  const settings = state.intercept.value;
  const [query, setQuery] = useState(settings.query);
  const held = [...state.session.held.values()];
  const apply = (change: Partial<typeof settings>) =>
    void state.applyIntercept({ ...settings, query, ...change });
  return (
    // Collapsed until wanted, to leave room at DevTools' small sizes; open while anything is on or held.
    <details
      class="intercept"
      data-testid="intercept"
      open={settings.outgoing || settings.incoming || held.length > 0 || undefined}
    >
      <summary data-testid="intercept-summary">
        Intercept{settings.outgoing || settings.incoming ? ' (on)' : ''}
        {held.length > 0 ? `: ${held.length} held` : ''}
      </summary>
      <div class="intercept-controls">
        <Toggle
          label="Outgoing"
          checked={settings.outgoing}
          onChange={(outgoing) => apply({ outgoing })}
          testId="intercept-outgoing"
        />
        <Toggle
          label="Incoming"
          checked={settings.incoming}
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
        <Toggle
          label="Selected connection only"
          title="Only the connection selected above"
          checked={settings.selectedOnly}
          onChange={(selectedOnly) => apply({ selectedOnly })}
          testId="intercept-selected-only"
        />
        {held.length > 0 && (
          <button type="button" onClick={() => forwardAll(state, held)} data-testid="forward-all">
            Forward all ({held.length})
          </button>
        )}
      </div>
      {held.length > 0 && (
        <ul class="held-list" data-testid="held-list">
          {held.map((frame) => (
            <HeldRow key={frame.key} state={state} frame={frame} />
          ))}
        </ul>
      )}
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

function HeldRow({ state, frame }: { state: PanelState; frame: HeldFrame }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() =>
    frame.payload.kind === 'text' ? frame.payload.text : base64Of(frame.payload),
  );
  const [error, setError] = useState<string | null>(null);
  const encoding: PayloadEncoding = frame.payload.kind === 'text' ? 'text' : 'base64';
  const connection = state.session.connections.get(frame.connectionKey);
  const release = (action: 'forward' | 'drop' | 'edit') => {
    if (action === 'edit') {
      const payload = parsePayloadInput(encoding, text);
      if ('error' in payload) {
        setError(payload.error);
        return;
      }
      void state.act(
        frame.documentId,
        { kind: 'release', heldId: frame.heldId, action, payload },
        'Forwarded the edited frame.',
      );
      return;
    }
    void state.act(
      frame.documentId,
      { kind: 'release', heldId: frame.heldId, action },
      action === 'drop' ? 'Dropped the held frame.' : 'Forwarded the held frame.',
    );
  };
  return (
    <li class="held" data-testid="held-frame" data-direction={frame.direction}>
      <span class="kind">{frame.direction === 'outgoing' ? '↑ held' : '↓ held'}</span>
      <span title={connection && labelOf(connection).title}>
        {connection && <ConnectionName connection={connection} />}
      </span>
      <span>{payloadSizeLabel(frame.payload)}</span>
      {editing ? (
        <textarea
          aria-label="Edit the held frame"
          value={text}
          rows={2}
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
          data-testid="held-editor"
        />
      ) : (
        <span class="preview">{previewPayload(frame.payload)}</span>
      )}
      <button type="button" onClick={() => release('forward')} data-testid="held-forward">
        Forward
      </button>
      {editing ? (
        <button type="button" onClick={() => release('edit')} data-testid="held-send-edited">
          Forward edited
        </button>
      ) : (
        <button type="button" onClick={() => setEditing(true)} data-testid="held-edit">
          Edit
        </button>
      )}
      <button type="button" onClick={() => release('drop')} data-testid="held-drop">
        Drop
      </button>
      {error && <span class="filter-error">{error}</span>}
    </li>
  );
}
