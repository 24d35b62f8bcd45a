import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Frame } from '../session/session-model';
import { formatClock, payloadSizeLabel, previewPayload } from './format';

export const ROW_HEIGHT = 20;
const OVERSCAN = 10;

interface Props {
  frames: Frame[];
  /** Changes whenever the (mutated in place) list changes, so memoized renders notice. */
  revision: number;
  /** A short name for the connection a frame belongs to. */
  connectionLabel(key: string): string;
}

const KIND_LABEL: Record<Frame['kind'], string> = {
  sent: '↑ sent',
  received: '↓ received',
  error: '⚠ error',
  'close-requested': '✕ close()',
  closed: '✕ closed',
};

/**
 * A windowed table: only the rows in view (plus a little overscan) exist in the DOM, so its cost
 * does not grow with the number of frames. Follows the newest frame while scrolled to the bottom.
 */
export function FrameTable({ frames, connectionLabel }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = viewport.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
      setScrollTop(element.scrollTop);
    }
  }, [frames.length]);

  const onScroll = () => {
    const element = viewport.current!;
    following.current =
      element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
    setScrollTop(element.scrollTop);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(frames.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const frame = frames[i]!;
    rows.push(
      <div
        key={frame.index}
        class={`frame-row ${frame.kind}`}
        role="row"
        style={{ top: `${i * ROW_HEIGHT}px` }}
        data-testid="frame"
        data-kind={frame.kind}
        data-index={i}
      >
        <span role="cell" class="kind">
          {KIND_LABEL[frame.kind]}
          {frame.origin && frame.origin !== 'page' ? ` (${frame.origin})` : ''}
        </span>
        <span role="cell" class="connection" title={connectionLabel(frame.connectionKey)}>
          {connectionLabel(frame.connectionKey)}
        </span>
        <span role="cell" class="time">
          {formatClock(frame.time)}
        </span>
        <span role="cell" class="type">
          {frame.payload ? frame.payload.kind : frame.kind === 'error' ? 'error' : 'close'}
        </span>
        <span role="cell" class="size">
          {frame.payload ? payloadSizeLabel(frame.payload) : ''}
        </span>
        <span role="cell" class="preview">
          {frame.payload
            ? previewPayload(frame.payload)
            : frame.code !== undefined
              ? `${frame.code ?? ''} ${frame.reason ?? ''}`
              : ''}
        </span>
      </div>,
    );
  }
  return (
    <div class="frames" role="table" aria-label="Frames" aria-rowcount={frames.length}>
      <div class="frame-header" role="row">
        <span role="columnheader">Direction</span>
        <span role="columnheader">Connection</span>
        <span role="columnheader">Time</span>
        <span role="columnheader">Type</span>
        <span role="columnheader">Size</span>
        <span role="columnheader">Data</span>
      </div>
      <div class="frame-viewport" ref={viewport} onScroll={onScroll} data-testid="frame-viewport">
        <div class="frame-spacer" style={{ height: `${frames.length * ROW_HEIGHT}px` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
