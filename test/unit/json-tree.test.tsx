// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonTree } from '../../src/panel/JsonTree';
import { childRanges, rangeLabel } from '../../src/session/json-ranges';

let root: HTMLElement;
let copied: Array<[string, string]>;
const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;
const $$ = (selector: string) => [...root.querySelectorAll(selector)] as HTMLElement[];
const item = (path: string) => $(`[data-path='${path}']`)!;
const range = (label: string) => $(`[data-range='${label}']`)!;
const press = (element: HTMLElement, key: string, init: KeyboardEventInit = {}) =>
  act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, ...init }));
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

async function show(value: unknown) {
  await act(() =>
    render(<JsonTree value={value} onCopy={(text, what) => copied.push([what, text])} />, root),
  );
}

describe('childRanges', () => {
  it('lists up to 100 children one by one', () => {
    expect(childRanges(0, 100)).toBeNull();
    expect(childRanges(0, 0)).toBeNull();
  });

  it('groups more in ranges of 100, the last one short', () => {
    expect(childRanges(0, 250)!.map(rangeLabel)).toEqual([
      '[0 … 99]',
      '[100 … 199]',
      '[200 … 249]',
    ]);
    expect(childRanges(0, 101)!.map(rangeLabel)).toEqual(['[0 … 99]', '[100 … 100]']);
  });

  it('uses ranges of 10,000 when 100 would make more than 100 ranges, and nests them', () => {
    const outer = childRanges(0, 1_000_000)!;
    expect(outer).toHaveLength(100);
    expect(rangeLabel(outer[1]!)).toBe('[10000 … 19999]');
    const inner = childRanges(outer[1]!.start, outer[1]!.end)!;
    expect(inner).toHaveLength(100);
    expect(rangeLabel(inner[0]!)).toBe('[10000 … 10099]');
    expect(childRanges(0, 10_000)).toHaveLength(100);
    expect(childRanges(0, 10_001)!.map(rangeLabel)).toEqual(['[0 … 9999]', '[10000 … 10000]']);
  });
});

describe('JsonTree', () => {
  it('groups a large array in ranges and renders children only when a range opens', async () => {
    await show({ items: Array.from({ length: 250 }, (_, i) => i) });
    expect($$('[data-range]').map((node) => node.dataset.range)).toEqual([
      '[0 … 99]',
      '[100 … 199]',
      '[200 … 249]',
    ]);
    expect($$('[data-path]').map((node) => node.dataset.path)).toEqual(['$', '$.items']);
    await act(() => range('[100 … 199]').querySelector('button')!.click());
    const paths = $$('[data-path]').map((node) => node.dataset.path);
    expect(paths).toHaveLength(102);
    expect(paths[2]).toBe('$.items[100]');
    expect(paths[101]).toBe('$.items[199]');
  });

  it('nests ranges for a very large array and keeps the DOM small', async () => {
    await show(Array.from({ length: 20_000 }, (_, i) => i));
    expect($$('[data-range]').map((node) => node.dataset.range)).toEqual([
      '[0 … 9999]',
      '[10000 … 19999]',
    ]);
    await act(() => range('[10000 … 19999]').querySelector('button')!.click());
    expect($$('[data-range]')).toHaveLength(102);
    await act(() => range('[10100 … 10199]').querySelector('button')!.click());
    expect($$('[data-path]')).toHaveLength(101);
    expect(item('$[10150]').textContent).toContain('10150');
  });

  it('groups a large object by key position, with paths by key', async () => {
    const big = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, i]));
    await show(big);
    await act(() => range('[100 … 149]').querySelector('button')!.click());
    expect(item('$.k120').textContent).toContain('"k120": 120');
  });

  it('is one tab stop, and the arrow keys move, open and close items', async () => {
    await show({ a: { b: [1, 2] }, c: 3 });
    const tree = $('[data-testid="json-tree"]')!;
    expect($$('[role="treeitem"]').filter((node) => node.tabIndex === 0)).toEqual([item('$')]);
    item('$').focus();
    await press(item('$'), 'ArrowDown');
    expect(document.activeElement).toBe(item('$.a'));
    expect($$('[role="treeitem"]').filter((node) => node.tabIndex === 0)).toEqual([item('$.a')]);
    // $.a starts open (depth 1): ArrowLeft closes it, Enter opens it again, Space closes it.
    await press(item('$.a'), 'ArrowLeft');
    expect(item('$.a').getAttribute('aria-expanded')).toBe('false');
    expect($("[data-path='$.a.b']")).toBeNull();
    await press(item('$.a'), 'Enter');
    expect(item('$.a.b').getAttribute('aria-expanded')).toBe('false');
    await press(item('$.a'), ' ');
    expect(item('$.a').getAttribute('aria-expanded')).toBe('false');
    await press(item('$.a'), 'ArrowRight');
    await press(item('$.a'), 'ArrowRight');
    expect(document.activeElement).toBe(item('$.a.b'));
    await press(item('$.a.b'), 'ArrowRight');
    expect(item('$.a.b[1]')).not.toBeNull();
    await press(item('$.a.b'), 'End');
    expect(document.activeElement).toBe(item('$.c'));
    await press(item('$.c'), 'ArrowUp');
    expect(document.activeElement).toBe(item('$.a.b[1]'));
    await press(item('$.a.b[1]'), 'ArrowLeft');
    expect(document.activeElement).toBe(item('$.a.b'));
    await press(item('$.a.b'), 'Home');
    expect(document.activeElement).toBe(tree.querySelector('[data-path="$"]'));
  });

  it("copies the focused item's value with C and its path with P", async () => {
    await show({ user: { name: 'Ada', tags: ['x'] } });
    await press(item('$.user'), 'c');
    await press(item('$.user.name'), 'p');
    await press(item('$.user.tags'), 'P');
    expect(copied).toEqual([
      ['value', JSON.stringify({ name: 'Ada', tags: ['x'] }, null, 2)],
      ['path', '$.user.name'],
      ['path', '$.user.tags'],
    ]);
    // A key pressed in a child is the child's, never its parents' too.
    await press(item('$.user.name'), 'c');
    expect(copied.at(-1)).toEqual(['value', '"Ada"']);
    expect(copied).toHaveLength(4);
    // Ctrl+C is the browser's copy of a text selection, not ours.
    await press(item('$.user.name'), 'c', { ctrlKey: true });
    expect(copied).toHaveLength(4);
  });

  it('keeps the copy buttons', async () => {
    await show({ a: 1 });
    await act(() => $('[aria-label="Copy path $.a"]')!.click());
    await act(() => $('[aria-label="Copy value of $.a"]')!.click());
    expect(copied).toEqual([
      ['path', '$.a'],
      ['value', '1'],
    ]);
  });
});
