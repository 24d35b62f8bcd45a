// @vitest-environment happy-dom
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameTableHeader } from '../../src/panel/FrameTableHeader';
import { type ColumnLayout, DEFAULT_COLUMN_LAYOUT } from '../../src/panel/frame-columns';

let root: HTMLElement;
let changes: ColumnLayout[];
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  changes = [];
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function Harness({ initial }: { initial: ColumnLayout }) {
  const [layout, setLayout] = useState(initial);
  return (
    <FrameTableHeader
      layout={layout}
      onChange={(next) => {
        changes.push(next);
        setLayout(next);
      }}
    />
  );
}

async function show(initial: ColumnLayout = DEFAULT_COLUMN_LAYOUT) {
  await act(() => render(<Harness initial={initial} />, root));
}

const $ = (selector: string) => root.querySelector<HTMLElement>(selector);
const header = (column: string) => $(`[data-testid="column-header"][data-column="${column}"]`);
const resizer = (column: string) => $(`[data-testid="column-resizer"][data-column="${column}"]`);
const headerIds = () =>
  [...root.querySelectorAll<HTMLElement>('[data-testid="column-header"]')].map(
    (element) => element.dataset.column,
  );
const menu = () => $('[data-testid="column-menu"]');
const toggle = (column: string) => $(`[data-testid="column-toggle"][data-column="${column}"]`);

