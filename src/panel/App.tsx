import { useMemo, useRef } from 'preact/hooks';
import { compileHighlighter } from '../session/match-ranges';
import type { Frame } from '../session/session-model';
import { ConnectionList } from './ConnectionList';
import { DetailsRegion } from './DetailsRegion';
import { decodedLine } from './decoded-display';
import { FilterBar } from './FilterBar';
import { FrameTable } from './FrameTable';
import { InterceptPanel } from './InterceptPanel';
import { LossNotice } from './LossNotice';
import { arrangementFor, fittedSize, SIZE_BOUNDS } from './layout/panel-layout';
import { Splitter } from './layout/Splitter';
import { useElementSize } from './layout/use-element-size';
import { usePanelKeys } from './layout/use-panel-keys';
import type { PanelState } from './panel-state';
import { RulesDialog } from './rules/RulesDialog';
import type { RulesSource } from './rules/rules-store';
import { RulesContext } from './rules-context';
import { SessionFiles } from './SessionFiles';
import { SettingsDialog } from './SettingsDialog';
import { StatusBar } from './StatusBar';
import { Toolbar } from './Toolbar';
import './layout/layout.css';

interface Props {
  state: PanelState;
  /** Opens this panel in its own window, when the host can. */
  onPopOut?: () => void;
  tabId: number;
  /** The saved rules (rules/rules-store.ts); without them the panel has no Rules button. */
  rules?: RulesSource;
}

/** The frames keep at least this much beside or above the details. */
const FRAMES_KEEP_WIDTH = 320;
const FRAMES_KEEP_HEIGHT = 120;

/**
 * The panel: a toolbar row, then connections (a sidebar when wide, a strip when narrow), frames,
 * and details (beside the frames when the panel is wide, below them when narrow or tall), with
 * draggable splitters whose sizes are remembered.
 */
