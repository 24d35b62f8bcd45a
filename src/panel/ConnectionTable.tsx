import type { Connection } from '../session/session-model';
import { formatBytes, formatClock, stateLabel } from './format';

interface Props {
  connections: Connection[];
  /** Changes whenever the (mutated in place) list changes, so memoized renders notice. */
  revision: number;
  selected: string | null;
  onSelect(key: string | null): void;
}

/** Every connection of the inspected tab, newest last; selecting one filters the frames. */
export function ConnectionTable({ connections, selected, onSelect }: Props) {
  return (
    <div class="connections" role="region" aria-label="Connections">
      <table>
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Frame</th>
            <th scope="col">State</th>
            <th scope="col">Protocol</th>
            <th scope="col">Sent</th>
            <th scope="col">Received</th>
            <th scope="col">Opened</th>
          </tr>
        </thead>
        <tbody>
          <tr
            class={selected === null ? 'selected' : ''}
            onClick={() => onSelect(null)}
            data-testid="all-connections"
          >
            <td colSpan={7}>All connections ({connections.length})</td>
          </tr>
          {connections.map((connection) => (
            <tr
              key={connection.key}
              class={`${selected === connection.key ? 'selected' : ''} state-${connection.state}`}
              onClick={() => onSelect(connection.key)}
              data-testid="connection"
              data-url={connection.url}
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
            >
              <td class="url" title={connection.url}>
                {connection.url}
              </td>
              <td title={connection.pageUrl}>
                {connection.frameId === 0 ? 'top' : `#${connection.frameId}`}
              </td>
              <td>
                <span class={`badge ${connection.state}`}>{stateLabel(connection)}</span>
              </td>
              <td>{connection.protocol || '—'}</td>
              <td>
                {connection.sent.count} / {formatBytes(connection.sent.bytes)}
              </td>
              <td>
                {connection.received.count} / {formatBytes(connection.received.bytes)}
              </td>
              <td>{formatClock(connection.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
