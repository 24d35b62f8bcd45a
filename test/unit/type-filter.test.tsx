// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TypeFilter } from '../../src/panel/TypeFilter';
import type { FrameType } from '../../src/session/frame-filter';

let root: HTMLElement;
let chosen: FrameType[][];
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  chosen = [];
});
afterEach(() => {
  render(null, root);
  root.remove();
});

async function show(types: FrameType[]) {
  await act(() =>
    render(<TypeFilter types={types} onChange={(next) => chosen.push(next)} />, root),
  );
  await act(() => (root.querySelector('[data-testid="filter-type"]') as HTMLElement).click());
}
const box = (type: FrameType) =>
  root.querySelector(`[data-testid="filter-type-${type}"]`) as HTMLInputElement;

describe('the type filter', () => {
  it('shows every type checked when none is chosen, and unchecking one keeps the others', async () => {
    await show([]);
    expect(root.querySelector('[data-testid="filter-type"]')!.textContent).toContain('All types');
    expect(
      (['text', 'binary', 'close', 'error'] as const).map((type) => box(type).checked),
    ).toEqual([true, true, true, true]);
    await act(() => box('binary').click());
    expect(chosen).toEqual([['text', 'close', 'error']]);
  });

  it('adds a type to a choice, names the choice, and goes back to all when every box or none is checked', async () => {
    await show(['text']);
    expect(root.querySelector('[data-testid="filter-type"]')!.textContent).toContain('text');
    await act(() => box('error').click());
    await act(() => box('text').click());
    expect(chosen).toEqual([['text', 'error'], []]);
  });
});
