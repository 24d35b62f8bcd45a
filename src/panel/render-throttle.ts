/** Live traffic re-renders the panel at most this often (the Network panel does the same). */
export const LIVE_RENDER_INTERVAL_MS = 100;
/** A hidden panel paints nothing; its model still moves, at this pace. */
export const HIDDEN_RENDER_INTERVAL_MS = 500;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): void;
  requestAnimationFrame(callback: () => void): void;
  visible(): boolean;
}

const browserClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  requestAnimationFrame: (callback) => requestAnimationFrame(callback),
  visible: () => typeof document !== 'undefined' && document.visibilityState === 'visible',
};

/**
 * Schedules a render for data that keeps arriving: at most one per `intervalMs`, in an animation
 * frame while visible. Rendering costs the same for 10 frames or 10,000 new ones (the tables are
 * windowed), so rendering less often leaves the CPU to the page being inspected.
 */
export function createRenderThrottle(
  intervalMs = LIVE_RENDER_INTERVAL_MS,
  clock: Clock = browserClock,
): (render: () => void) => void {
  let lastRender = Number.NEGATIVE_INFINITY;
  let scheduled = false;
  return (render) => {
    if (scheduled) return;
    scheduled = true;
    const visible = clock.visible();
    const interval = visible ? intervalMs : Math.max(intervalMs, HIDDEN_RENDER_INTERVAL_MS);
    const run = () => {
      scheduled = false;
      lastRender = clock.now();
      render();
    };
    const wait = Math.max(0, lastRender + interval - clock.now());
    const inFrame = () => (visible ? clock.requestAnimationFrame(run) : run());
    if (wait === 0) inFrame();
    else clock.setTimeout(inFrame, wait);
  };
}
