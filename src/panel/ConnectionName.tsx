import { closeCodeMeaning } from '../session/close-codes';
import { closeSeverity, SEVERITY_TEXT } from '../session/close-severity';
import { type ConnectionLabel, labelOf, MARK_TITLE } from '../session/connection-labels';
import { handshakeFailure } from '../session/handshake-failure';
import type { Connection } from '../session/session-model';

export function stateText(connection: Connection): string {
  const { state, close } = connection;
  const cause = state === 'failed' ? handshakeFailure(connection.handshake) : undefined;
  if (cause) return `failed: ${cause}`;
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
    if (handshakeFailure(connection.handshake)) {
      parts.push(`${connection.close.code} ${closeCodeMeaning(connection.close.code)}`);
    }
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
      {marks.includes('worker') && (
        <span
          class="badge worker"
          data-testid="worker-mark"
          title={`${MARK_TITLE.worker}${connection.worker ? `: ${connection.worker}` : ''}`}
        >
          ⚙ via DevTools
        </span>
      )}
      {marks.includes('worker') && ' '}
      {marks.includes('handshake-only') && (
        <span
          class="badge worker"
          data-testid="handshake-only-mark"
          title={MARK_TITLE['handshake-only']}
        >
          handshake only
        </span>
      )}
      {marks.includes('handshake-only') && ' '}
      {marks.includes('mocked') && (
        <span class="badge mocked" data-testid="mocked-mark" title={label.title}>
          mocked
        </span>
      )}
      {marks.includes('mocked') && ' '}
      {text}
    </>
  );
}
