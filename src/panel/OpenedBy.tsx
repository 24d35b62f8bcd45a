import type { Connection } from '../session/session-model';
import type { PanelState } from './panel-state';
import { StackSection } from './StackSection';

/**
 * Where the page opened a connection: its stack at `new WebSocket()`, innermost call first.
 * Each place opens the script in DevTools' Sources where the browser allows it.
 */
export function OpenedBy({ state, connection }: { state: PanelState; connection: Connection }) {
  return (
    <StackSection
      title="Opened by"
      testId="opened-by"
      frameTestId="initiator-frame"
      frames={connection.initiator}
      missing={
        connection.handshakeOnly || connection.worker !== undefined
          ? 'Not known: the page hook did not see it open.'
          : connection.imported
            ? 'The file does not say.'
            : 'No stack: opened by the panel, or the page customises stack formatting (Error.prepareStackTrace), where Sockscope takes none.'
      }
      openSource={state.openSource}
      onNotice={(message) => {
        state.notice.value = message;
      }}
    />
  );
}