async function key(target: HTMLElement, init: KeyboardEventInit) {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

async function rightClick(target: HTMLElement, clientX = 40, clientY = 10) {
  const event = new MouseEvent('contextmenu', {
    bubbles: true,
    cancelable: true,
    clientX,
    clientY,
  });
  await act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

describe('the frame table header', () => {
  it('shows every column with the grid template, time sorted ascending', async () => {
    await show();
    expect(headerIds()).toEqual([
      'direction',
      'connection',
      'time',
      'type',
      'size',
      'latency',
      'data',
    ]);
    expect($('.frame-header')!.style.gridTemplateColumns).toBe(
      '90px 120px 95px 55px 80px 70px minmax(80px, 1fr)',
    );
    expect(header('time')!.getAttribute('aria-sort')).toBe('ascending');
    expect(header('time')!.textContent).toContain('▲');
    expect(header('size')!.hasAttribute('aria-sort')).toBe(false);
    expect(resizer('data')).toBeNull();
  });

  it('sorts on a click, flips on a second, and ignores a column that does not sort', async () => {
    await show();
    await act(() => header('size')!.click());
    expect(header('size')!.getAttribute('aria-sort')).toBe('ascending');
    expect(header('time')!.hasAttribute('aria-sort')).toBe(false);
    await act(() => header('size')!.click());
    expect(header('size')!.getAttribute('aria-sort')).toBe('descending');
    expect(header('size')!.textContent).toContain('▼');
    await act(() => header('connection')!.click());
    expect(changes.map((layout) => layout.sort)).toEqual([
      { column: 'size', descending: false },
      { column: 'size', descending: true },
    ]);
  });

  it('sorts from the keyboard on Enter', async () => {
    await show();
    await key(header('type')!, { key: 'Enter' });
    expect(header('type')!.getAttribute('aria-sort')).toBe('ascending');
  });

  it('hides a column from the context menu, which then closes', async () => {
    await show();
    const event = await rightClick(header('type')!);
    expect(event.defaultPrevented).toBe(true);
    expect(menu()!.getAttribute('role')).toBe('menu');
    expect(toggle('size')!.getAttribute('role')).toBe('menuitemcheckbox');
    expect(toggle('size')!.getAttribute('aria-checked')).toBe('true');
    await act(() => toggle('size')!.click());
    expect(menu()).toBeNull();
    expect(headerIds()).toEqual(['direction', 'connection', 'time', 'type', 'latency', 'data']);
    expect(changes.at(-1)!.hidden).toEqual(['size']);
    await rightClick(header('type')!);
    expect(toggle('size')!.getAttribute('aria-checked')).toBe('false');
  });

  it('offers no way to hide the data column', async () => {
    await show();
    await rightClick(header('data')!);
    expect(menu()).not.toBeNull();
    expect(toggle('data')).toBeNull();
    expect(
      [...root.querySelectorAll<HTMLElement>('[data-testid="column-toggle"]')].map(
        (element) => element.dataset.column,
      ),
    ).toEqual(['direction', 'connection', 'time', 'type', 'size', 'latency']);
  });

  it('resets hidden columns and widths', async () => {
    await show({ widths: { time: 200 }, hidden: ['direction'], sort: DEFAULT_COLUMN_LAYOUT.sort });
    await rightClick(header('time')!);
    await act(() => $('[data-testid="columns-reset"]')!.click());
    expect(headerIds()).toHaveLength(7);
    expect(resizer('time')!.getAttribute('aria-valuenow')).toBe('95');
  });

  it('opens on Shift+F10, moves with arrows, and closes on Escape with focus back', async () => {
    await show();
    header('time')!.focus();
    await key(header('time')!, { key: 'F10', shiftKey: true });
    expect(menu()).not.toBeNull();
    expect(document.activeElement).toBe(toggle('direction'));
    await key(document.activeElement as HTMLElement, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(toggle('connection'));
    await key(document.activeElement as HTMLElement, { key: 'ArrowUp' });
    await key(document.activeElement as HTMLElement, { key: 'ArrowUp' });
    expect(document.activeElement).toBe($('[data-testid="columns-reset"]'));

    let reachedDocument = false;
    const listener = () => {
      reachedDocument = true;
    };
    document.addEventListener('keydown', listener);
    await key(document.activeElement as HTMLElement, { key: 'Escape' });
    document.removeEventListener('keydown', listener);
    expect(reachedDocument).toBe(false);
    expect(menu()).toBeNull();
    expect(document.activeElement).toBe(header('time'));
    expect(changes).toEqual([]);
  });

  it('opens on the ContextMenu key too', async () => {
    await show();
    header('size')!.focus();
    await key(header('size')!, { key: 'ContextMenu' });
    expect(menu()).not.toBeNull();
  });

  it('moves the highlight with the pointer, so arrows go on from there', async () => {
    await show();
    await rightClick(header('time')!);
    await act(() => {
      toggle('type')!.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    });
    expect(document.activeElement).toBe(toggle('type'));
    await key(toggle('type')!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(toggle('size'));
  });

  it('closes on a pointer press outside it, but not inside it', async () => {
    await show();
    await rightClick(header('time')!);
    await act(() => {
      toggle('type')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    });
    expect(menu()).not.toBeNull();
    await act(() => {
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    });
    expect(menu()).toBeNull();
  });

  it('opens at the pointer, kept within the window', async () => {
    await show();
    await rightClick(header('time')!, 70, 12);
    expect(menu()!.style.left).toBe('70px');
    expect(menu()!.style.top).toBe('12px');
    await act(() => {
      document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    });
    await rightClick(header('time')!, window.innerWidth + 500, window.innerHeight + 500);
    expect(Number.parseFloat(menu()!.style.left)).toBeLessThanOrEqual(window.innerWidth);
    expect(Number.parseFloat(menu()!.style.top)).toBeLessThanOrEqual(window.innerHeight);
  });

  it('resizes a column with the arrow keys, 10 px a press, within its bounds', async () => {
    await show();
    const handle = resizer('time')!;
    expect(handle.getAttribute('role')).toBe('separator');
    expect(handle.getAttribute('aria-orientation')).toBe('vertical');
    expect(handle.tabIndex).toBe(0);
    await key(handle, { key: 'ArrowRight' });
    expect(resizer('time')!.getAttribute('aria-valuenow')).toBe('105');
    expect($('.frame-header')!.style.gridTemplateColumns).toBe(
      '90px 120px 105px 55px 80px 70px minmax(80px, 1fr)',
    );
    for (let i = 0; i < 10; i++) await key(resizer('time')!, { key: 'ArrowLeft' });
    expect(resizer('time')!.getAttribute('aria-valuenow')).toBe('50');
    expect(header('time')!.hasAttribute('aria-sort')).toBe(true);
    expect(changes.every((layout) => layout.sort.column === 'time')).toBe(true);
  });

  it('resizes a column by dragging its edge, without sorting it', async () => {
    await show();
    const handle = resizer('size')!;
    const pointer = (type: string, clientX: number) =>
      act(() => {
        handle.dispatchEvent(
          new PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 1, clientX }),
        );
      });
    await pointer('pointerdown', 300);
    await pointer('pointermove', 340);
    expect(resizer('size')!.getAttribute('aria-valuenow')).toBe('120');
    await pointer('pointermove', 200);
    await pointer('pointerup', 200);
    await act(() => handle.click());
    await pointer('pointermove', 500);
    expect(changes.map((layout) => layout.widths.size)).toEqual([120, 40]);
    expect(changes.every((layout) => layout.sort.column === 'time')).toBe(true);
  });
});
