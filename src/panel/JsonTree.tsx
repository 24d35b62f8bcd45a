import { useState } from 'preact/hooks';
import { jsonPath, type PathSegment } from '../session/json-path';

const CHILDREN_PER_PAGE = 500;

interface Props {
  value: unknown;
  onCopy(text: string, what: string): void;
}

/** A JSON document as a collapsible tree; children render only when their parent is open. */
export function JsonTree({ value, onCopy }: Props) {
  return (
    <div class="json-tree" role="tree" aria-label="JSON" data-testid="json-tree">
      <JsonNode name={null} value={value} path={[]} depth={0} onCopy={onCopy} />
    </div>
  );
}

interface NodeProps {
  name: PathSegment | null;
  value: unknown;
  path: PathSegment[];
  depth: number;
  onCopy(text: string, what: string): void;
}

function JsonNode({ name, value, path, depth, onCopy }: NodeProps) {
  const [open, setOpen] = useState(depth < 2);
  const [shown, setShown] = useState(CHILDREN_PER_PAGE);
  const isContainer = typeof value === 'object' && value !== null;
  const entries: Array<[PathSegment, unknown]> = isContainer
    ? Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value)
    : [];
  const label =
    name === null ? '' : typeof name === 'number' ? `${name}: ` : `${JSON.stringify(name)}: `;
  const summary = Array.isArray(value) ? `Array(${entries.length})` : `{${entries.length} keys}`;
  const copyButtons = (
    <span class="json-actions">
      <button
        type="button"
        aria-label={`Copy value of ${jsonPath(path)}`}
        onClick={() => onCopy(JSON.stringify(value, null, 2), 'value')}
      >
        copy value
      </button>
      <button
        type="button"
        aria-label={`Copy path ${jsonPath(path)}`}
        onClick={() => onCopy(jsonPath(path), 'path')}
      >
        copy path
      </button>
    </span>
  );
  if (!isContainer) {
    return (
      <div class="json-node" role="treeitem" aria-selected={false} data-path={jsonPath(path)}>
        <span class="json-key">{label}</span>
        <span class={`json-${value === null ? 'null' : typeof value}`}>
          {JSON.stringify(value)}
        </span>
        {copyButtons}
      </div>
    );
  }
  return (
    <div
      class="json-node"
      role="treeitem"
      aria-expanded={open}
      aria-selected={false}
      data-path={jsonPath(path)}
    >
      <button
        type="button"
        class="json-toggle"
        onClick={() => setOpen(!open)}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${jsonPath(path)}`}
      >
        {open ? '▾' : '▸'}
      </button>
      <span class="json-key">{label}</span>
      <span class="json-summary">{summary}</span>
      {copyButtons}
      {open && (
        <div class="json-children" role="group">
          {entries.slice(0, shown).map(([key, child]) => (
            <JsonNode
              key={String(key)}
              name={key}
              value={child}
              path={[...path, key]}
              depth={depth + 1}
              onCopy={onCopy}
            />
          ))}
          {entries.length > shown && (
            <button
              type="button"
              class="json-more"
              onClick={() => setShown(shown + CHILDREN_PER_PAGE)}
            >
              Show {Math.min(CHILDREN_PER_PAGE, entries.length - shown)} more of{' '}
              {entries.length - shown}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
