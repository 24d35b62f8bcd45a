import { browserSnippet, nodeSnippet } from '../session/copy-as-code';
import type { Connection } from '../session/session-model';
import { copyAndSay } from './clipboard';
import type { PanelState } from './panel-state';

/** "Copy as JS" and "Copy as Node.js": a snippet that reopens the connection and sends its frames. */
export function CopyAsCode({ state, connection }: { state: PanelState; connection: Connection }) {
  const copySnippet = async (kind: 'browser' | 'node') => {
    const frames = state.session.frames.filter((frame) => frame.connectionKey === connection.key);
    await copyAndSay(
      kind === 'browser' ? browserSnippet(connection, frames) : nodeSnippet(connection, frames),
      `${connection.url} as ${kind === 'browser' ? 'browser JavaScript' : 'Node.js (ws)'}`,
      (message) => {
        state.notice.value = message;
      },
    );
  };
  return (
    <div class="copy-as-code">
      <button type="button" onClick={() => copySnippet('browser')} data-testid="copy-as-js">
        Copy as JS
      </button>
      <button type="button" onClick={() => copySnippet('node')} data-testid="copy-as-node">
        Copy as Node.js
      </button>
    </div>
  );
}
