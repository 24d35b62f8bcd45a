import { describe, expect, it } from 'vitest';
import {
  type ColumnLayout,
  DEFAULT_COLUMN_LAYOUT,
  FRAME_COLUMNS,
  gridTemplate,
  isSortableColumn,
  MAX_COLUMN_WIDTH,
  parseColumnLayout,
  resetColumns,
  resizeColumn,
  sortOn,
  toggleColumn,
  visibleColumns,
} from '../../src/panel/frame-columns';
import { type FrameSort, sortFrames } from '../../src/session/frame-sort';
import type { Frame, FrameKind } from '../../src/session/session-model';

const ids = (layout: ColumnLayout) => visibleColumns(layout).map((column) => column.id);

describe('the frame column model', () => {
  it('lists the columns in display order, data last, never hideable nor resizable', () => {
    expect(FRAME_COLUMNS.map((column) => column.id)).toEqual([
      'direction',
      'connection',
      'time',
      'type',
      'size',
      'latency',
      'data',
    ]);
    const data = FRAME_COLUMNS.at(-1)!;
    expect([data.hideable, data.resizable, data.sortable]).toEqual([false, false, false]);
    expect(FRAME_COLUMNS.filter((column) => column.sortable).map((column) => column.id)).toEqual([
      'direction',
      'time',
      'type',
      'size',
    ]);
    expect(isSortableColumn('connection')).toBe(false);
  });

  it('builds the grid template from the visible columns, data taking the rest', () => {
    expect(gridTemplate(DEFAULT_COLUMN_LAYOUT)).toBe(
      '90px 120px 95px 55px 80px 70px minmax(80px, 1fr)',
    );
    const layout = resizeColumn(toggleColumn(DEFAULT_COLUMN_LAYOUT, 'connection'), 'time', 150);
    expect(gridTemplate(layout)).toBe('90px 150px 55px 80px 70px minmax(80px, 1fr)');
    expect(ids(layout)).toEqual(['direction', 'time', 'type', 'size', 'latency', 'data']);
  });

  it('clamps widths between the minimum and the maximum, and refuses data or nonsense', () => {
    expect(resizeColumn(DEFAULT_COLUMN_LAYOUT, 'size', 5).widths.size).toBe(40);
    expect(resizeColumn(DEFAULT_COLUMN_LAYOUT, 'size', 10_000).widths.size).toBe(MAX_COLUMN_WIDTH);
    expect(resizeColumn(DEFAULT_COLUMN_LAYOUT, 'size', 99.6).widths.size).toBe(100);
    expect(resizeColumn(DEFAULT_COLUMN_LAYOUT, 'data', 300)).toBe(DEFAULT_COLUMN_LAYOUT);
    expect(resizeColumn(DEFAULT_COLUMN_LAYOUT, 'size', Number.NaN)).toBe(DEFAULT_COLUMN_LAYOUT);
  });

  it('hides and shows columns in display order, but never data', () => {
    const hidden = toggleColumn(toggleColumn(DEFAULT_COLUMN_LAYOUT, 'size'), 'direction');
    expect(hidden.hidden).toEqual(['direction', 'size']);
    expect(toggleColumn(hidden, 'size').hidden).toEqual(['direction']);
    expect(toggleColumn(DEFAULT_COLUMN_LAYOUT, 'data')).toBe(DEFAULT_COLUMN_LAYOUT);
  });

  it('goes back to the log order when the sorted column is hidden', () => {
    const sorted = sortOn(DEFAULT_COLUMN_LAYOUT, 'size');
    expect(toggleColumn(sorted, 'size').sort).toEqual({ column: 'time', descending: false });
    expect(toggleColumn(sorted, 'type').sort).toEqual(sorted.sort);
  });

  it('flips the direction on the same column and starts a new one ascending', () => {
    const descending = sortOn(DEFAULT_COLUMN_LAYOUT, 'time');
    expect(descending.sort).toEqual({ column: 'time', descending: true });
    expect(sortOn(descending, 'time').sort).toEqual({ column: 'time', descending: false });
    expect(sortOn(descending, 'size').sort).toEqual({ column: 'size', descending: false });
  });

  it('resets widths and visibility but keeps the sort', () => {
    const changed = sortOn(
      resizeColumn(toggleColumn(DEFAULT_COLUMN_LAYOUT, 'type'), 'time', 200),
      'size',
    );
    expect(resetColumns(changed)).toEqual({ ...DEFAULT_COLUMN_LAYOUT, sort: changed.sort });
  });
});

