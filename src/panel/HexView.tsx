import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  BYTES_PER_LINE,
  type ByteCopyFormat,
  formatByteRange,
  HEX_GROUP_BYTES,
  HEX_NO_BYTE,
  hexDumpCells,
  hexDumpLineCount,
} from '../session/hex-dump';
import { type HexSelection, moveSelection, selectionRange } from '../session/hex-selection';
import type { Highlighter } from '../session/match-ranges';
import { matchedBytes } from '../session/searchable-text';
import { inspectValues } from '../session/value-inspector';
import { useViewport, visibleRange } from './use-viewport';
import './details.css';

const LINE_HEIGHT = 16;

const COPY_FORMATS: Array<{ format: ByteCopyFormat; label: string; what: string }> = [
  { format: 'hex', label: 'Hex', what: 'bytes as hex' },
  { format: 'base64', label: 'Base64', what: 'bytes as base64' },
  { format: 'c', label: 'C array', what: 'bytes as a C array' },
  { format: 'js', label: 'JS array', what: 'bytes as a JS array' },
];

interface Props {
  bytes: Uint8Array;
  onCopy(text: string, what: string): void;
  /** The filter's query: the bytes it matched (in the part filters search) are marked. */
  highlight?: Highlighter | null;
}

/**
 * A hex dump the user can select in, with the mouse (drag, Shift+click) or the keyboard (arrows,
 * Shift+arrows), copy from, and read values in: an inspector decodes the bytes at the cursor.
 * Windowed: only the lines in view exist in the DOM, so a 16 MiB payload costs a screenful.
 */
export function HexView({ bytes, onCopy, highlight }: Props) {
  const { ref, scrollTop, height, onScroll, setScrollTop } = useViewport<HTMLElement>();
  const [selection, setSelection] = useState<HexSelection>({ anchor: 0, cursor: 0 });
  const dragging = useRef(false);
  const lineCount = hexDumpLineCount(bytes.length);
  const { first, last } = visibleRange(scrollTop, height, LINE_HEIGHT, lineCount);
  const { start, end } = selectionRange(selection);
  const empty = bytes.length === 0;
  const matched = useMemo(
    () => (highlight ? matchedBytes(bytes, highlight) : undefined),
    [bytes, highlight],
  );

  useEffect(() => {
    const stop = () => {
      dragging.current = false;
    };
    window.addEventListener('mouseup', stop);
    return () => window.removeEventListener('mouseup', stop);
  }, []);

  /** Scrolls just enough to show the cursor's line. */
  const reveal = (cursor: number) => {
    const element = ref.current;
    if (!element) return;
    const top = Math.floor(cursor / BYTES_PER_LINE) * LINE_HEIGHT;
    const viewHeight = element.clientHeight || height;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + LINE_HEIGHT > element.scrollTop + viewHeight) {
      element.scrollTop = top + LINE_HEIGHT - viewHeight;
    }
    setScrollTop(element.scrollTop);
  };

  const copy = (format: ByteCopyFormat) => {
    const { what } = COPY_FORMATS.find((candidate) => candidate.format === format)!;
    onCopy(formatByteRange(bytes, start, end, format), what);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (empty) return;
    const ctrl = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (ctrl && key === 'c') copy('hex');
    else if (ctrl && key === 'a') setSelection({ anchor: 0, cursor: bytes.length - 1 });
    else {
      const pageLines = Math.max(1, Math.floor(height / LINE_HEIGHT) - 1);
      const moved = moveSelection(
        selection,
        event.key,
        { shift: event.shiftKey, ctrl },
        bytes.length,
        pageLines,
      );
      if (!moved) return;
      setSelection(moved);
      reveal(moved.cursor);
    }
    event.preventDefault();
  };

  const onMouseDown = (event: MouseEvent) => {
    const offset = offsetAt(event.target);
    if (offset === null || event.button !== 0) return;
    // Our selection, not the browser's text selection across the spans.
    event.preventDefault();
    ref.current?.focus();
    dragging.current = true;
    setSelection(
      event.shiftKey
        ? { anchor: selection.anchor, cursor: offset }
        : { anchor: offset, cursor: offset },
    );
  };
  const onMouseMove = (event: MouseEvent) => {
    if (!dragging.current) return;
    if ((event.buttons & 1) === 0) {
      dragging.current = false;
      return;
    }
    const offset = offsetAt(event.target);
    if (offset !== null && offset !== selection.cursor) {
      setSelection({ anchor: selection.anchor, cursor: offset });
    }
  };

  const lines: JSX.Element[] = [];
  for (let i = first; i < last; i++) {
    lines.push(
      <HexLine
        key={i}
        bytes={bytes}
        line={i}
        start={start}
        end={end}
        cursor={selection.cursor}
        matched={matched}
      />,
    );
  }
  const count = end - start;

  return (
    <div class="hex-view">
      {!empty && (
        <div class="hex-toolbar">
          <span class="hex-status" data-testid="hex-status" aria-live="polite">
            {count > 1
              ? `${count} bytes selected, ${hexOffset(start)}–${hexOffset(end - 1)}`
              : `Offset ${hexOffset(selection.cursor)} (${selection.cursor})`}
          </span>
          <span class="hex-copy">
            Copy {count > 1 ? 'selection' : 'byte'} as
            {COPY_FORMATS.map(({ format, label }) => (
              <button
                key={format}
                type="button"
                onClick={() => copy(format)}
                data-testid={`hex-copy-${format}`}
              >
                {label}
              </button>
            ))}
          </span>
        </div>
      )}
      <section
        class="virtual-lines hex-dump"
        ref={ref}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        aria-label="Hex dump"
        aria-description="Arrow keys move, Shift and arrows or dragging select, Ctrl+C copies as hex"
        data-testid="hex-dump"
        tabIndex={0}
      >
        <div style={{ height: `${lineCount * LINE_HEIGHT}px`, position: 'relative' }}>{lines}</div>
      </section>
      {!empty && <ValueInspector bytes={bytes} offset={selection.cursor} />}
    </div>
  );
}

