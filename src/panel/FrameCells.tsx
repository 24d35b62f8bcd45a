import { labelOf } from '../session/connection-labels';
import type { Highlighter } from '../session/match-ranges';
import type { Pairing } from '../session/protocol-decoding';
import type { Connection, Frame, HeldFrame } from '../session/session-model';
import { ConnectionName } from './ConnectionName';
import type { DecodedLine } from './decoded-display';
import {
  formatClock,
  formatDuration,
  formatRelative,
  payloadSizeLabel,
  previewPayload,
} from './format';
import type { FrameColumnId } from './frame-columns';
import { Highlighted } from './Highlighted';
import type { TimeMode } from './panel-state';

/* The frame table's cells, each shown only when its column is (FrameTable.tsx lays out rows). */

/** The cells before Latency and Data, each only when its column is shown. */
export function LeadingCells({
  shown,
  direction,
  connection,
  time,
  timeMode,
  type,
  size,
}: {
  shown: Set<FrameColumnId>;
  direction: string;
  connection: Connection | undefined;
  time: number;
  timeMode: TimeMode;
  type: string;
  size: string;
}) {
  return (
    <>
      {shown.has('direction') && (
        <span role="cell" class="kind">
          {direction}
        </span>
      )}
      {shown.has('connection') && (
        <span role="cell" class="connection" title={connection && labelOf(connection).title}>
          {connection && <ConnectionName connection={connection} />}
        </span>
      )}
      {shown.has('time') && (
        <span role="cell" class="time">
          {timeMode === 'relative' && connection
            ? formatRelative(time - connection.createdAt)
            : formatClock(time)}
        </span>
      )}
      {shown.has('type') && (
        <span role="cell" class="type">
          {type}
        </span>
      )}
      {shown.has('size') && (
        <span role="cell" class="size">
          {size}
        </span>
      )}
    </>
  );
}

/** A reply's delay after its request, a request's first reply, or "no reply". */
export function LatencyCell({ pairing }: { pairing: Pairing | undefined }) {
  if (!pairing) return <span role="cell" class="latency" />;
  if (pairing.role === 'reply') {
    return (
      <span role="cell" class="latency" title="Time since the request it answers">
        +{formatDuration(pairing.ms)}
      </span>
    );
  }
  if (pairing.ms !== undefined) {
    return (
      <span role="cell" class="latency" title="Time until the first reply">
        → {formatDuration(pairing.ms)}
      </span>
    );
  }
  return pairing.unanswered ? (
    <span role="cell" class="latency unanswered" title="No reply in the frames that followed">
      no reply
    </span>
  ) : (
    <span role="cell" class="latency" />
  );
}

/** The Data column: the protocol's reading of the frame when it has one, else the raw preview. */
export function DataCell({
  frame,
  decoded,
  highlight,
}: {
  frame: Frame;
  decoded: DecodedLine | undefined;
  highlight: Highlighter | null;
}) {
  if (decoded && decoded.error === undefined) {
    return (
      <span role="cell" class="preview decoded-line" data-decoded="true">
        <span class="protocol-tag">{decoded.tag}</span>{' '}
        <Highlighted text={decoded.text} highlight={highlight} />
      </span>
    );
  }
  return (
    <span role="cell" class="preview">
      {decoded?.error !== undefined && (
        <span
          class="decode-failed"
          title={`Not decoded: ${decoded.error}`}
          data-testid="decode-failed"
        >
          ⚠{' '}
        </span>
      )}
      <Highlighted text={framePreview(frame)} highlight={highlight} />
    </span>
  );
}

export function HeldRow({
  frame,
  index,
  connection,
  selected,
  timeMode,
  shown,
  onClick,
}: {
  frame: HeldFrame;
  index: number;
  connection: Connection | undefined;
  selected: boolean;
  timeMode: TimeMode;
  shown: Set<FrameColumnId>;
  onClick(): void;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid viewport takes the keys
    <div
      class={`frame-row held ${frame.direction === 'outgoing' ? 'sent' : 'received'}${selected ? ' selected' : ''}`}
      role="row"
      aria-selected={selected}
      data-testid="held-frame"
      data-direction={frame.direction}
      data-index={index}
      onClick={onClick}
    >
      <LeadingCells
        shown={shown}
        direction={frame.direction === 'outgoing' ? '‖ ↑ held' : '‖ ↓ held'}
        connection={connection}
        time={frame.time}
        timeMode={timeMode}
        type={frame.payload.kind}
        size={payloadSizeLabel(frame.payload)}
      />
      {shown.has('latency') && <span role="cell" class="latency" />}
      <span role="cell" class="preview">
        {previewPayload(frame.payload)}
      </span>
    </div>
  );
}

/** A row's Data text without a decoder: the payload's preview, or the close's code and reason. */
export function framePreview(frame: Frame): string {
  if (frame.payloadEvicted) return '(payload dropped: panel memory budget)';
  if (frame.payload) return previewPayload(frame.payload);
  if (frame.code !== undefined) return `${frame.code ?? ''} ${frame.reason ?? ''}`.trim();
  return '';
}
