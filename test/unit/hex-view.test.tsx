// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HexView } from '../../src/panel/HexView';
import { EMPTY_FILTER } from '../../src/session/frame-filter';
import { hexDumpLine } from '../../src/session/hex-dump';
import { compileHighlighter } from '../../src/session/match-ranges';
import { matchedBytes } from '../../src/session/searchable-text';

let root: HTMLElement;
let copied: Array<[string, string]>;
const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;
const $$ = (selector: string) => [...root.querySelectorAll(selector)] as HTMLElement[];
const dump = () => $('[data-testid="hex-dump"]')!;
const cell = (offset: number) => $(`.hex-line [data-offset="${offset}"]`)!;
const selected = () => [
  ...new Set($$('.hex-cell.selected').map((node) => Number(node.dataset.offset))),
];
const press = (key: string, init: KeyboardEventInit = {}) =>
  act(() => {
    dump().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
  });
const mouse = (type: string, target: HTMLElement, init: MouseEventInit = {}) =>
  act(() => {
    target.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0, buttons: 1, ...init }));
  });

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  copied = [];
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function show(bytes: Uint8Array, query = '', regex = false) {
  const highlight = query ? compileHighlighter({ ...EMPTY_FILTER, query, regex }) : null;
  await act(() =>
    render(
      <HexView
        bytes={bytes}
        onCopy={(text, what) => copied.push([what, text])}
        highlight={highlight}
      />,
      root,
    ),
  );
}

const counting = (length: number) => Uint8Array.from({ length }, (_, i) => i & 0xff);

