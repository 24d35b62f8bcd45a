import { useLayoutEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import { frameSeverity } from '../session/close-severity';
import { sortFrames } from '../session/frame-sort';
import type { Highlighter } from '../session/match-ranges';
import type { Pairing } from '../session/protocol-decoding';
import type { Connection, Frame, HeldFrame } from '../session/session-model';
import { fitColumns, unfitColumns } from './column-fit';
import type { DecodedLine } from './decoded-display';
import { DataCell, HeldRow, LatencyCell, LeadingCells } from './FrameCells';
import { FrameTableHeader } from './FrameTableHeader';
import { payloadSizeLabel } from './format';
import {
  type ColumnLayout,
  type FrameColumnId,
  gridTemplate,
  visibleColumns,
} from './frame-columns';
import { useElementSize } from './layout/use-element-size';
import type { TimeMode } from './panel-state';
import { useViewport, visibleRange } from './use-viewport';

export const ROW_HEIGHT = 20;

interface Props {
  frames: Frame[];
  /** Frames intercept holds: rows after the recorded ones, marked as held, until released. */
  held: HeldFrame[];
  /** Changes whenever the (mutated in place) list changes, so memoized renders notice. */
  revision: number;
  connections: Map<string, Connection>;
  selected: Frame | null;
  /** The selected held frame's key. */
  selectedHeld: string | null;
  timeMode: TimeMode;
  /** The user's columns (widths, hidden, sort); the table drops more when it is too narrow. */
  columns: ColumnLayout;
  onColumns(columns: ColumnLayout): void;
  /** Marks the filter's matches in the Data column. */
  highlight: Highlighter | null;
  /** A frame as its connection's protocol reads it, for the Data column (decoded-display.ts). */
  decodedLineOf?(frame: Frame): DecodedLine | undefined;
  /** How a decoded frame pairs with a request or replies, for the Latency column. */
  pairingOf?(frame: Frame): Pairing | undefined;
  /** The selected frame's request and replies, marked in the table. */
  partners?: ReadonlySet<Frame>;
  /** Some connection is decoded: the Latency column has something to show. */
  withLatency?: boolean;
  onSelect(frame: Frame | null, heldKey?: string): void;
  onOpenDetails(open: boolean): void;
}

const KIND_LABEL: Record<Frame['kind'], string> = {
  sent: '↑ sent',
  received: '↓ received',
  error: '⚠ error',
  'close-requested': '✕ close()',
  closed: '✕ closed',
};

/**
 * A windowed table: only the rows in view (plus a little overscan) exist in the DOM, so its cost
 * does not grow with the number of frames. Follows the newest frame while scrolled to the bottom
 * and nothing is selected; scrolling up or selecting stops that, and "Jump to latest" resumes it.
 */
export function FrameTable({
  frames: logOrder,
  held,
  columns,
  onColumns,
  highlight,
  decodedLineOf,
  pairingOf,
  partners,
  withLatency = false,
  connections,
  selected,
  selectedHeld,
  timeMode,
  onSelect,
  onOpenDetails,
}: Props) {
  const {
    ref,
    scrollTop,
    height,
    onScroll: trackScroll,
    setScrollTop,
  } = useViewport<HTMLDivElement>();
  const tableRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(tableRef, { width: 0, height: 0 });
  const fitted = fitColumns(columns, width, withLatency);
  const shown = new Set<FrameColumnId>(visibleColumns(fitted).map((column) => column.id));
  // The log's order needs no copy; another order is sorted again when the frames change.
  // The matches grow in place: their length says when another order must be sorted again.
  const frames = useMemo(
    () => sortFrames(logOrder, columns.sort),
    [logOrder, logOrder.length, columns.sort],
  );
  const following = useRef(true);
  // The scroll position state is not kept up to date while following: leaving that mode must
  // render even when the stored position happens to equal the current one.
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  // While following, the bottom is computed, not read back: reading the scroll height after new
  // rows forces a layout, and storing the position would render everything a second time.
  const rowCount = frames.length + held.length;
  // The held rows are pinned below the others, at most half the table high (layout.css).
  const heldHeight = Math.min(held.length * ROW_HEIGHT, Math.floor(height / 2));
  const bottom = Math.max(0, frames.length * ROW_HEIGHT + heldHeight - height);
  const top = following.current ? bottom : scrollTop;

  const scrolledTo = useRef(-1);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && following.current && scrolledTo.current !== bottom) {
      element.scrollTop = bottom;
      scrolledTo.current = bottom;
    }
  });

  /** Selecting or scrolling up stops following; the view stays where it is. */
  const stopFollowing = () => {
    following.current = false;
    scrolledTo.current = -1;
    setScrollTop(ref.current?.scrollTop ?? 0);
    rerender(0);
  };

  const onScroll = () => {
    const element = ref.current!;
    // Our own scroll to the bottom while following: nothing changed for the user.
    if (following.current && element.scrollTop === scrolledTo.current) return;
    const atBottom = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
    const wasFollowing = following.current;
    following.current = atBottom && selected === null;
    if (!following.current) scrolledTo.current = -1;
    trackScroll();
    if (wasFollowing !== following.current) rerender(0);
  };

  const jumpToLatest = () => {
    following.current = true;
    onSelect(null);
  };

  const scrollIntoView = (position: number) => {
    const element = ref.current;
    // Held rows are pinned in sight; recorded rows must clear the pinned block.
    if (!element || position >= frames.length) return;
    const top = position * ROW_HEIGHT;
    const visible = element.clientHeight - heldHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + visible) {
      element.scrollTop = top + ROW_HEIGHT - visible;
    }
  };

  /** Selects row `position`: a recorded frame, or past them a held one. */
  const selectRow = (position: number) => {
    const frame = frames[position];
    if (frame) onSelect(frame);
    else {
      const heldFrame = held[position - frames.length];
      if (heldFrame) onSelect(null, heldFrame.key);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (rowCount === 0) return;
    const current = selected
      ? frames.indexOf(selected)
      : selectedHeld !== null
        ? frames.length + held.findIndex((frame) => frame.key === selectedHeld)
        : -1;
    let next = current;
    if (event.key === 'ArrowDown') next = Math.min(rowCount - 1, current + 1);
    else if (event.key === 'ArrowUp') next = current < 0 ? rowCount - 1 : Math.max(0, current - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rowCount - 1;
    else if (event.key === 'Enter' && (selected || selectedHeld !== null)) {
      onOpenDetails(true);
      return;
    } else return;
    event.preventDefault();
    stopFollowing();
    selectRow(next);
    scrollIntoView(next);
  };

  // Following the newest row, nothing lies below and the rows above are replaced at each render:
  // a small overscan keeps that render cheap, and rows keyed by their place in the window are
  // updated in place rather than removed and created anew. Scrolled, rows keep their frame's key,
  // so a scroll by one row moves rows instead of rewriting them all.
  const overscan = following.current ? 2 : 10;
  const { first, last } = visibleRange(top, height, ROW_HEIGHT, frames.length, overscan);
  const rows = [];
  for (let i = first; i < last; i++) {
    const frame = frames[i]!;
    const connection = connections.get(frame.connectionKey);
    const marked = frame.rule !== undefined || (frame.origin && frame.origin !== 'page');
    // A clean close reads as calm, an abnormal one as a failure (as in the connection list).
    const severity = frameSeverity(frame.kind, connection);
    rows.push(
      // Keys are handled by the focusable grid viewport (one tab stop, arrows move the selection).
      // biome-ignore lint/a11y/useKeyWithClickEvents: see above
      <div
        key={following.current ? i - first : frame.index}
        class={`frame-row ${frame.kind}${frame === selected ? ' selected' : ''}${marked ? ' marked' : ''}${partners?.has(frame) ? ' partner' : ''}`}
        role="row"
        aria-selected={frame === selected}
        data-testid="frame"
        data-kind={frame.kind}
        data-severity={severity}
        data-index={i}
        onClick={() => {
          stopFollowing();
          onSelect(frame);
        }}
        onDblClick={() => onOpenDetails(true)}
      >
        <LeadingCells
          shown={shown}
          direction={`${KIND_LABEL[frame.kind]}${marked ? ` (${originLabel(frame)})` : ''}`}
          connection={connection}
          time={frame.time}
          timeMode={timeMode}
          type={frame.payload ? frame.payload.kind : frame.kind === 'error' ? 'error' : 'close'}
          size={frame.payload ? payloadSizeLabel(frame.payload) : ''}
        />
        {shown.has('latency') && <LatencyCell pairing={pairingOf?.(frame)} />}
        <DataCell frame={frame} decoded={decodedLineOf?.(frame)} highlight={highlight} />
      </div>,
    );
  }
  return (
    <div
      class="frames"
      role="grid"
      aria-label="Frames"
      aria-rowcount={rowCount}
      ref={tableRef}
      style={{ '--frame-columns': gridTemplate(fitted) }}
    >
      <FrameTableHeader
        layout={fitted}
        noRoom={fitted.hidden.filter((id) => !columns.hidden.includes(id))}
        onChange={(changed) => onColumns(unfitColumns(columns, fitted, changed))}
      />
      {/* The scrolling row group is the grid's one tab stop and takes its keys. */}
      <div
        class="frame-viewport"
        role="rowgroup"
        ref={ref}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        tabIndex={0}
        aria-label="Frame list: arrow keys move, Enter opens details, Escape closes them"
        data-testid="frame-viewport"
      >
        {/* The spacer gives the scroll height; the rows sit in a window moved to the first one,
            so a growing list only moves the window instead of laying out every row again. */}
        {/* With held rows, it fills the table at least: they sit at its bottom and stay there
            as rows arrive, never moving under the pointer. */}
        <div
          class="frame-spacer"
          style={{
            height: `${held.length > 0 ? Math.max(frames.length * ROW_HEIGHT, height - heldHeight) : frames.length * ROW_HEIGHT}px`,
          }}
        />
        <div class="frame-window" style={{ top: `${first * ROW_HEIGHT}px` }}>
          {rows}
        </div>
        {/* Held frames end the table, and stay in sight (pinned to its bottom) while it is
            scrolled up: a frame waiting for the user is never out of view. */}
        {held.length > 0 && (
          <div class="held-rows" data-testid="held-list">
            {held.map((heldFrame, i) => (
              <HeldRow
                key={heldFrame.key}
                frame={heldFrame}
                index={frames.length + i}
                connection={connections.get(heldFrame.connectionKey)}
                selected={heldFrame.key === selectedHeld}
                timeMode={timeMode}
                shown={shown}
                onClick={() => {
                  stopFollowing();
                  onSelect(null, heldFrame.key);
                }}
              />
            ))}
          </div>
        )}
      </div>
      {!following.current && rowCount > 0 && (
        <button
          type="button"
          class="jump-latest"
          // Above the pinned held rows, never over them.
          style={{ bottom: `${heldHeight + 8}px` }}
          onClick={jumpToLatest}
          data-testid="jump-latest"
        >
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}

/** Who made or changed a frame: a rule by its name and effect, else the origin. */
export function originLabel(frame: Frame): string {
  return frame.rule ? `${frame.rule.effect}: ${frame.rule.name}` : (frame.origin ?? 'page');
}
