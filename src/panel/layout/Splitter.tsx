import { useRef } from 'preact/hooks';

interface Props {
  /** `vertical`: a bar between regions side by side (drag left/right); `horizontal`: stacked. */
  orientation: 'vertical' | 'horizontal';
  /** The size of the region the splitter resizes, in CSS pixels. */
  size: number;
  min: number;
  max: number;
  /**
   * Which side of the splitter the resized region is on: dragging toward it shrinks it. The
   * sidebar is before its splitter; the details are after theirs.
   */
  region: 'before' | 'after';
  label: string;
  testId: string;
  /** Called while dragging; `done` once the drag or key press ends (the moment to save). */
  onResize(size: number, done: boolean): void;
}

const KEY_STEP = 16;

/** A draggable bar between two regions, also moved by arrow keys (a focusable separator). */
export function Splitter({ orientation, size, min, max, region, label, testId, onResize }: Props) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const vertical = orientation === 'vertical';
  const clamp = (value: number) => Math.round(Math.max(min, Math.min(max, value)));
  const sizeAt = (event: PointerEvent) => {
    const start = drag.current!;
    const moved = (vertical ? event.clientX : event.clientY) - start.start;
    return clamp(region === 'before' ? start.size + moved : start.size - moved);
  };
  return (
    <div
      class={`splitter ${orientation}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
        drag.current = { start: vertical ? event.clientX : event.clientY, size };
      }}
      onPointerMove={(event) => {
        if (drag.current) onResize(sizeAt(event), false);
      }}
      onPointerUp={(event) => {
        if (!drag.current) return;
        onResize(sizeAt(event), true);
        drag.current = null;
      }}
      onPointerCancel={() => {
        drag.current = null;
      }}
      onKeyDown={(event) => {
        const grow = vertical ? 'ArrowRight' : 'ArrowDown';
        const shrink = vertical ? 'ArrowLeft' : 'ArrowUp';
        let step = 0;
        if (event.key === grow) step = KEY_STEP;
        else if (event.key === shrink) step = -KEY_STEP;
        else return;
        event.preventDefault();
        onResize(clamp(size + (region === 'before' ? step : -step)), true);
      }}
    />
  );
}
