import { useMemo, useState } from 'preact/hooks';
import type { RuleEffect } from '../protocol/socket-rules';
import { bytesToBase64 } from '../session/base64';
import { closeCodeMeaning } from '../session/close-codes';
import { labelLine, labelOf } from '../session/connection-labels';
import { base64Of } from '../session/frame-payload';
import { handshakeFailure } from '../session/handshake-failure';
import { parseJsonPayload } from '../session/json-path';
import type { Highlighter } from '../session/match-ranges';
import type { Connection, Frame } from '../session/session-model';
import { parseStack } from '../session/stack-frames';
import { ConnectionName } from './ConnectionName';
import { copyAndSay, saveFile } from './clipboard';
import { type DecodedFrame, DecodedView } from './DecodedView';
import { formatBytes, formatClock } from './format';
import { HexView } from './HexView';
import { JsonTree } from './JsonTree';
import { PayloadText } from './PayloadText';
import { StackSection } from './StackSection';
import './details.css';

type View = 'decoded' | 'text' | 'json' | 'hex' | 'utf8' | 'base64' | 'sent-by';

const VIEW_LABEL: Record<View, string> = {
  decoded: 'Decoded',
  text: 'Text',
  json: 'JSON',
  hex: 'Hex',
  utf8: 'UTF-8',
  base64: 'Base64',
  'sent-by': 'Sent by',
};

/** Says which way a frame went, or what event it was. */
const DIRECTION_LABEL: Record<Frame['kind'], string> = {
  sent: '↑ Sent',
  received: '↓ Received',
  error: 'Error',
  'close-requested': 'close() called',
  closed: 'Closed',
};

interface Props {
  frame: Frame;
  connection: Connection | undefined;
  onClose(): void;
  onNotice(message: string): void;
  /** Resends a recorded sent frame as it was, or opens it in the composer to edit first. */
  onReplay(frame: Frame, edit: boolean): void;
  /**
   * False when the current filter hides this frame (it stays selected while the filter changes):
   * the details say so instead of showing it as one of the matches. Defaults to true.
   */
  matchesFilter?: boolean;
  /** Marks the filter's matches in the text and JSON views. */
  highlight?: Highlighter | null;
  /** The frame as its connection's protocol reads it, when a decoder is active. */
  decodedFrame?: DecodedFrame;
  /** Selects another frame (from the Decoded view's request and reply links). */
  onSelectFrame?(frame: Frame): void;
  /** Opens a script at a place in DevTools' Sources (the Sent by view's links). */
  openSource?: (url: string, line: number, column: number) => void;
}

