import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { overflowingItems } from './overflow-fit';
import { useElementSize } from './use-element-size';
import './overflow-row.css';

export interface RowItem {
  id: string;
  /** Higher stays in the row longer; `Infinity` never leaves it. */
  priority: number;
  /**
   * For items that stretch (a search box, the spacer): the width they need, instead of the width
   * they happen to have.
   */
  minWidth?: number;
  render(where: 'row' | 'menu'): VNode | null;
}

interface Props {
  items: RowItem[];
  className: string;
  /** The accessible name of the row. */
  label: string;
  /** data-testid of the "more" button; its menu is `${moreTestId}-menu`. */
  moreTestId: string;
}

const MORE_BUTTON_WIDTH = 32;
const GAP = 6;

/**
 * One row of controls that never wraps: what does not fit moves, least important first, into a
 * menu behind a "more" button, as DevTools' toolbars do. Each control exists once, in the row or
 * in the menu (which stays in the document, hidden, so its controls keep their state).
 */
export function OverflowRow({ items, className, label, moreTestId }: Props) {
  const rowRef = useRef<HTMLDivElement>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(rowRef, { width: 0, height: 0 });
  const widths = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  const [open, setOpen] = useState(false);

  // Item widths come from a ResizeObserver, which reports after layout without forcing one: the
  // row does not measure on every render while traffic flows. Made during the first render, so
  // the items' refs of that render already find it.
  const [observer] = useState(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const element = entry.target as HTMLElement;
          const id = element.dataset.rowItem!;
          const itemWidth = Math.ceil(element.getBoundingClientRect().width);
          if (itemWidth > 0 && widths.current.get(id) !== itemWidth) {
            widths.current.set(id, itemWidth);
            changed = true;
          }
        }
        if (changed) setMeasured((count) => count + 1);
      }),
  );
  useEffect(() => () => observer.disconnect(), [observer]);
  // One ref callback per item, so an item that moves into the menu is no longer observed.
  const observed = useRef(new Map<string, HTMLElement>());
  const refs = useRef(new Map<string, (element: HTMLElement | null) => void>());
  const observe = (id: string) => {
    let ref = refs.current.get(id);
    if (!ref) {
      ref = (element: HTMLElement | null) => {
        const old = observed.current.get(id);
        if (old && old !== element) observer.unobserve(old);
        if (element) {
          observer.observe(element);
          observed.current.set(id, element);
        } else observed.current.delete(id);
      };
      refs.current.set(id, ref);
    }
    return ref;
  };

  void measured;
  const overflow =
    width === 0
      ? []
      : overflowingItems(
          items.map((item) => ({
            id: item.id,
            priority: item.priority,
            width: item.minWidth ?? widths.current.get(item.id) ?? 0,
          })),
          width,
          MORE_BUTTON_WIDTH,
          GAP,
        );
  const inMenu = items.filter((item) => overflow.includes(item.id));

  useEffect(() => {
    if (!open) return;
    const close = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!moreRef.current?.parentElement?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', close, true);
    return () => document.removeEventListener('pointerdown', close, true);
  }, [open]);

  return (
    <div class={`overflow-row ${className}`} role="toolbar" aria-label={label} ref={rowRef}>
      {items
        .filter((item) => !overflow.includes(item.id))
        .map((item) => (
          <div
            key={item.id}
            class={item.minWidth !== undefined ? 'row-item stretch' : 'row-item'}
            data-row-item={item.id}
            ref={item.minWidth === undefined ? observe(item.id) : undefined}
            style={item.minWidth !== undefined ? { minWidth: `${item.minWidth}px` } : undefined}
          >
            {item.render('row')}
          </div>
        ))}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: Escape closes the menu it holds */}
      <div
        class="row-more"
        hidden={inMenu.length === 0}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            event.stopPropagation();
            setOpen(false);
            moreRef.current?.focus();
          }
        }}
      >
        <button
          type="button"
          ref={moreRef}
          aria-label="More"
          aria-haspopup="true"
          aria-expanded={open}
          title={inMenu.length > 0 ? `More: ${inMenu.map((item) => item.id).join(', ')}` : 'More'}
          onClick={() => {
            setOpen(!open);
            // Into the menu, so its controls are the next keys' target.
            if (!open)
              setTimeout(
                () => menuRef.current?.querySelector<HTMLElement>('input, select, button')?.focus(),
                0,
              );
          }}
          data-testid={moreTestId}
        >
          ⋯
        </button>
        <div
          class="row-menu"
          role="group"
          aria-label={`More ${label.toLowerCase()} controls`}
          hidden={!open}
          ref={menuRef}
          data-testid={`${moreTestId}-menu`}
        >
          {inMenu.map((item) => (
            <div key={item.id} class="row-menu-item" data-row-item={item.id}>
              {item.render('menu')}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
