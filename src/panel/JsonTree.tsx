import { useMemo, useState } from 'preact/hooks';
import { jsonPath, type PathSegment } from '../session/json-path';
import { type ChildRange, childRanges, rangeLabel } from '../session/json-ranges';
import type { Highlighter } from '../session/match-ranges';
import { Highlighted } from './Highlighted';
import './details.css';

interface Props {
  value: unknown;
  onCopy(text: string, what: string): void;
  /** Marks the filter's matches in keys and in string and number values. */
  highlight?: Highlighter | null;
}

const KEY_HELP =
  'Arrow keys move and open, Enter or Space opens and closes, C copies the value, P copies the path';

/**
 * A JSON document as a collapsible tree; children render only when their parent is open, and
 * more than a hundred children are grouped in ranges. The tree is one tab stop: arrow keys move
 * between items (roving tabindex), and every action has a key as well as a button.
 */
export function JsonTree({ value, onCopy, highlight }: Props) {
  const onKeyDown = (event: KeyboardEvent) => {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    const tree = event.currentTarget as HTMLElement;
    if (!item) return;
    const items = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
    const at = items.indexOf(item);
    let next: HTMLElement | undefined;
    if (event.key === 'ArrowDown') next = items[at + 1];
    else if (event.key === 'ArrowUp') next = items[at - 1];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items[items.length - 1];
    else return;
    event.preventDefault();
    if (next) focusItem(tree, next);
  };
  return (
    <div
      class="json-tree"
      role="tree"
      aria-label="JSON"
      aria-description={KEY_HELP}
      title={KEY_HELP}
      data-testid="json-tree"
      onKeyDown={onKeyDown}
      onFocusIn={(event) => {
        const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
        if (item) focusItem(event.currentTarget as HTMLElement, item, false);
      }}
    >
      <JsonNode
        name={null}
        value={value}
        path={[]}
        depth={0}
        onCopy={onCopy}
        highlight={highlight}
      />
    </div>
  );
}

/** Makes `item` the tree's one tab stop, and focuses it. */
function focusItem(tree: HTMLElement, item: HTMLElement, focus = true) {
  for (const other of tree.querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]')) {
    if (other !== item) other.tabIndex = -1;
  }
  item.tabIndex = 0;
  if (focus) item.focus();
}

/** Keys an item handles itself: open, close, go to the parent or first child, copy. */
function itemKeys(
  event: KeyboardEvent,
  open: boolean | undefined,
  setOpen: (open: boolean) => void,
  copy?: { value(): void; path(): void },
) {
  const item = event.currentTarget as HTMLElement;
  if (event.target !== item || event.ctrlKey || event.metaKey || event.altKey) return;
  const tree = item.closest<HTMLElement>('[role="tree"]')!;
  const key = event.key;
  if ((key === 'Enter' || key === ' ') && open !== undefined) setOpen(!open);
  else if (key === 'ArrowRight' && open === false) setOpen(true);
  else if (key === 'ArrowRight' && open) {
    const child = item.querySelector<HTMLElement>('[role="treeitem"]');
    if (child) focusItem(tree, child);
  } else if (key === 'ArrowLeft' && open) setOpen(false);
  else if (key === 'ArrowLeft') {
    const parent = item.parentElement?.closest<HTMLElement>('[role="treeitem"]');
    if (parent) focusItem(tree, parent);
  } else if ((key === 'c' || key === 'C') && copy) copy.value();
  else if ((key === 'p' || key === 'P') && copy) copy.path();
  else return;
  event.preventDefault();
  event.stopPropagation();
}

interface NodeProps {
  name: PathSegment | null;
  value: unknown;
  path: PathSegment[];
  depth: number;
  onCopy(text: string, what: string): void;
  highlight: Highlighter | null | undefined;
}

