import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  type ColumnLayout,
  columnWidth,
  FRAME_COLUMNS,
  type FrameColumn,
  type FrameColumnId,
  gridTemplate,
  isSortableColumn,
  MAX_COLUMN_WIDTH,
  resetColumns,
  resizeColumn,
  sortOn,
  toggleColumn,
  visibleColumns,
} from './frame-columns';
import './popup.css';
import './frame-header.css';

interface Props {
  layout: ColumnLayout;
  onChange(layout: ColumnLayout): void;
  /** Columns hidden for want of room (column-fit.ts): the menu shows them, disabled. */
  noRoom?: FrameColumnId[];
}

/** Where the column menu opens, in viewport pixels. */
interface MenuPlace {
  x: number;
  y: number;
}

const KEY_STEP = 10;

/**
 * The frame table's header row: click a column to sort on it, drag or arrow its right edge to
 * resize it, right-click (or Shift+F10) for the menu that shows and hides columns.
 */
export function FrameTableHeader({ layout, onChange, noRoom = [] }: Props) {
  const row = useRef<HTMLDivElement>(null);
  const menuElement = useRef<HTMLDivElement>(null);
  const [menu, setMenu] = useState<MenuPlace | null>(null);
  // Set when the menu opens and kept by a second open (a keyboard-opened menu may also get the
  // browser's own contextmenu event), so Escape goes back to where the user was first.
  const returnFocus = useRef<HTMLElement | null>(null);
  const restoreFocus = useRef(false);

  const openMenu = (x: number, y: number) => {
    if (!returnFocus.current) {
      const active = document.activeElement;
      returnFocus.current = active instanceof HTMLElement ? active : null;
    }
    setMenu({ x, y });
  };
  const closeMenu = (restore: boolean) => {
    restoreFocus.current = restore;
    if (!restore) returnFocus.current = null;
    setMenu(null);
  };
  const choose = (next: ColumnLayout) => {
    onChange(next);
    closeMenu(true);
  };

  useLayoutEffect(() => {
    const element = menuElement.current;
    if (!menu || !element) return;
    // The size is only known once rendered; moving the element directly spares a second render.
    const { width, height } = element.getBoundingClientRect();
    element.style.left = `${Math.max(0, Math.min(menu.x, window.innerWidth - width))}px`;
    element.style.top = `${Math.max(0, Math.min(menu.y, window.innerHeight - height))}px`;
    element.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
  }, [menu]);

  useEffect(() => {
    if (!menu) {
      const target = returnFocus.current;
      returnFocus.current = null;
      if (!restoreFocus.current || !target) return;
      restoreFocus.current = false;
      // The column whose header had focus may just have been hidden: its neighbour row keeps it.
      const fallback = row.current?.querySelector<HTMLElement>('[role="columnheader"]');
      (target.isConnected ? target : fallback)?.focus();
      return;
    }
    const onPointerDown = (event: PointerEvent) => {
      if (!menuElement.current?.contains(event.target as Node)) closeMenu(false);
    };
    const onBlur = () => closeMenu(false);
    document.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('blur', onBlur);
    };
  }, [menu]);

  const onRowKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
    event.preventDefault();
    const rect = (event.target as HTMLElement).getBoundingClientRect();
    openMenu(rect.left, rect.bottom);
  };

  return (
    <>
      <div
        class="frame-header"
        role="row"
        ref={row}
        style={{ gridTemplateColumns: gridTemplate(layout) }}
        onContextMenu={(event) => {
          event.preventDefault();
          openMenu(event.clientX, event.clientY);
        }}
        onKeyDown={onRowKeyDown}
      >
        {visibleColumns(layout).map((column) => (
          <ColumnHeader key={column.id} column={column} layout={layout} onChange={onChange} />
        ))}
      </div>
      {menu && (
        <ColumnMenu
          place={menu}
          element={menuElement}
          layout={layout}
          noRoom={noRoom}
          onChoose={choose}
          onClose={() => closeMenu(true)}
        />
      )}
    </>
  );
}

interface ColumnProps {
  column: FrameColumn;
  layout: ColumnLayout;
  onChange(layout: ColumnLayout): void;
}