describe('HexView', () => {
  it('writes each line exactly as the classic dump does', async () => {
    const bytes = counting(21);
    await show(bytes);
    expect($$('.virtual-line').map((line) => line.textContent)).toEqual([
      hexDumpLine(bytes, 0),
      hexDumpLine(bytes, 1),
    ]);
  });

  it('keeps only the lines in view in the DOM for a 16 MiB payload', async () => {
    await show(new Uint8Array(16 * 1024 * 1024));
    expect($$('.virtual-line').length).toBeLessThan(100);
    expect($('[data-testid="hex-dump"] > div')!.style.height).toBe(`${1024 * 1024 * 16}px`);
    await press('End', { ctrlKey: true });
    expect(cell(16 * 1024 * 1024 - 1).classList.contains('cursor')).toBe(true);
    expect($$('.virtual-line').length).toBeLessThan(100);
  });

  it('selects with Shift and the arrows, and copies the range in each format', async () => {
    await show(Uint8Array.from([0x48, 0x69, 0x00, 0xff, ...counting(40)]));
    await press('ArrowRight');
    await press('ArrowRight', { shiftKey: true });
    await press('ArrowRight', { shiftKey: true });
    expect(selected()).toEqual([1, 2, 3]);
    expect($('[data-testid="hex-status"]')!.textContent).toBe(
      '3 bytes selected, 0x00000001–0x00000003',
    );
    await act(() => $('[data-testid="hex-copy-hex"]')!.click());
    await act(() => $('[data-testid="hex-copy-base64"]')!.click());
    await act(() => $('[data-testid="hex-copy-c"]')!.click());
    await act(() => $('[data-testid="hex-copy-js"]')!.click());
    expect(copied).toEqual([
      ['bytes as hex', '69 00 ff'],
      ['bytes as base64', btoa('\x69\x00\xff')],
      ['bytes as a C array', 'const uint8_t bytes[3] = {\n  0x69, 0x00, 0xff,\n};'],
      ['bytes as a JS array', 'const bytes = new Uint8Array([\n  0x69, 0x00, 0xff,\n]);'],
    ]);
    await press('c', { ctrlKey: true });
    expect(copied.at(-1)).toEqual(['bytes as hex', '69 00 ff']);
    // Shift+Down grows by a line; an arrow alone collapses the selection to the cursor.
    await press('ArrowDown', { shiftKey: true });
    expect(selected()).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    await press('ArrowLeft');
    expect(selected()).toEqual([18]);
    await press('a', { ctrlKey: true });
    expect(selected()).toHaveLength(44);
  });

  it('selects by dragging with the mouse, and extends with Shift+click', async () => {
    await show(counting(64));
    await mouse('mousedown', cell(5));
    await mouse('mousemove', cell(20));
    await mouse('mouseup', cell(20), { buttons: 0 });
    expect(selected()).toEqual(Array.from({ length: 16 }, (_, i) => i + 5));
    // Moving without the button does not change it.
    await mouse('mousemove', cell(40), { buttons: 0 });
    expect(selected()).toHaveLength(16);
    // Dragging backwards from an ASCII cell selects the same bytes.
    const ascii = (offset: number) => $$(`.hex-line [data-offset="${offset}"]`)[1]!;
    await mouse('mousedown', ascii(10));
    await mouse('mousemove', ascii(7));
    expect(selected()).toEqual([7, 8, 9, 10]);
    await mouse('mousedown', cell(12), { shiftKey: true });
    expect(selected()).toEqual([10, 11, 12]);
  });

  it('inspects the value at the cursor in both byte orders', async () => {
    const bytes = new Uint8Array(16);
    bytes.set([0xe2, 0x82, 0xac, 0x01], 2);
    await show(bytes);
    await press('ArrowRight');
    await press('ArrowRight');
    const value = (id: string) => $(`[data-testid="inspect-${id}"]`)!.textContent;
    expect(value('uint8')).toBe('226');
    expect(value('int8')).toBe('-30');
    expect(value('uint16-le')).toBe(String(0x82e2));
    expect(value('uint16-be')).toBe(String(0xe282));
    expect(value('uint32-be')).toBe(String(0xe282ac01));
    expect(value('int32-be')).toBe(String(0xe282ac01 | 0));
    expect(value('uint64-le')).toBe(String(0x00000000_01ac82e2n));
    expect(value('float32-le')).not.toBe('—');
    expect(value('utf8')).toBe('U+20AC "€" (3 bytes)');
    // Near the end, wider types have no value.
    await press('End', { ctrlKey: true });
    expect(value('uint16-le')).toBe('—');
    expect(value('uint8')).toBe('0');
  });

  it('shows an empty payload without a cursor or inspector', async () => {
    await show(new Uint8Array(0));
    expect($$('.virtual-line').map((line) => line.textContent)).toEqual([
      hexDumpLine(new Uint8Array(0), 0),
    ]);
    expect($('[data-testid="value-inspector"]')).toBeNull();
    await press('ArrowRight');
  });

  it("marks the bytes the filter's query matched in their hex, in both columns", async () => {
    await show(Uint8Array.from([0x00, 0xde, 0xad, 0xbe, 0xef, 0x01, 0xde, 0xad]), 'de ad');
    const marked = [...new Set($$('.hex-cell.match').map((node) => Number(node.dataset.offset)))];
    expect(marked).toEqual([1, 2, 6, 7]);
    // Each byte is marked in the hex and in the ASCII column.
    expect($$('.hex-cell.match')).toHaveLength(8);
  });
});

describe('matchedBytes', () => {
  const highlighter = (query: string, regex = false) =>
    compileHighlighter({ ...EMPTY_FILTER, query, regex })!;

  it('maps matches in the searched hex back to whole bytes', () => {
    const bytes = Uint8Array.from([0x0a, 0x1b, 0x2c, 0x3d]);
    expect([...matchedBytes(bytes, highlighter('1b 2c'))]).toEqual([0, 1, 1, 0]);
    // Half a byte's digits mark that byte; a match across bytes marks each.
    expect([...matchedBytes(bytes, highlighter('b 2'))]).toEqual([0, 1, 1, 0]);
    expect([...matchedBytes(bytes, highlighter('^0a', true))]).toEqual([1, 0, 0, 0]);
    expect([...matchedBytes(bytes, highlighter('ff'))]).toEqual([0, 0, 0, 0]);
  });

  it('marks only the part a filter searches (the first 1024 bytes)', () => {
    const bytes = new Uint8Array(2000).fill(0xab);
    const marks = matchedBytes(bytes, highlighter('ab ab ab ab'));
    expect(marks.length).toBe(1024);
    expect(marks.every((mark) => mark === 1)).toBe(true);
  });
});
