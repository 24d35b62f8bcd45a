import { closeCodeMeaning } from '../session/close-codes';
import { closeSeverity, SEVERITY_TEXT } from '../session/close-severity';
import { type ConnectionLabel, labelOf, MARK_TITLE } from '../session/connection-labels';
import type { Connection } from '../session/session-model';
import { formatBytes, formatClock, formatDuration } from './format';

interface Props {
  connections: Connection[];
  /** Changes whenever the (mutated in place) list changes, so memoized renders notice. */
  revision: number;
  selected: string | null;
  /** When the current top document started: older connections (preserved log) are marked. */
  currentPageStartedAt: number | undefined;
  now: number;
  onSelect(key: string | null): void;
}

export function stateText(connection: Connection): string {
  const { state, close } = connection;
  if ((state === 'closed' || state === 'failed') && close) {
    const reason = close.reason ? `: ${close.reason}` : '';
    return `${state} ${close.code} ${closeCodeMeaning(close.code)}${reason}`;
  }
  return state;
}

/** The state badge's title: how it ended in words, and who closed it. */
export function stateTitle(connection: Connection): string | undefined {
  const severity = closeSeverity(connection.state, connection.close);
  const parts: string[] = [];
  if (severity) parts.push(SEVERITY_TEXT[severity]);
  if (connection.close) {
    parts.push(`closed by ${connection.close.initiator}`);
    if (!connection.close.wasClean) parts.push('not a clean close');
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * How long a connection lived: to its close, or until now while it is live. An imported one is
 * not live: without a close in its file, its duration is not known.
 */
export function connectionDuration(connection: Connection, now: number): number | undefined {
  if (connection.closedAt !== undefined) return connection.closedAt - connection.createdAt;
  return connection.imported ? undefined : now - connection.createdAt;
}

/**
 * A connection's name as every list shows it (connection-labels.ts): unique in the session, with
 * its marks (from an earlier page, imported) ahead of it.
 */
export function ConnectionName({
  connection,
  label = labelOf(connection),
}: {
  connection: Connection;
  label?: ConnectionLabel;
}) {
  const { text, marks } = label;
  return (
    <>
      {marks.includes('earlier-page') && (
        <span
          class="page-mark"
          data-testid="earlier-page-mark"
          title={`${MARK_TITLE['earlier-page']}: ${connection.pageUrl}`}
        >
          ⟲{' '}
        </span>
      )}
      {marks.includes('imported') && (
        <span
          class="badge imported"
          data-testid="imported-mark"
          title={`Imported from ${connection.imported}`}
        >
          imported
        </span>
      )}
      {marks.includes('imported') && ' '}
      {text}
    </>
  );
}

/** Every connection of the inspected tab, newest last; selecting one filters the frames. */
export function ConnectionTable({
  connections,
  selected,
  currentPageStartedAt,
  now,
  onSelect,
}: Props) {
  return (
    <section class="connections" aria-label="Connections">
      <table>
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Frame</th>
            <th scope="col">State</th>
            <th scope="col">Protocol</th>
            <th scope="col">Extensions</th>
            <th scope="col">Sent</th>
            <th scope="col">Received</th>
            <th scope="col">Opened</th>
            <th scope="col">Duration</th>
            <th scope="col" title="Largest bufferedAmount seen after a send">
              Peak buffered
            </th>
          </tr>
        </thead>
        <tbody>
          <tr
            class={selected === null ? 'selected' : ''}
            onClick={() => onSelect(null)}
            data-testid="all-connections"
            aria-selected={selected === null}
          >
            <td colSpan={10}>All connections ({connections.length})</td>
          </tr>
          {connections.map((connection) => {
            const duration = connectionDuration(connection, now);
            const label = labelOf(connection, currentPageStartedAt);
            const earlierPage = label.marks.includes('earlier-page');
            const severity = closeSeverity(connection.state, connection.close);
            return (
              <tr
                key={connection.key}
                class={`${selected === connection.key ? 'selected' : ''} state-${connection.state}`}
                aria-selected={selected === connection.key}
                onClick={() => onSelect(connection.key)}
                data-testid="connection"
                data-url={connection.url}
                data-page={connection.pageUrl}
                data-earlier-page={earlierPage}
                data-state={connection.state}
                data-close-code={connection.close?.code ?? ''}
                data-close-reason={connection.close?.reason ?? ''}
                data-close-initiator={connection.close?.initiator ?? ''}
                data-protocol={connection.protocol}
                data-sent={connection.sent.count}
                data-received={connection.received.count}
                data-sent-bytes={connection.sent.bytes}
                data-received-bytes={connection.received.bytes}
                data-errors={connection.errors}
                data-frame-id={connection.frameId}
                data-imported={connection.imported ?? ''}
                data-dropped-frames={connection.droppedFrames ?? 0}
              >
                <td class="url" title={label.title}>
                  <ConnectionName connection={connection} label={label} />
                </td>
                <td title={connection.pageUrl}>
                  {connection.frameId === 0 ? 'top' : `#${connection.frameId}`}
                </td>
                <td class="state" data-severity={severity ?? ''} data-testid="connection-state">
                  {severity && severity !== 'clean' && (
                    <span class="severity-icon" role="img" aria-label={SEVERITY_TEXT[severity]}>
                      {severity === 'failed' ? '✕' : '⚠'}{' '}
                    </span>
                  )}
                  <span
                    class={`badge ${connection.state}${severity ? ` severity-${severity}` : ''}`}
                    title={stateTitle(connection)}
                  >
                    {stateText(connection)}
                  </span>
                </td>
                <td>{connection.protocol || '—'}</td>
                <td class="extensions" title={connection.extensions}>
                  {connection.extensions || '—'}
                </td>
                <td>
                  {connection.sent.count} / {formatBytes(connection.sent.bytes)}
                  {connection.droppedFrames ? (
                    <span
                      class="badge dropped"
                      data-testid="dropped-frames"
                      title="Frames the page's backlog dropped before this panel opened: the counts here are what the panel received"
                    >
                      {' '}
                      +{connection.droppedFrames} older frames dropped
                    </span>
                  ) : null}
                </td>
                <td>
                  {connection.received.count} / {formatBytes(connection.received.bytes)}
                </td>
                <td>{formatClock(connection.createdAt)}</td>
                <td
                  class="duration"
                  title={
                    duration === undefined ? 'The file does not say when it closed' : undefined
                  }
                >
                  {duration === undefined ? '—' : formatDuration(duration)}
                </td>
                <td>{formatBytes(connection.peakBufferedAmount)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
