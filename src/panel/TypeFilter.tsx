import { useRef, useState } from 'preact/hooks';
import type { FrameType } from '../session/frame-filter';
import './popup.css';

const TYPES: FrameType[] = ['text', 'binary', 'close', 'error'];

interface Props {
  /** The types shown; empty means all. */
  types: FrameType[];
  onChange(types: FrameType[]): void;
}

/** The frame types to show, several at once: a button naming the choice, and a popup of boxes. */
export function TypeFilter({ types, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const shown =
    types.length === 0 || types.length === TYPES.length ? 'All types' : types.join(', ');
  return (
    <span class="popup-anchor">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-label={`Types: ${shown}`}
        onClick={() => setOpen(!open)}
        data-testid="filter-type"
      >
        {shown} ▾
      </button>
      {open && (
        <div
          class="popup"
          role="group"
          aria-label="Frame types to show"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              setOpen(false);
              toggle.current?.focus();
            }
          }}
        >
          {TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={types.length === 0 || types.includes(type)}
                onChange={(event) => {
                  const checked = (event.target as HTMLInputElement).checked;
                  const current = types.length === 0 ? TYPES : types;
                  const next = TYPES.filter((item) =>
                    item === type ? checked : current.includes(item),
                  );
                  // Every type, or none, shows everything: the filter keeps no empty choice.
                  onChange(next.length === TYPES.length || next.length === 0 ? [] : next);
                }}
                data-testid={`filter-type-${type}`}
              />{' '}
              {type}
            </label>
          ))}
        </div>
      )}
    </span>
  );
}
