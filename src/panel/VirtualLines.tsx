import type { Highlighter } from '../session/match-ranges';
import { Highlighted } from './Highlighted';
import { useViewport, visibleRange } from './use-viewport';

const LINE_HEIGHT = 16;

interface Props {
  lineCount: number;
  line(index: number): string;
  label: string;
  testId?: string;
  /** Marks matches within each line on its own: one that crosses a line's end is not joined. */
  highlight?: Highlighter | null;
}

/** A windowed, monospaced view of many lines: only those in view exist in the DOM. */
export function VirtualLines({ lineCount, line, label, testId, highlight }: Props) {
  const { ref, scrollTop, height, onScroll } = useViewport<HTMLElement>();
  const { first, last } = visibleRange(scrollTop, height, LINE_HEIGHT, lineCount);
  const lines = [];
  for (let i = first; i < last; i++) {
    lines.push(
      <div key={i} class="virtual-line" style={{ top: `${i * LINE_HEIGHT}px` }}>
        {highlight ? <Highlighted text={line(i)} highlight={highlight} /> : line(i)}
      </div>,
    );
  }
  return (
    <section
      class="virtual-lines"
      ref={ref}
      onScroll={onScroll}
      aria-label={label}
      data-testid={testId}
      tabIndex={0}
    >
      <div style={{ height: `${lineCount * LINE_HEIGHT}px`, position: 'relative' }}>{lines}</div>
    </section>
  );
}
