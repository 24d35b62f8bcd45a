import { useMemo } from 'preact/hooks';
import type { Highlighter } from '../session/match-ranges';
import { Highlighted } from './Highlighted';
import { VirtualLines } from './VirtualLines';

/** Texts up to this size render as one wrapped block; larger ones as windowed lines. */
const WHOLE_TEXT_LIMIT = 256 * 1024;
const SEGMENT = 160;

interface Props {
  text: string;
  testId: string;
  /** Marks the filter's matches; absent, the text renders as it is. */
  highlight?: Highlighter | null;
}

/**
 * A payload's text, whole: wrapped when small, windowed (lines cut every 160 chars) when large.
 * A windowed text is searched line by line, as only the lines in view exist: a match across a
 * cut goes unmarked or is marked in part, and anchors and lookarounds see each line alone.
 */
export function PayloadText({ text, testId, highlight }: Props) {
  const segments = useMemo(
    () => (text.length > WHOLE_TEXT_LIMIT ? segmentLines(text) : null),
    [text],
  );
  if (!segments) {
    return (
      <pre class="payload-text" data-testid={testId} tabIndex={0}>
        {highlight ? <Highlighted text={text} highlight={highlight} /> : text}
      </pre>
    );
  }
  return (
    <VirtualLines
      lineCount={segments.length / 2}
      line={(i) => text.slice(segments[i * 2]!, segments[i * 2 + 1]!)}
      label="Payload text"
      testId={testId}
      highlight={highlight}
    />
  );
}

/** Start/end offsets of display lines: each text line, cut into pieces of SEGMENT chars. */
function segmentLines(text: string): Uint32Array {
  const offsets: number[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    for (let piece = start; piece < end || piece === start; piece += SEGMENT) {
      offsets.push(piece, Math.min(end, piece + SEGMENT));
      if (piece + SEGMENT >= end) break;
    }
    start = end + 1;
  }
  return Uint32Array.from(offsets);
}
