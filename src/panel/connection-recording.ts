import type { FrameOrigin } from '../protocol/capture-events';
import type { RecordedMessage } from '../rules/recording-to-playwright';
import type { RecordedFrame } from '../rules/rules-from-recording';
import { base64Of } from '../session/frame-payload';
import type { Connection, Frame } from '../session/session-model';

/**
 * A connection's recording as the page and the server exchanged it, for "Mock from recording"
 * and "Export as test". Frames Sockscope made, changed or kept from their side (composed,
 * replayed, delivered, mocked, rewritten, dropped) are left out: a mock of the server must not
 * answer with them, and a test must not expect the page to send them. A delayed frame is the
 * page's or the server's own, only later.
 */
const OWN: ReadonlySet<FrameOrigin> = new Set(['page', 'delayed']);

export function recordedMessages(connection: Connection, frames: readonly Frame[]) {
  const messages: RecordedMessage[] = [];
  for (const frame of frames) {
    if (frame.connectionKey !== connection.key || !frame.payload) continue;
    if (frame.kind !== 'sent' && frame.kind !== 'received') continue;
    if (!OWN.has(frame.origin ?? 'page')) continue;
    const { payload } = frame;
    // Cut by the payload cap, evicted for the memory budget, or not decodable: not all of it.
    const whole =
      !frame.payloadEvicted &&
      payload.size === payload.originalSize &&
      (payload.kind === 'text' || payload.undecodable === undefined);
    messages.push({
      direction: frame.kind,
      kind: payload.kind,
      data: !whole ? null : payload.kind === 'text' ? payload.text : base64Of(payload),
      size: payload.originalSize,
    });
  }
  return messages;
}

/** The messages as rules-from-recording reads them: text only. */
export function recordedFrames(messages: readonly RecordedMessage[]): RecordedFrame[] {
  return messages.map(({ direction, kind, data }) => ({
    direction,
    text: kind === 'text' ? data : null,
  }));
}

/**
 * What the connection's rules are named after: its host and path (rules apply on every site,
 * so the host is kept), or the URL as is when it does not parse.
 */
export function recordingName(socketUrl: string): string {
  if (!URL.canParse(socketUrl)) return socketUrl;
  const url = new URL(socketUrl);
  return `${url.host}${url.pathname}`;
}

/** A file name for the connection's exports: its host and path, then `suffix`. */
export function recordingFileName(socketUrl: string, suffix: string): string {
  const stem = URL.canParse(socketUrl)
    ? recordingName(socketUrl)
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 80)
    : '';
  return `${stem || 'websocket'}${suffix}`;
}
