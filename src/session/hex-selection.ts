import { BYTES_PER_LINE } from './hex-dump';

/**
 * A byte range in a hex dump, as the user selects it: `anchor` stays where the selection began,
 * `cursor` moves. Both are byte offsets; the range covers both, inclusive.
 */
export interface HexSelection {
  anchor: number;
  cursor: number;
}

export function selectionRange(selection: HexSelection): { start: number; end: number } {
  return {
    start: Math.min(selection.anchor, selection.cursor),
    end: Math.max(selection.anchor, selection.cursor) + 1,
  };
}

/**
 * The selection after a key press, or null for a key the dump does not handle. Arrows move the
 * cursor a byte or a line, Home/End to the line's ends (with Ctrl, the payload's), PageUp/Down
 * by `pageLines`; with Shift the anchor stays, so the selection grows.
 */
export function moveSelection(
  selection: HexSelection,
  key: string,
  modifiers: { shift: boolean; ctrl: boolean },
  length: number,
  pageLines: number,
): HexSelection | null {
  if (length === 0) return null;
  const at = selection.cursor;
  const lineStart = at - (at % BYTES_PER_LINE);
  let cursor: number;
  switch (key) {
    case 'ArrowLeft':
      cursor = at - 1;
      break;
    case 'ArrowRight':
      cursor = at + 1;
      break;
    case 'ArrowUp':
      cursor = at - BYTES_PER_LINE;
      break;
    case 'ArrowDown':
      cursor = at + BYTES_PER_LINE;
      break;
    case 'PageUp':
      cursor = at - BYTES_PER_LINE * pageLines;
      break;
    case 'PageDown':
      cursor = at + BYTES_PER_LINE * pageLines;
      break;
    case 'Home':
      cursor = modifiers.ctrl ? 0 : lineStart;
      break;
    case 'End':
      cursor = modifiers.ctrl ? length - 1 : lineStart + BYTES_PER_LINE - 1;
      break;
    default:
      return null;
  }
  // Up from the first line or down from the last stops at the line, not past the payload.
  cursor = Math.max(0, Math.min(length - 1, cursor));
  return { anchor: modifiers.shift ? selection.anchor : cursor, cursor };
}
