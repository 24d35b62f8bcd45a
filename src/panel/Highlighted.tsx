import { useMemo } from 'preact/hooks';
import type { Highlighter } from '../session/match-ranges';
import './highlight.css';

interface Props {
  text: string;
  /** Keep it stable (memoize it): the text is searched again whenever it changes. */
  highlight: Highlighter | null | undefined;
}

/**
 * A text with its matches in marks. It renders no element of its own, so it can sit inside any
 * existing span or line.
 */
export function Highlighted({ text, highlight }: Props) {
  const ranges = useMemo(() => (highlight ? highlight(text) : []), [text, highlight]);
  if (ranges.length === 0) return <>{text}</>;
  const parts = [];
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = ranges[i + 1]!;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} class="match" data-testid="match">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
