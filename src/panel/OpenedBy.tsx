import type { Connection } from '../session/session-model';
import { describeFrame } from '../session/stack-frames';
import { copyAndSay } from './clipboard';
import type { PanelState } from './panel-state';

/**
 * Where the page opened a connection: its stack at `new WebSocket()`, innermost call first.
 * Each place opens the script in DevTools' Sources where the browser allows it.
 */
export function OpenedBy({ state, connection }: { state: PanelState; connection: Connection }) {
  const frames = connection.initiator;
  const { openSource } = state;
  const notice = (message: string) => {
    state.notice.value = message;
  };
  return (
    <section class="pane-section opened-by" aria-label="Opened by" data-testid="opened-by">
      <div class="section-title">
        <h3>Opened by</h3>
        {frames && frames.length > 0 && (
          <button
            type="button"
            data-testid="opened-by-copy"
            onClick={() => copyAndSay(frames.map(describeFrame).join('\n'), 'the stack', notice)}
          >
            Copy
          </button>
        )}
      </div>
      {frames && frames.length > 0 ? (
        <ol class="stack-frames">
          {frames.map((frame, i) => (
            // Frames may repeat (recursion): the place keeps the key unique.
            <li key={`${i}:${describeFrame(frame)}`} data-testid="initiator-frame">
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
        <p class="muted" data-testid="opened-by-missing">
          {connection.imported
            ? 'The file does not say.'
            : 'No stack: opened by the panel, or the page customises stack formatting (Error.prepareStackTrace), where Sockscope takes none.'}
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
