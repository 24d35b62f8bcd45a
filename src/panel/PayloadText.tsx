import { useMemo } from 'preact/hooks';
import { VirtualLines } from './VirtualLines';

/** Texts up to this size render as one wrapped block; larger ones as windowed lines. */
const WHOLE_TEXT_LIMIT = 256 * 1024;
const SEGMENT = 160;

/** A payload's text, whole: wrapped when small, windowed (lines cut every 160 chars) when large. */
export function PayloadText({ text, testId }: { text: string; testId: string }) {
  const segments = useMemo(
    () => (text.length > WHOLE_TEXT_LIMIT ? segmentLines(text) : null),
    [text],
  );
  if (!segments) {
    return (
      <pre class="payload-text" data-testid={testId} tabIndex={0}>
        {text}
      </pre>
    );
  }
  return (
    <VirtualLines
      lineCount={segments.length / 2}
      line={(i) => text.slice(segments[i * 2]!, segments[i * 2 + 1]!)}
      label="Payload text"
      testId={testId}
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
