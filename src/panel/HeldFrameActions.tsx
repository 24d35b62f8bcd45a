import { useState } from 'preact/hooks';
import { type PayloadEncoding, parsePayloadInput } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import { base64Of } from '../session/frame-payload';
import type { HeldFrame } from '../session/session-model';
import { formatClock, payloadSizeLabel } from './format';
import { PaneHeader } from './PaneHeader';
import { PayloadText } from './PayloadText';
import type { PanelState } from './panel-state';

interface Props {
  state: PanelState;
  frame: HeldFrame;
  onClose(): void;
}

/**
 * A frame intercept holds, in the details pane: forward it, drop it, or edit it with the pane's
 * whole size before forwarding.
 */
export function HeldFrameActions({ state, frame, onClose }: Props) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() =>
    frame.payload.kind === 'text' ? frame.payload.text : base64Of(frame.payload),
  );
  const [error, setError] = useState<string | null>(null);
  const encoding: PayloadEncoding = frame.payload.kind === 'text' ? 'text' : 'base64';
  const connection = state.session.connections.get(frame.connectionKey);
  // Released, the frame leaves the table and this pane with it: focus goes back to the table.
  const backToTable = () =>
    document.querySelector<HTMLElement>('[data-testid="frame-viewport"]')?.focus();
  const release = (action: 'forward' | 'drop' | 'edit') => {
    if (action === 'edit') {
      const payload = parsePayloadInput(encoding, text);
      if ('error' in payload) {
        setError(payload.error);
        return;
      }
      backToTableLater(backToTable);
      void state.act(
        frame.documentId,
        { kind: 'release', heldId: frame.heldId, action, payload },
        'Forwarded the edited frame.',
      );
      return;
    }
    backToTableLater(backToTable);
    void state.act(
      frame.documentId,
      { kind: 'release', heldId: frame.heldId, action },
      action === 'drop' ? 'Dropped the held frame.' : 'Forwarded the held frame.',
    );
  };
  return (
    <section class="details held-details" aria-label="Held frame" data-testid="held-details">
      <PaneHeader title={connection && labelOf(connection).title} onClose={onClose}>
        {frame.direction === 'outgoing' ? '↑ held before sending' : '↓ held before the page'}
        {connection ? ` · ${labelOf(connection).text}` : ''} · {formatClock(frame.time)} ·{' '}
        {payloadSizeLabel(frame.payload)}
      </PaneHeader>
      <div class="held-actions">
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
        {encoding === 'base64' && <span class="hint">Binary: edit as base64.</span>}
        {error && (
          <span class="filter-error" role="alert">
            {error}
          </span>
        )}
      </div>
      {editing ? (
        <textarea
          class="held-editor"
          aria-label="Edit the held frame"
          value={text}
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
          data-testid="held-editor"
        />
      ) : (
        <PayloadText text={text} testId="held-payload" />
      )}
    </section>
  );
}

/** Runs after the release renders (the pane is gone by then). */
function backToTableLater(focus: () => void): void {
  setTimeout(focus, 0);
}