function ColumnHeader({ column, layout, onChange }: ColumnProps) {
  const { id } = column;
  const sortable = isSortableColumn(id);
  const sorted = layout.sort.column === id;
  const sort = () => {
    if (isSortableColumn(id)) onChange(sortOn(layout, id));
  };
  return (
    <div
      role="columnheader"
      class={`column-header${sortable ? ' sortable' : ''}`}
      tabIndex={0}
      aria-sort={sorted ? (layout.sort.descending ? 'descending' : 'ascending') : undefined}
      title={sortable ? `Sort by ${column.title.toLowerCase()}` : undefined}
      data-testid="column-header"
      data-column={id}
      onClick={sort}
      onKeyDown={(event) => {
        // Keys on the resize handle inside bubble here: they are the handle's, not a sort.
        if (event.target !== event.currentTarget) return;
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sort();
        }
      }}
    >
      <span class="column-title">{column.title}</span>
      {sorted && (
        <span class="sort-indicator" aria-hidden="true">
          {layout.sort.descending ? '▼' : '▲'}
        </span>
      )}
      {column.resizable && (
        <ColumnResizer
          column={column}
          width={columnWidth(layout, id)}
          onResize={(width) => onChange(resizeColumn(layout, id, width))}
        />
      )}
    </div>
  );
}

interface ResizerProps {
  column: FrameColumn;
  width: number;
  onResize(width: number): void;
}

interface Drag {
  pointerId: number;
  startX: number;
  startWidth: number;
}

function ColumnResizer({ column, width, onResize }: ResizerProps) {
  const drag = useRef<Drag | null>(null);
  const [dragging, setDragging] = useState(false);
  const end = () => {
    drag.current = null;
    setDragging(false);
  };
  return (
    <div
      role="separator"
      class={`column-resizer${dragging ? ' dragging' : ''}`}
      tabIndex={0}
      aria-orientation="vertical"
      aria-label={`Resize the ${column.title} column`}
      aria-valuenow={width}
      aria-valuemin={column.minWidth}
      aria-valuemax={MAX_COLUMN_WIDTH}
      data-testid="column-resizer"
      data-column={column.id}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        // No text selection while dragging, and the header underneath must not see a press.
        event.preventDefault();
        event.stopPropagation();
        event.currentTarget.setPointerCapture(event.pointerId);
        drag.current = { pointerId: event.pointerId, startX: event.clientX, startWidth: width };
        setDragging(true);
      }}
      onPointerMove={(event) => {
        const current = drag.current;
        if (current?.pointerId !== event.pointerId) return;
        onResize(current.startWidth + event.clientX - current.startX);
      }}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
      // The click that ends a drag would otherwise reach the header and sort it.
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        const step =
          event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0;
        if (step === 0) return;
        event.preventDefault();
        event.stopPropagation();
        onResize(width + step);
      }}
    />
  );
}

interface MenuProps {
  place: MenuPlace;
  element: { current: HTMLDivElement | null };
  layout: ColumnLayout;
  noRoom: FrameColumnId[];
  onChoose(layout: ColumnLayout): void;
  onClose(): void;
}

function ColumnMenu({ place, element, layout, noRoom, onChoose, onClose }: MenuProps) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' || event.key === 'Tab') {
      // The panel closes the details pane on Escape: this one is the menu's alone.
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    const items = [...(element.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const current = items.indexOf(document.activeElement as HTMLElement);
    let next: number;
    if (event.key === 'ArrowDown') next = (current + 1) % items.length;
    else if (event.key === 'ArrowUp') next = (current - 1 + items.length) % items.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else return;
    event.preventDefault();
    items[next]?.focus();
  };
  return (
    <div
      class="popup column-menu"
      role="menu"
      aria-label="Columns"
      ref={element}
      style={{ left: `${place.x}px`, top: `${place.y}px` }}
      data-testid="column-menu"
      onKeyDown={onKeyDown}
      // The pointer takes the highlight along, so arrows continue from where it is.
      onPointerOver={(event) => {
        const item = (event.target as Element).closest<HTMLElement>('[role^="menuitem"]');
        if (item && item !== document.activeElement) item.focus();
      }}
      onContextMenu={(event) => event.preventDefault()}
    >
      {FRAME_COLUMNS.filter((column) => column.hideable).map((column) => (
        <button
          key={column.id}
          type="button"
          role="menuitemcheckbox"
          tabIndex={-1}
          aria-checked={!layout.hidden.includes(column.id)}
          aria-disabled={noRoom.includes(column.id) || undefined}
          title={noRoom.includes(column.id) ? 'No room at this width: widen the table' : undefined}
          data-testid="column-toggle"
          data-column={column.id}
          onClick={() => {
            if (!noRoom.includes(column.id)) onChoose(toggleColumn(layout, column.id));
          }}
        >
          {column.title}
          {noRoom.includes(column.id) ? ' (no room)' : ''}
        </button>
      ))}
      <hr class="column-menu-separator" />
      <button
        type="button"
        role="menuitem"
        tabIndex={-1}
        data-testid="columns-reset"
        onClick={() => onChoose(resetColumns(layout))}
      >
        Reset columns
      </button>
    </div>
  );
}
