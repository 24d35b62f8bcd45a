import { closeSeverity } from '../session/close-severity';
import { labelOf } from '../session/connection-labels';
import { decodeAsPattern } from '../session/decode-as';
import type { Connection } from '../session/session-model';
import { ConnectionActions } from './ConnectionActions';
import { ConnectionName, connectionDuration, stateText, stateTitle } from './ConnectionName';
import { CopyAsCode } from './CopyAsCode';
import { DecodeAs } from './DecodeAs';
import { formatBytes, formatClock, formatDuration } from './format';
import { HandshakeView } from './HandshakeView';
import { OpenedBy } from './OpenedBy';
import { PaneHeader } from './PaneHeader';
import { ProtoSchemaPicker } from './ProtoSchemaPicker';
import type { PanelState } from './panel-state';
import { RecordingExports } from './RecordingExports';

interface Props {
  state: PanelState;
  connection: Connection;
  revision: number;
  now: number;
  onClose(): void;
}

/**
 * A connection in the details pane: every figure the narrow list leaves out, then composing,
 * delivering, closing and reconnecting.
 */
export function ConnectionPane({ state, connection, revision, now, onClose }: Props) {
  const label = labelOf(connection, state.session.currentPageStartedAt);
  const duration = connectionDuration(connection, now);
  const severity = closeSeverity(connection.state, connection.close);
  const facts: Array<[string, string, string?]> = [
    ['URL', connection.url],
    ['Page', connection.pageUrl],
    ['Frame', connection.frameId === 0 ? 'top document' : `frame ${connection.frameId}`],
    ['State', stateText(connection), stateTitle(connection)],
    ['Protocol', connection.protocol || '—'],
    ['Extensions', connection.extensions || '—'],
    ['Opened', formatClock(connection.createdAt)],
    [
      'Duration',
      duration === undefined ? '—' : formatDuration(duration),
      duration === undefined
        ? connection.handshakeOnly || connection.worker !== undefined
          ? 'Not known: nothing reports when it closed'
          : 'The file does not say when it closed'
        : undefined,
    ],
    ['Sent', `${connection.sent.count} frames, ${formatBytes(connection.sent.bytes)}`],
    ['Received', `${connection.received.count} frames, ${formatBytes(connection.received.bytes)}`],
    ['Peak buffered', formatBytes(connection.peakBufferedAmount)],
  ];
  if (connection.droppedFrames) {
    facts.push([
      'Dropped',
      `${connection.droppedFrames} older frames`,
      "The page's backlog dropped them before this panel opened",
    ]);
  }
  if (connection.worker !== undefined) {
    facts.push([
      'Seen in',
      `DevTools' network log${connection.worker ? `, opened by ${connection.worker}` : ''}`,
      'The page hook does not see this socket (a worker, or a WebSocketStream): DevTools shows its messages and when it ended, not its close code or reason, and it cannot be acted on.',
    ]);
  } else if (connection.handshakeOnly) {
    facts.push([
      'Seen in',
      `the browser's handshake report only${connection.handshake?.workerOrigin ? ` (a shared or service worker of ${connection.handshake.workerOrigin})` : ''}`,
      'The page hook did not see this socket (a worker, a WebSocketStream, or a frame the page used before the hook reached it): its handshake is known, not its frames or close, and it cannot be acted on.',
    ]);
  } else if (connection.imported) facts.push(['Imported from', connection.imported]);
  return (
    <section class="details connection-pane" aria-label="Connection" data-testid="connection-pane">
      <PaneHeader title={label.title} onClose={onClose}>
        <ConnectionName connection={connection} label={label} />
      </PaneHeader>
      <div class="details-body">
        <DecodeAs state={state} connection={connection} />
        {state.decodeAs.value[decodeAsPattern(connection.url)] === 'protobuf-schema' && (
          <ProtoSchemaPicker state={state} connection={connection} />
        )}
        <dl class="connection-facts-list" data-severity={severity ?? ''}>
          {facts.map(([name, value, title]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd title={title ?? value} data-fact={name}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
        <OpenedBy state={state} connection={connection} />
        <HandshakeView
          connection={connection}
          onNotice={(message) => {
            state.notice.value = message;
          }}
        />
        <CopyAsCode state={state} connection={connection} />
        <RecordingExports state={state} connection={connection} />
        <ConnectionActions
          key={connection.key}
          state={state}
          connection={connection}
          revision={revision}
        />
      </div>
    </section>
  );
}
