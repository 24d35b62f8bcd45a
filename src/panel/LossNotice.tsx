import type { SessionStore } from '../session/session-store';
import { formatBytes } from './format';

/** Says what the panel did not keep and why, whenever anything was dropped or truncated. */
export function LossNotice({ session }: { session: SessionStore; revision: number }) {
  const parts: string[] = [];
  const { lost, rejected, notRecorded, evictedFrames, evictedBytes, unattributed } = session;
  const droppedFrames = session.droppedFrames;
  if (lost > 0) {
    const ofFrames = droppedFrames > 0 ? ` (${droppedFrames} of them frames)` : '';
    parts.push(
      `${lost} events dropped by the backlog limit before this panel saw them${ofFrames}; every connection is still listed.`,
    );
  }
  if (rejected > 0) parts.push(`${rejected} malformed page messages refused.`);
  if (unattributed > 0)
    parts.push(`${unattributed} events of connections no longer listed (cleared) not shown.`);
  if (notRecorded > 0) parts.push(`${notRecorded} frames not recorded while paused.`);
  if (evictedFrames > 0) {
    parts.push(
      `${evictedFrames} oldest frames lost their payload (${formatBytes(evictedBytes)}) to the panel memory budget.`,
    );
  }
  if (parts.length === 0) return null;
  return (
    // One line whatever it says (the whole text is its title): as counts grow while traffic flows,
    // the tables below do not move.
    <div
      class="warning loss-notice"
      role="status"
      data-testid="loss-notice"
      title={parts.join(' ')}
    >
      {parts.join(' ')}
    </div>
  );
}