function JsonNode({ name, value, path, depth, onCopy, highlight }: NodeProps) {
  const [open, setOpen] = useState(depth < 2);
  const isContainer = typeof value === 'object' && value !== null;
  // Keys, for an object; an array's children are read by index, so a huge one costs no list.
  const keys = useMemo(
    () => (isContainer && !Array.isArray(value) ? Object.keys(value) : null),
    [value, isContainer],
  );
  const count = Array.isArray(value) ? value.length : (keys?.length ?? 0);
  const label =
    name === null ? '' : typeof name === 'number' ? `${name}: ` : `${JSON.stringify(name)}: `;
  const where = jsonPath(path);
  const copy = {
    value: () => onCopy(JSON.stringify(value, null, 2), 'value'),
    path: () => onCopy(where, 'path'),
  };
  const row = (
    <span class="json-row">
      {isContainer ? (
        <button
          type="button"
          class="json-toggle"
          tabIndex={-1}
          onClick={() => setOpen(!open)}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${where}`}
        >
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span class="json-toggle-space" />
      )}
      <span class="json-key">
        {highlight && typeof name === 'string' ? (
          // Searched as quoted, as the key is written in the payload the filter searched.
          <>
            <Highlighted text={JSON.stringify(name)} highlight={highlight} />
            {': '}
          </>
        ) : (
          label
        )}
      </span>
      {isContainer ? (
        <span class="json-summary">
          {Array.isArray(value) ? `Array(${count})` : `{${count} keys}`}
        </span>
      ) : (
        <span class={`json-${value === null ? 'null' : typeof value}`}>
          {highlight && (typeof value === 'string' || typeof value === 'number') ? (
            <Highlighted text={JSON.stringify(value)} highlight={highlight} />
          ) : (
            JSON.stringify(value)
          )}
        </span>
      )}
      <span class="json-actions">
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Copy value of ${where}`}
          title="Copy value (C)"
          onClick={copy.value}
        >
          copy value
        </button>
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Copy path ${where}`}
          title="Copy path (P)"
          onClick={copy.path}
        >
          copy path
        </button>
      </span>
    </span>
  );
  const childAt = (index: number) => {
    const key: PathSegment = keys ? keys[index]! : index;
    return (
      <JsonNode
        key={String(key)}
        name={key}
        value={(value as Record<PathSegment, unknown>)[key]}
        path={[...path, key]}
        depth={depth + 1}
        onCopy={onCopy}
        highlight={highlight}
      />
    );
  };
  return (
    <div
      class="json-node"
      role="treeitem"
      tabIndex={depth === 0 ? 0 : -1}
      aria-expanded={isContainer ? open : undefined}
      aria-selected={false}
      aria-label={`${where} ${isContainer ? '' : JSON.stringify(value)}`.trim()}
      data-path={where}
      onKeyDown={(event) => itemKeys(event, isContainer ? open : undefined, setOpen, copy)}
    >
      {row}
      {isContainer && open && (
        <div class="json-children" role="group">
          <Children start={0} end={count} childAt={childAt} />
        </div>
      )}
    </div>
  );
}

/** Children start..end: each one, or ranges of them when there are too many. */
function Children({
  start,
  end,
  childAt,
}: {
  start: number;
  end: number;
  childAt(index: number): preact.JSX.Element;
}) {
  const ranges = childRanges(start, end);
  if (!ranges) {
    const children = [];
    for (let i = start; i < end; i++) children.push(childAt(i));
    return <>{children}</>;
  }
  return (
    <>
      {ranges.map((range) => (
        <JsonRange key={range.start} range={range} childAt={childAt} />
      ))}
    </>
  );
}

function JsonRange({
  range,
  childAt,
}: {
  range: ChildRange;
  childAt(index: number): preact.JSX.Element;
}) {
  const [open, setOpen] = useState(false);
  const label = rangeLabel(range);
  return (
    <div
      class="json-node json-range"
      role="treeitem"
      tabIndex={-1}
      aria-expanded={open}
      aria-selected={false}
      aria-label={label}
      data-range={label}
      onKeyDown={(event) => itemKeys(event, open, setOpen)}
    >
      <span class="json-row">
        <button
          type="button"
          class="json-toggle"
          tabIndex={-1}
          onClick={() => setOpen(!open)}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}
        >
          {open ? '▾' : '▸'}
        </button>
        <span class="json-range-label">{label}</span>
      </span>
      {open && (
        <div class="json-children" role="group">
          <Children start={range.start} end={range.end} childAt={childAt} />
        </div>
      )}
    </div>
  );
}