export function App({ state, onPopOut, tabId, rules }: Props) {
  // The session changes in place. @preact/signals skips rendering a component whose props and
  // signals are unchanged: the revision prop is what renders the children when the session changed.
  const revision = state.revision.value;
  const { session, filtered } = state;
  const appRef = useRef<HTMLDivElement>(null);
  const filterInput = useRef<HTMLInputElement>(null);
  const panelSize = useElementSize(appRef, { width: 1280, height: 400 });
  const splitRef = useRef<HTMLDivElement>(null);
  const splitSize = useElementSize(splitRef, { width: 1280, height: 300 });
  const layout = state.layout.value;
  const { sidebar, detailsBeside } = arrangementFor(panelSize.width, panelSize.height, layout);
  const spec = state.filter.value;
  const selectedFrame = state.selectedFrame.value;
  const held = [...session.held.values()];
  const highlight = useMemo(() => compileHighlighter(spec), [spec]);
  const partners = partnersOf(state, selectedFrame);
  const now = Date.now();

  const closeDetails = () => {
    state.detailsOpen.value = false;
    appRef.current?.querySelector<HTMLElement>('[data-testid="frame-viewport"]')?.focus();
  };

  usePanelKeys(appRef, filterInput, () => state.detailsOpen.value, closeDetails);

  // The rules reach the connection pane ("Mock from recording") through the details region.
  const details = (
    <RulesContext.Provider value={rules}>
      <DetailsRegion
        state={state}
        highlight={highlight}
        revision={revision}
        now={now}
        onClose={closeDetails}
      />
    </RulesContext.Provider>
  );
  const detailsShown = state.detailsOpen.value && hasDetails(state);
  const connectionListProps = {
    revision,
    connections: session.connectionList,
    selected: spec.connectionKey,
    currentPageStartedAt: session.currentPageStartedAt,
    now,
    onSelect: (key: string | null) => selectAndShow(state, key),
    onOpen: (key: string) => state.showConnection(key),
  };
  const detailsSize = detailsBeside
    ? fittedSize('detailsWidth', layout.detailsWidth, splitSize.width, FRAMES_KEEP_WIDTH)
    : fittedSize('detailsHeight', layout.detailsHeight, splitSize.height, FRAMES_KEEP_HEIGHT);

  return (
    // Escape inside the panel is the panel's: whatever a part of it did with the key, it goes no
    // further (DevTools would toggle its drawer).
    // biome-ignore lint/a11y/noStaticElementInteractions: it only stops keys its parts did not use
    <div
      class="app"
      ref={appRef}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        // A field's own Escape (a search box clears itself) is the field's alone.
        const field = (event.target as Element).closest('input, textarea, select');
        if (!event.defaultPrevented && !field && state.detailsOpen.value) closeDetails();
      }}
    >
      <Toolbar
        state={state}
        tabId={tabId}
        onPopOut={onPopOut}
        revision={revision}
        sidebarAvailable={sidebar}
        files={<SessionFiles state={state} revision={revision} />}
        rules={rules}
      />
      <LossNotice session={session} revision={revision} />
      <div class="main">
        {sidebar && (
          <>
            <div
              class="sidebar"
              style={{
                width: `${Math.min(layout.sidebarWidth, Math.floor(panelSize.width / 2))}px`,
              }}
            >
              <ConnectionList variant="sidebar" {...connectionListProps} />
            </div>
            <Splitter
              orientation="vertical"
              region="before"
              size={layout.sidebarWidth}
              min={SIZE_BOUNDS.sidebarWidth.min}
              max={Math.min(SIZE_BOUNDS.sidebarWidth.max, panelSize.width / 2)}
              label="Resize the connections"
              testId="sidebar-splitter"
              onResize={(sidebarWidth, done) => state.setLayout({ sidebarWidth }, done)}
            />
          </>
        )}
        <div class="work">
          {!sidebar && <ConnectionList variant="strip" {...connectionListProps} />}
          <FilterBar
            spec={spec}
            error={state.filterError.value}
            shown={filtered.matches.length}
            total={session.frames.length}
            busy={filtered.busy}
            inputRef={filterInput}
            connections={session.connectionList}
            selected={spec.connectionKey}
            onSelectConnection={(key) => selectAndShow(state, key)}
            onChange={(change, immediately) => state.setFilter(change, immediately)}
            onHidePatterns={(patterns) => void state.setHidePatterns(patterns)}
          />
          <InterceptPanel state={state} revision={revision} />
          <div class={`split ${detailsBeside ? 'beside' : 'below'}`} ref={splitRef}>
            <FrameTable
              frames={filtered.matches}
              held={held}
              revision={revision}
              connections={session.connections}
              selected={selectedFrame}
              selectedHeld={state.selectedHeld.value}
              timeMode={state.timeMode.value}
              columns={state.columns.value}
              onColumns={(columns) => state.setColumns(columns)}
              highlight={highlight}
              decodedLineOf={(frame) => {
                const connection = session.connections.get(frame.connectionKey);
                if (!connection) return undefined;
                const outcome = state.decoding.outcomeOf(frame, connection, session.frames);
                const { id } = state.decoding.choiceFor(connection, session.frames);
                return outcome && id !== null ? decodedLine(outcome, id) : undefined;
              }}
              pairingOf={(frame) => {
                const connection = session.connections.get(frame.connectionKey);
                return connection && state.decoding.pairingOf(frame, connection);
              }}
              partners={partners}
              withLatency={session.connectionList.some(
                (connection) => state.decoding.choiceFor(connection, session.frames).id !== null,
              )}
              onSelect={(frame, heldKey) => state.selectFrame(frame, heldKey ?? null)}
              onOpenDetails={(open) => {
                if (open) state.detailsOpen.value = true;
                else closeDetails();
              }}
            />
            {detailsShown && (
              <>
                <Splitter
                  orientation={detailsBeside ? 'vertical' : 'horizontal'}
                  region="after"
                  size={detailsSize}
                  min={SIZE_BOUNDS[detailsBeside ? 'detailsWidth' : 'detailsHeight'].min}
                  max={
                    detailsBeside
                      ? splitSize.width - FRAMES_KEEP_WIDTH
                      : splitSize.height - FRAMES_KEEP_HEIGHT
                  }
                  label="Resize the details"
                  testId="details-splitter"
                  onResize={(size, done) =>
                    state.setLayout(
                      detailsBeside ? { detailsWidth: size } : { detailsHeight: size },
                      done,
                    )
                  }
                />
                <div
                  class="details-region"
                  style={
                    detailsBeside ? { width: `${detailsSize}px` } : { height: `${detailsSize}px` }
                  }
                >
                  {details}
                </div>
              </>
            )}
          </div>
        </div>
      </div>
      <StatusBar state={state} />
      {state.settingsOpen.value && <SettingsDialog state={state} />}
      {state.rulesOpen.value && rules && <RulesDialog state={state} store={rules} />}
    </div>
  );
}

/**
 * Clicking a connection selects it (the frames follow); a connection pane already open follows
 * too. "All connections" has no pane: it closes one.
 */
function selectAndShow(state: PanelState, key: string | null): void {
  state.selectConnection(key);
  if (key === null && state.detailsView.value === 'connection') state.detailsOpen.value = false;
}

const NO_PARTNERS: ReadonlySet<Frame> = new Set();

/** The selected frame's request and replies, with its connection decoded to its end first. */
function partnersOf(state: PanelState, frame: Frame | null): ReadonlySet<Frame> {
  if (!frame) return NO_PARTNERS;
  const connection = state.session.connections.get(frame.connectionKey);
  if (!connection || !state.decoding.outcomeOf(frame, connection, state.session.frames)) {
    return NO_PARTNERS;
  }
  state.decoding.decodeAll(connection, state.session.frames);
  const partners = state.decoding.partnersOf(frame);
  return partners.length > 0 ? new Set(partners) : NO_PARTNERS;
}

/** Whether the details region has something to show for the current selection. */
function hasDetails(state: PanelState): boolean {
  if (state.detailsView.value === 'connection') {
    const key = state.filter.value.connectionKey;
    return key !== null && state.session.connections.has(key);
  }
  const heldKey = state.selectedHeld.value;
  if (heldKey !== null) return state.session.held.has(heldKey);
  return state.selectedFrame.value !== null;
}
