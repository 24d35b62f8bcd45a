import type { Handshake, HandshakeHeader } from '../protocol/handshake';
import { handshakeFailure, statusText } from '../session/handshake-failure';
import type { Connection } from '../session/session-model';
import { copyAndSay } from './clipboard';
import { formatDuration } from './format';

interface Props {
  connection: Connection;
  onNotice(message: string): void;
}

/**
 * A connection's handshake as the browser reported it: status, time to the response, the cause
 * of a failure, and the request and response headers, each list copyable as the Network panel
 * shows them ("Name: value" lines).
 */
export function HandshakeView({ connection, onNotice }: Props) {
  const { handshake } = connection;
  return (
    <section class="pane-section handshake" aria-label="Handshake" data-testid="handshake">
      <h3>Handshake</h3>
      {handshake ? (
        <HandshakeFacts handshake={handshake} onNotice={onNotice} />
      ) : (
        <p class="muted" data-testid="handshake-missing">
          {connection.imported
            ? 'The file has no handshake for this connection.'
            : 'No handshake seen: Sockscope reads them only while a panel is open (this socket may be older), and a socket the browser refused before connecting has none.'}
        </p>
      )}
    </section>
  );
}

function HandshakeFacts({
  handshake,
  onNotice,
}: {
  handshake: Handshake;
  onNotice(message: string): void;
}) {
  const failure = handshakeFailure(handshake);
  const noCause = handshake.error === 'net::ERR_FAILED' && handshake.status === undefined;
  const waited =
    handshake.respondedAt !== undefined ? handshake.respondedAt - handshake.startedAt : undefined;
  return (
    <>
      <dl class="connection-facts-list">
        <div>
          <dt>Status</dt>
          <dd data-testid="handshake-status">
            {handshake.status !== undefined ? statusText(handshake) : 'no response'}
          </dd>
        </div>
        {(failure || handshake.error) && (
          <div>
            <dt>Failed</dt>
            <dd data-testid="handshake-error" title={handshake.error}>
              {failure ?? ''}
              {handshake.error && failure !== handshake.error ? ` (${handshake.error})` : ''}
              {noCause ? ' — Chrome gives no cause for a failed WebSocket handshake' : ''}
            </dd>
          </div>
        )}
        {waited !== undefined && (
          <div>
            <dt>Response after</dt>
            <dd data-testid="handshake-time">{formatDuration(waited)}</dd>
          </div>
        )}
      </dl>
      <HeaderList
        title="Request headers"
        testId="handshake-request-headers"
        headers={handshake.requestHeaders}
        onNotice={onNotice}
      />
      <HeaderList
        title="Response headers"
        testId="handshake-response-headers"
        headers={handshake.responseHeaders}
        onNotice={onNotice}
      />
    </>
  );
}

function HeaderList({
  title,
  testId,
  headers,
  onNotice,
}: {
  title: string;
  testId: string;
  headers: HandshakeHeader[] | undefined;
  onNotice(message: string): void;
}) {
  if (!headers || headers.length === 0) return null;
  const copy = () =>
    copyAndSay(
      headers.map(({ name, value }) => `${name}: ${value}`).join('\n'),
      `the ${title.toLowerCase()}`,
      onNotice,
    );
  return (
    <div class="header-list" data-testid={testId}>
      <div class="section-title">
        <h4>{title}</h4>
        <button type="button" onClick={copy} data-testid={`${testId}-copy`}>
          Copy
        </button>
      </div>
      <dl class="connection-facts-list">
        {headers.map(({ name, value }, i) => (
          // Headers may repeat (Set-Cookie): the place keeps the key unique.
          <div key={i}>
            <dt>{name}</dt>
            <dd title={value}>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