/** The selected frame, whole, in every form that makes sense for it. */
export function FrameDetails({
  frame,
  connection,
  onClose,
  onNotice,
  onReplay,
  matchesFilter = true,
  highlight,
  decodedFrame,
  onSelectFrame,
  openSource,
}: Props) {
  const payload = frame.payload;
  const decoded = useMemo(
    () =>
      payload
        ? payload.kind === 'binary'
          ? payload.undecodable === undefined
            ? payload.bytes
            : undefined
          : new TextEncoder().encode(payload.text)
        : new Uint8Array(0),
    [payload],
  );
  const bytes = decoded ?? new Uint8Array(0);
  const json = useMemo(
    () => (payload?.kind === 'text' ? parseJsonPayload(payload.text) : undefined),
    [payload],
  );
  const rawViews: View[] = !payload
    ? []
    : payload.kind === 'text'
      ? json !== undefined
        ? ['json', 'text', 'hex']
        : ['text', 'hex']
      : decoded
        ? ['hex', 'utf8', 'base64']
        : ['base64'];
  // A frame its decoder could not read opens raw; the Decoded view still says why.
  const payloadViews: View[] = !decodedFrame
    ? rawViews
    : decodedFrame.outcome.kind === 'error'
      ? [...rawViews, 'decoded']
      : ['decoded', ...rawViews];
  const views: View[] = frame.sentBy ? [...payloadViews, 'sent-by'] : payloadViews;
  // Why an error event fired, where the connection's handshake says (a refused upgrade, a
  // refused port): the page's event itself carries no detail.
  const failure = frame.kind === 'error' ? handshakeFailure(connection?.handshake) : undefined;
  const sentBy = useMemo(() => (frame.sentBy ? parseStack(frame.sentBy) : []), [frame.sentBy]);
  const [chosen, setChosen] = useState<View | null>(null);
  const view = chosen && views.includes(chosen) ? chosen : views[0];
  // Encoded only while the base64 view shows: the model keeps the bytes.
  const base64View = useMemo(
    () => (payload?.kind === 'binary' && view === 'base64' ? base64Of(payload) : ''),
    [payload, view],
  );

  const copy = (text: string, what: string) => copyAndSay(text, what, onNotice);
  const asText = () => (payload?.kind === 'text' ? payload.text : new TextDecoder().decode(bytes));
  const fileName = `frame-${frame.index}-${frame.kind}.${payload?.kind === 'text' ? (json !== undefined ? 'json' : 'txt') : 'bin'}`;

  // The connection as every list names it (unique in the session, with its marks).
  const label = connection && labelOf(connection);
  const connectionLabel = label ? labelLine(label) : `connection ${frame.connectionKey}`;
  const sizeLabel = payload
    ? formatBytes(payload.size) +
      (payload.size < payload.originalSize
        ? ` of ${formatBytes(payload.originalSize)} (truncated by the payload cap)`
        : '')
    : '';
  // The header stays one line; the whole description is the title, for when it is cut.
  const title = [
    DIRECTION_LABEL[frame.kind],
    connectionLabel,
    connection?.url,
    formatClock(frame.time),
    sizeLabel,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <section
      class={matchesFilter ? 'details' : 'details filtered-out'}
      aria-label="Frame details"
      data-testid="details"
      data-matches-filter={String(matchesFilter)}
    >
      <header class="details-header">
        <span class="details-title" title={title} data-testid="details-title">
          <strong data-testid="details-direction">{DIRECTION_LABEL[frame.kind]}</strong>
          {' · '}
          <span data-testid="details-connection">
            {connection && label ? (
              <ConnectionName connection={connection} label={label} />
            ) : (
              connectionLabel
            )}
          </span>
          {' · '}
          <span data-testid="details-time">{formatClock(frame.time)}</span>
          {payload && (
            <>
              {' · '}
              <span data-testid="details-size">{sizeLabel}</span>
            </>
          )}
        </span>
        <button
          type="button"
          aria-label="Close details"
          onClick={onClose}
          data-testid="close-details"
        >
          ✕
        </button>
      </header>
      {!matchesFilter && (
        <p class="details-filtered-out" role="status" data-testid="details-filtered-out">
          This frame does not match the filter: it is shown because it is still selected.
        </p>
      )}
      {frame.rule && (
        <p class="details-rule" data-testid="details-rule">
          {RULE_EFFECT_SENTENCE[frame.rule.effect]} rule <strong>{frame.rule.name}</strong>.
        </p>
      )}
      {frame.payloadEvicted && (
        <p class="warning">
          This frame's payload was dropped to stay within the panel's memory budget.
        </p>
      )}
      {!payload && frame.code !== undefined && (
        <p class="details-close" data-testid="details-close">
          {frame.kind === 'close-requested' ? 'The page called close(' : 'Closed with '}
          {frame.code ?? 'no code'}
          {frame.code != null && ` (${closeCodeMeaning(frame.code)})`}
          {frame.reason ? `, reason "${frame.reason}"` : ''}
          {frame.kind === 'close-requested' ? ')' : ''}
          {frame.kind === 'closed' && connection?.close
            ? `; clean: ${connection.close.wasClean}, started by ${connection.close.initiator}`
            : ''}
        </p>
      )}
      {!decoded && (
        <p class="warning" data-testid="details-undecodable">
          This payload is not valid base64, so only its base64 view is shown.
        </p>
      )}
      {!payload && frame.kind === 'error' && (
        <p class="details-close">
          {failure
            ? `The socket fired an error event: its handshake failed (${failure}).`
            : 'The socket fired an error event (the browser gives no detail).'}
        </p>
      )}
      {payload && (
        // The view tabs and the payload's actions share one bar, which may wrap: the header
        // above it stays one line at any width.
        <div class="details-bar">
          <div class="tabs" role="tablist" aria-label="Payload views">
            {views.map((candidate) => (
              <button
                key={candidate}
                type="button"
                role="tab"
                aria-selected={candidate === view}
                class={candidate === view ? 'active' : ''}
                onClick={() => setChosen(candidate)}
                data-testid={`view-${candidate}`}
              >
                {VIEW_LABEL[candidate]}
              </button>
            ))}
          </div>
          <div class="details-actions">
            {payload &&
              frame.kind === 'sent' &&
              !frame.payloadEvicted &&
              payload.size === payload.originalSize && (
                <>
                  <button
                    type="button"
                    disabled={connection?.state !== 'open' || Boolean(connection?.imported)}
                    title={
                      connection?.state === 'open'
                        ? 'Send it again, byte for byte'
                        : `The connection is ${connection?.state}: use Reconnect and replay`
                    }
                    onClick={() => onReplay(frame, false)}
                    data-testid="replay"
                  >
                    Replay
                  </button>
                  <button
                    type="button"
                    onClick={() => onReplay(frame, true)}
                    data-testid="edit-resend"
                  >
                    Edit &amp; resend
                  </button>
                </>
              )}
            {payload && (
              <>
                <button
                  type="button"
                  onClick={() => copy(asText(), 'payload')}
                  data-testid="copy-payload"
                >
                  Copy
                </button>
                <button
                  type="button"
                  onClick={() =>
                    copy(
                      payload.kind === 'binary' ? base64Of(payload) : bytesToBase64(bytes),
                      'base64',
                    )
                  }
                  data-testid="copy-base64"
                >
                  Copy as base64
                </button>
                <button
                  type="button"
                  onClick={() =>
                    saveFile(
                      fileName,
                      payload.kind === 'text' ? payload.text : bytes.slice().buffer,
                      payload.kind === 'text' ? 'text/plain' : 'application/octet-stream',
                    )
                  }
                  data-testid="save-payload"
                >
                  Save…
                </button>
              </>
            )}
          </div>
        </div>
      )}
      <div class="details-body" role="tabpanel">
        {view === 'decoded' && decodedFrame && (
          <DecodedView
            frame={frame}
            decoded={decodedFrame}
            highlight={highlight}
            onCopy={copy}
            onSelectFrame={(target) => onSelectFrame?.(target)}
          />
        )}
        {view === 'json' && <JsonTree value={json} onCopy={copy} highlight={highlight} />}
        {view === 'text' && payload?.kind === 'text' && (
          <PayloadText text={payload.text} testId="payload-text" highlight={highlight} />
        )}
        {view === 'utf8' && (
          <PayloadText
            text={new TextDecoder().decode(bytes)}
            testId="payload-utf8"
            highlight={highlight}
          />
        )}
        {view === 'base64' && payload?.kind === 'binary' && (
          <PayloadText text={base64View} testId="payload-base64" />
        )}
        {view === 'hex' && (
          // A binary frame matches by its hex (searchable-text.ts); a text frame by its text.
          <HexView
            bytes={bytes}
            onCopy={copy}
            highlight={payload?.kind === 'binary' ? highlight : null}
          />
        )}
        {view === 'sent-by' && (
          <StackSection
            title="Sent by"
            testId="sent-by"
            frameTestId="sent-by-frame"
            frames={sentBy}
            missing="The browser gave a stack Sockscope cannot read."
            openSource={openSource}
            onNotice={onNotice}
          />
        )}
      </div>
    </section>
  );
}

const RULE_EFFECT_SENTENCE: Record<RuleEffect, string> = {
  mocked: 'Delivered to the page by',
  rewritten: 'Rewritten by',
  delayed: 'Delayed by',
  throttled: 'Delayed (throttled) by',
  'dropped by rule': 'Dropped (it never arrived) by',
  'closed by rule': 'The connection was closed by',
  'failed by rule': 'The connection was failed by',
  'mocked endpoint': 'The endpoint is mocked (this socket never reached the network) by',
};