describe('a stored column layout', () => {
  it('round-trips a valid layout', () => {
    const layout: ColumnLayout = {
      widths: { time: 120, size: 70 },
      hidden: ['connection'],
      sort: { column: 'size', descending: true },
    };
    expect(parseColumnLayout(JSON.parse(JSON.stringify(layout)))).toEqual(layout);
  });

  it.each([
    undefined,
    null,
    42,
    'layout',
    [],
    [1, 2],
    { widths: 'wide', hidden: 'data', sort: 'time' },
    { widths: [], hidden: {}, sort: [] },
  ])('falls back to the default for %j', (stored) => {
    expect(parseColumnLayout(stored)).toEqual(DEFAULT_COLUMN_LAYOUT);
  });

  it('keeps what makes sense and drops or clamps the rest', () => {
    const parsed = parseColumnLayout({
      widths: {
        direction: Number.NaN,
        connection: Number.POSITIVE_INFINITY,
        time: 1e12,
        type: -5,
        size: '100',
        data: 300,
        bogus: 50,
      },
      hidden: ['data', 'size', 'size', 'nope', 7, null, 'type'],
      sort: { column: 'data', descending: 'yes' },
    });
    expect(parsed).toEqual({
      widths: { time: MAX_COLUMN_WIDTH, type: 40 },
      hidden: ['type', 'size'],
      sort: { column: 'time', descending: false },
    });
  });

  it('drops a sort on a hidden column, and a descending flag that is not true', () => {
    expect(
      parseColumnLayout({ hidden: ['size'], sort: { column: 'size', descending: true } }).sort,
    ).toEqual({ column: 'time', descending: false });
    expect(parseColumnLayout({ sort: { column: 'type', descending: 1 } }).sort).toEqual({
      column: 'type',
      descending: false,
    });
  });

  it('never throws, whatever the value does when read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(parseColumnLayout(hostile)).toEqual(DEFAULT_COLUMN_LAYOUT);
    expect(parseColumnLayout({ widths: hostile })).toEqual(DEFAULT_COLUMN_LAYOUT);
  });
});

function frame(index: number, kind: FrameKind, payload?: 'text' | 'binary', size = 0): Frame {
  const base: Frame = { index, connectionKey: 'd#1', kind, time: 1000 + index };
  if (payload === 'text') base.payload = { kind: 'text', text: '', size, originalSize: size };
  if (payload === 'binary') {
    base.payload = { kind: 'binary', bytes: new Uint8Array(0), size, originalSize: size };
  }
  return base;
}

const SAMPLE: Frame[] = [
  frame(0, 'sent', 'text', 30),
  frame(1, 'received', 'binary', 10),
  frame(2, 'error'),
  frame(3, 'received', 'text', 10),
  frame(4, 'close-requested'),
  frame(5, 'sent', 'binary', 5_000_000_000),
  frame(6, 'closed'),
  frame(7, 'received', 'text', 30),
];
const order = (sort: FrameSort) => sortFrames(SAMPLE, sort).map((item) => item.index);

describe('sorting frames', () => {
  it('returns the log itself for time ascending, and a reversed copy for descending', () => {
    expect(sortFrames(SAMPLE, { column: 'time', descending: false })).toBe(SAMPLE);
    const reversed = sortFrames(SAMPLE, { column: 'time', descending: true });
    expect(reversed).not.toBe(SAMPLE);
    expect(reversed.map((item) => item.index)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    expect(SAMPLE.map((item) => item.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('sorts by original size, frames without a payload as 0, ties in time order both ways', () => {
    expect(order({ column: 'size', descending: false })).toEqual([2, 4, 6, 1, 3, 0, 7, 5]);
    expect(order({ column: 'size', descending: true })).toEqual([5, 0, 7, 1, 3, 2, 4, 6]);
  });

  it('sorts by type as text, binary, close, error, ties in time order', () => {
    expect(order({ column: 'type', descending: false })).toEqual([0, 3, 7, 1, 5, 4, 6, 2]);
    expect(order({ column: 'type', descending: true })).toEqual([2, 4, 6, 1, 5, 0, 3, 7]);
  });

  it('sorts by direction, sent before received, ties in time order', () => {
    expect(order({ column: 'direction', descending: false })).toEqual([0, 4, 5, 1, 2, 3, 6, 7]);
  });

  it('copies rather than reorders the log', () => {
    const sorted = sortFrames(SAMPLE, { column: 'size', descending: false });
    expect(sorted).not.toBe(SAMPLE);
    expect(SAMPLE.map((item) => item.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sortFrames([], { column: 'size', descending: true })).toEqual([]);
  });

  // Its speed is a benchmark figure, not a test: this checks order and stability at a size where
  // both radix passes run. The long timeout is for building the frames on a busy machine.
  it('sorts a million frames by size, stably', () => {
    // Sizes past 16 bits make the sort take both of its passes; many ties test stability.
    const payloads = Array.from({ length: 70_001 }, (_, size) => frame(0, 'sent', 'text', size));
    const frames: Frame[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const { payload } = payloads[(i * 7919) % payloads.length]!;
      frames.push({ index: i, connectionKey: 'd#1', kind: 'received', time: i, payload });
    }
    const sorted = sortFrames(frames, { column: 'size', descending: true });
    expect(sorted).toHaveLength(frames.length);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      const current = sorted[i]!;
      const before = previous.payload!.originalSize;
      const after = current.payload!.originalSize;
      if (before < after || (before === after && previous.index > current.index)) {
        throw new Error(`out of order at ${i}`);
      }
    }
  }, 30_000);
});
