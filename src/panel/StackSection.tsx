import { describeFrame, type StackFrame } from '../session/stack-frames';
import { copyAndSay } from './clipboard';

interface Props {
  title: string;
  /** The section's test id; its frames are `${frameTestId}`, its copy button `${testId}-copy`. */
  testId: string;
  frameTestId: string;
  /** Innermost call first; empty or absent when there is no stack. */
  frames: readonly StackFrame[] | undefined;
  /** Why there is no stack, when there is none. */
  missing: string;
  /** Opens a script at a place in DevTools' Sources, where the browser allows it. */
  openSource?: (url: string, line: number, column: number) => void;
  onNotice(message: string): void;
}

/** A page's stack as a list of calls, each linking to its script, copyable as text. */
export function StackSection({
  title,
  testId,
  frameTestId,
  frames,
  missing,
  openSource,
  onNotice,
}: Props) {
  return (
    <section class="pane-section stack-section" aria-label={title} data-testid={testId}>
      <div class="section-title">
        <h3>{title}</h3>
        {frames && frames.length > 0 && (
          <button
            type="button"
            data-testid={`${testId}-copy`}
            onClick={() => copyAndSay(frames.map(describeFrame).join('\n'), 'the stack', onNotice)}
          >
            Copy
          </button>
        )}
      </div>
      {frames && frames.length > 0 ? (
        <ol class="stack-frames">
          {frames.map((frame, i) => (
            // Frames may repeat (recursion): the place keeps the key unique.
            <li key={`${i}:${describeFrame(frame)}`} data-testid={frameTestId}>
              <span class="function-name">{frame.functionName || '(anonymous)'}</span>{' '}
              {openSource ? (
                <button
                  type="button"
                  class="link"
                  title="Open in Sources"
                  onClick={() => openSource(frame.url, frame.lineNumber, frame.columnNumber)}
                >
                  {placeOf(frame.url, frame.lineNumber, frame.columnNumber)}
                </button>
              ) : (
                <span class="place" title={frame.url}>
                  {placeOf(frame.url, frame.lineNumber, frame.columnNumber)}
                </span>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted" data-testid={`${testId}-missing`}>
          {missing}
        </p>
      )}
    </section>
  );
}

/** "file.js:12:5", the script's last path segment (its whole URL is the title). */
function placeOf(url: string, line: number, column: number): string {
  const file =
    url
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() || url;
  return `${file}:${line}:${column}`;
}