function offsetAt(target: EventTarget | null): number | null {
  const cell = (target as HTMLElement | null)?.closest?.<HTMLElement>('[data-offset]');
  return cell ? Number(cell.dataset.offset) : null;
}

function hexOffset(offset: number): string {
  return `0x${offset.toString(16).padStart(8, '0')}`;
}

interface LineProps {
  bytes: Uint8Array;
  line: number;
  start: number;
  end: number;
  cursor: number;
  matched: Uint8Array | undefined;
}

/** One dump line, each byte a cell in both columns; its text is exactly hexDumpLine's. */
function HexLine({ bytes, line, start, end, cursor, matched }: LineProps) {
  const cells = hexDumpCells(bytes, line);
  const base = line * BYTES_PER_LINE;
  const classOf = (offset: number) =>
    `hex-cell${offset >= start && offset < end ? ' selected' : ''}${offset === cursor ? ' cursor' : ''}${matched?.[offset] ? ' match' : ''}`;
  const hex: Array<JSX.Element | string> = [];
  const ascii: JSX.Element[] = [];
  for (let i = 0; i < BYTES_PER_LINE; i++) {
    if (i === HEX_GROUP_BYTES) hex.push(' ');
    if (i >= cells.hex.length) {
      hex.push(HEX_NO_BYTE);
      continue;
    }
    const offset = base + i;
    hex.push(
      <span key={`h${i}`} class={classOf(offset)} data-offset={offset}>
        {cells.hex[i]}
      </span>,
      ' ',
    );
    ascii.push(
      <span key={`a${i}`} class={classOf(offset)} data-offset={offset}>
        {cells.ascii[i]}
      </span>,
    );
  }
  return (
    <div class="virtual-line hex-line" style={{ top: `${line * LINE_HEIGHT}px` }}>
      {cells.offset}
      {'  '}
      {hex} |{ascii}|
    </div>
  );
}

/** The bytes at the cursor as each common type, both byte orders. */
export function ValueInspector({ bytes, offset }: { bytes: Uint8Array; offset: number }) {
  const values = inspectValues(bytes, offset);
  return (
    <details class="value-inspector" open data-testid="value-inspector">
      <summary>Value at {hexOffset(offset)}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Little endian</th>
            <th scope="col">Big endian</th>
          </tr>
        </thead>
        <tbody>
          {values.map(({ type, little, big }) => (
            <tr key={type} data-type={type}>
              <th scope="row">{type === 'utf8' ? 'UTF-8' : type}</th>
              {type === 'utf8' || type === 'int8' || type === 'uint8' ? (
                <td colSpan={2} data-testid={`inspect-${type}`}>
                  {little ?? '—'}
                </td>
              ) : (
                <>
                  <td data-testid={`inspect-${type}-le`}>{little ?? '—'}</td>
                  <td data-testid={`inspect-${type}-be`}>{big ?? '—'}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
