import type { FrameSort, FrameSortKey } from '../session/frame-sort';

export type FrameColumnId =
  | 'direction'
  | 'connection'
  | 'time'
  | 'type'
  | 'size'
  | 'latency'
  | 'data';
export type SortableColumn = FrameSortKey;

export interface FrameColumn {
  id: FrameColumnId;
  title: string;
  /** In pixels; for data, which takes whatever width is left, only its minimum matters. */
  defaultWidth: number;
  minWidth: number;
  hideable: boolean;
  resizable: boolean;
  sortable: boolean;
}

export interface ColumnLayout {
  /** Widths the user set; a column missing here has its default width. */
  widths: Partial<Record<FrameColumnId, number>>;
  hidden: FrameColumnId[];
  sort: FrameSort;
}

export const MAX_COLUMN_WIDTH = 600;

export const FRAME_COLUMNS: readonly FrameColumn[] = [
  column('direction', 'Direction', 90, 50, true),
  column('connection', 'Connection', 120, 50, false),
  column('time', 'Time', 95, 50, true),
  column('type', 'Type', 55, 40, true),
  column('size', 'Size', 80, 40, true),
  // A decoded reply's delay after its request (protocol-decoding.ts pairs them).
  column('latency', 'Latency', 70, 40, false),
  // The payload is what a row is for: it can never be hidden, and it fills the rest of the row.
  { ...column('data', 'Data', 80, 80, false), hideable: false, resizable: false },
];

function column(
  id: FrameColumnId,
  title: string,
  defaultWidth: number,
  minWidth: number,
  sortable: boolean,
): FrameColumn {
  return { id, title, defaultWidth, minWidth, hideable: true, resizable: true, sortable };
}

/** The log's own order: nothing to sort, and nothing to copy (frame-sort.ts). */
export const DEFAULT_SORT: FrameSort = { column: 'time', descending: false };

export const DEFAULT_COLUMN_LAYOUT: ColumnLayout = { widths: {}, hidden: [], sort: DEFAULT_SORT };

export function columnById(id: FrameColumnId): FrameColumn {
  return FRAME_COLUMNS.find((candidate) => candidate.id === id)!;
}

function knownColumn(value: unknown): FrameColumn | undefined {
  return FRAME_COLUMNS.find((candidate) => candidate.id === value);
}

export function isSortableColumn(id: FrameColumnId): id is SortableColumn {
  return columnById(id).sortable;
}

export function visibleColumns(layout: ColumnLayout): FrameColumn[] {
  return FRAME_COLUMNS.filter((candidate) => !layout.hidden.includes(candidate.id));
}

export function columnWidth(layout: ColumnLayout, id: FrameColumnId): number {
  return layout.widths[id] ?? columnById(id).defaultWidth;
}

export function gridTemplate(layout: ColumnLayout): string {
  return visibleColumns(layout)
    .map((visible) =>
      visible.resizable
        ? `${columnWidth(layout, visible.id)}px`
        : `minmax(${visible.minWidth}px, 1fr)`,
    )
    .join(' ');
}

function clampWidth(target: FrameColumn, width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(target.minWidth, width)));
}

export function resizeColumn(layout: ColumnLayout, id: FrameColumnId, width: number): ColumnLayout {
  const target = columnById(id);
  if (!target.resizable || !Number.isFinite(width)) return layout;
  const clamped = clampWidth(target, width);
  if (layout.widths[id] === clamped) return layout;
  return { ...layout, widths: { ...layout.widths, [id]: clamped } };
}

/**
 * Hides a shown column or shows a hidden one. Hiding the column the frames are sorted on goes
 * back to the log's order: an order nothing on screen explains would look like a bug.
 */
export function toggleColumn(layout: ColumnLayout, id: FrameColumnId): ColumnLayout {
  if (!columnById(id).hideable) return layout;
  if (layout.hidden.includes(id)) {
    return { ...layout, hidden: layout.hidden.filter((hidden) => hidden !== id) };
  }
  const hidden = FRAME_COLUMNS.filter(
    (candidate) => candidate.id === id || layout.hidden.includes(candidate.id),
  ).map((candidate) => candidate.id);
  return { ...layout, hidden, sort: layout.sort.column === id ? DEFAULT_SORT : layout.sort };
}

/** Widths and visibility back to their defaults; the sort is not a column setting and stays. */
export function resetColumns(layout: ColumnLayout): ColumnLayout {
  return { ...DEFAULT_COLUMN_LAYOUT, sort: layout.sort };
}

/** The same column again flips the direction; another starts ascending. */
export function sortOn(layout: ColumnLayout, column: SortableColumn): ColumnLayout {
  const descending = layout.sort.column === column ? !layout.sort.descending : false;
  return { ...layout, sort: { column, descending } };
}

/**
 * A layout from whatever storage held: an older version's, a hand-edited or a corrupt one. What
 * makes sense is kept, each part on its own; anything else falls back to its default.
 */
export function parseColumnLayout(stored: unknown): ColumnLayout {
  try {
    if (!isRecord(stored)) return DEFAULT_COLUMN_LAYOUT;
    const widths = parseWidths(stored.widths);
    const hidden = parseHidden(stored.hidden);
    let sort = parseSort(stored.sort);
    if (hidden.includes(sort.column)) sort = DEFAULT_SORT;
    return { widths, hidden, sort };
  } catch {
    // A proxy or a throwing getter is far-fetched, but a bad setting must never stop the panel.
    return DEFAULT_COLUMN_LAYOUT;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseWidths(value: unknown): ColumnLayout['widths'] {
  const widths: ColumnLayout['widths'] = {};
  if (!isRecord(value)) return widths;
  for (const candidate of FRAME_COLUMNS) {
    const width = value[candidate.id];
    if (candidate.resizable && typeof width === 'number' && Number.isFinite(width)) {
      widths[candidate.id] = clampWidth(candidate, width);
    }
  }
  return widths;
}

function parseHidden(value: unknown): FrameColumnId[] {
  if (!Array.isArray(value)) return [];
  return FRAME_COLUMNS.filter(
    (candidate) => candidate.hideable && value.includes(candidate.id),
  ).map((candidate) => candidate.id);
}

function parseSort(value: unknown): FrameSort {
  if (!isRecord(value)) return DEFAULT_SORT;
  const target = knownColumn(value.column);
  if (!target || !isSortableColumn(target.id)) return DEFAULT_SORT;
  return { column: target.id, descending: value.descending === true };
}
