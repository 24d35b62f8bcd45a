import type { FrameType } from '../session/frame-filter';
import { PopupButton } from './PopupButton';

const TYPES: FrameType[] = ['text', 'binary', 'close', 'error'];

interface Props {
  /** The types shown; empty means all. */
  types: FrameType[];
  onChange(types: FrameType[]): void;
}

/** The frame types to show, several at once: a button naming the choice, and a popup of boxes. */
export function TypeFilter({ types, onChange }: Props) {
  const shown =
    types.length === 0 || types.length === TYPES.length ? 'All types' : types.join(', ');
  return (
    <PopupButton
      label={`${shown} ▾`}
      buttonLabel={`Types: ${shown}`}
      popupLabel="Frame types to show"
      testId="filter-type"
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
    </PopupButton>
  );
}
