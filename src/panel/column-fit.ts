import {
  type ColumnLayout,
  columnWidth,
  type FrameColumnId,
  visibleColumns,
} from './frame-columns';

/** Columns the table drops first when it is too narrow for them and a readable Data column. */
const DROP_ORDER: FrameColumnId[] = ['type', 'size', 'latency', 'connection', 'time', 'direction'];

/** The Data column keeps at least this: the payload is what a row is for. */
export const DATA_MIN_WIDTH = 140;
/** The row's side padding and the gap between cells (panel.css). */
const ROW_PADDING = 16;
const CELL_GAP = 6;

/**
 * The columns shown at a table width: the user's choice, less the least needed columns while the
 * rest would leave Data narrower than {@link DATA_MIN_WIDTH}. The column sorted on stays. The
 * user's layout is not changed: widen the panel and the columns come back.
 */
export function fitColumns(
  layout: ColumnLayout,
  tableWidth: number,
  /** No connection is decoded: the Latency column would stay empty, so it steps aside. */
  withLatency = true,
): ColumnLayout {
  let fitted =
    withLatency || layout.hidden.includes('latency')
      ? layout
      : { ...layout, hidden: [...layout.hidden, 'latency' as const] };
  if (tableWidth <= 0) return fitted;
  const needed = (candidate: ColumnLayout) => {
    const shown = visibleColumns(candidate).filter((column) => column.id !== 'data');
    return (
      shown.reduce((sum, column) => sum + columnWidth(candidate, column.id), 0) +
      CELL_GAP * shown.length +
      ROW_PADDING +
      DATA_MIN_WIDTH
    );
  };
  for (const id of DROP_ORDER) {
    if (needed(fitted) <= tableWidth) break;
    if (fitted.hidden.includes(id) || fitted.sort.column === id) continue;
    fitted = { ...fitted, hidden: [...fitted.hidden, id] };
  }
  return fitted;
}

/**
 * A change the header made to the fitted layout, applied to the user's: the columns hidden only
 * for want of room stay the user's choice (shown), unless the user hid them.
 */
export function unfitColumns(
  user: ColumnLayout,
  fitted: ColumnLayout,
  changed: ColumnLayout,
): ColumnLayout {
  const autoHidden = fitted.hidden.filter((id) => !user.hidden.includes(id));
  return {
    ...changed,
    hidden: changed.hidden.filter((id) => !autoHidden.includes(id)),
  };
}
