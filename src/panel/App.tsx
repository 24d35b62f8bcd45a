import { useEffect, useRef } from 'preact/hooks';
import { commandPayloadOf } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import { frameMatchesFilter } from '../session/filter-membership';
import { base64Of } from '../session/frame-payload';
import type { Frame } from '../session/session-model';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionTable } from './ConnectionTable';
import { FilterBar } from './FilterBar';
import { FrameDetails } from './FrameDetails';
import { FrameTable } from './FrameTable';
import { InterceptPanel } from './InterceptPanel';
import { LossNotice } from './LossNotice';
import type { PanelState } from './panel-state';
import { SessionFiles } from './SessionFiles';
import { SettingsDialog } from './SettingsDialog';
import { Toolbar } from './Toolbar';

interface Props {
  state: PanelState;
  /** Opens this panel in its own window, when the host can. */
  onPopOut?: () => void;
  tabId: number;
}

export function App({ state, onPopOut, tabId }: Props) {
  // The session changes in place. @preact/signals skips rendering a component whose props and
  // signals are unchanged: the revision prop is what renders the children when the session changed.
  const revision = state.revision.value;
  const { session, filtered } = state;
  const filterInput = useRef<HTMLInputElement>(null);
  const spec = state.filter.value;
  const selectedFrame = state.selectedFrame.value;
  const selectedConnection = spec.connectionKey
    ? session.connections.get(spec.connectionKey)
    : undefined;
  const detailsOpen = state.detailsOpen.value && selectedFrame !== null;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div class="app">
      <Toolbar state={state} tabId={tabId} onPopOut={onPopOut} revision={revision}>
        <SessionFiles state={state} revision={revision} />
      </Toolbar>
      <LossNotice session={session} revision={revision} />
      {state.notice.value && (
        <div class="notice" role="status" data-testid="notice">
          {state.notice.value}
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => {
              state.notice.value = null;
            }}
          >
            ✕
          </button>
        </div>
      )}
      <InterceptPanel state={state} revision={revision} />
      <ConnectionTable
        revision={revision}
        connections={session.connectionList}
        selected={spec.connectionKey}
        currentPageStartedAt={session.currentPageStartedAt}
        now={Date.now()}
        onSelect={(key) => state.selectConnection(key)}
      />
      {selectedConnection && (
        <ConnectionActions
          key={selectedConnection.key}
          state={state}
          connection={selectedConnection}
          revision={revision}
        />
      )}
      <FilterBar
        spec={spec}
        error={state.filterError.value}
        shown={filtered.matches.length}
        total={session.frames.length}
        busy={filtered.busy}
        connections={session.connectionList}
        inputRef={filterInput}
        onChange={(change, immediately) => state.setFilter(change, immediately)}
        onHidePatterns={(patterns) => void state.setHidePatterns(patterns)}
      />
      <div class={detailsOpen ? 'split with-details' : 'split'}>
        <FrameTable
          frames={filtered.matches}
          revision={revision}
          connections={session.connections}
          selected={selectedFrame}
          timeMode={state.timeMode.value}
          onSelect={(frame) => {
            state.selectedFrame.value = frame;
            if (frame) state.detailsOpen.value = true;
          }}
          onOpenDetails={(open) => {
            state.detailsOpen.value = open;
          }}
        />
        {detailsOpen && (
          <FrameDetails
            key={frameIdentity(selectedFrame)}
            frame={selectedFrame}
            matchesFilter={frameMatchesFilter(filtered, selectedFrame)}
            connection={session.connections.get(selectedFrame.connectionKey)}
            onClose={() => {
              state.detailsOpen.value = false;
            }}
            onNotice={(message) => {
              state.notice.value = message;
            }}
            onReplay={(frame, edit) => {
              const connection = session.connections.get(frame.connectionKey);
              const payload = frame.payload;
              if (!connection || !payload) return;
              if (edit) {
                state.composer.value = {
                  text: payload.kind === 'text' ? payload.text : base64Of(payload),
                  encoding: payload.kind === 'text' ? 'text' : 'base64',
                  origin: 'edited',
                };
                state.selectConnection(connection.key);
                return;
              }
              void state.act(
                connection.documentId,
                {
                  kind: 'send',
                  connectionId: connection.id,
                  payload: commandPayloadOf(payload),
                  origin: 'replayed',
                },
                `Replayed the frame on ${labelOf(connection).text}.`,
              );
            }}
          />
        )}
      </div>
      {state.settingsOpen.value && <SettingsDialog state={state} />}
    </div>
  );
}

/**
 * A frame's identity for the details pane's key: its position changes when an earlier frame is
 * placed before it (time order), and the pane must keep its state (open JSON nodes, hex selection).
 */
const frameIds = new WeakMap<Frame, number>();
let nextFrameId = 1;
function frameIdentity(frame: Frame): number {
  let id = frameIds.get(frame);
  if (id === undefined) {
    id = nextFrameId++;
    frameIds.set(frame, id);
  }
  return id;
}
