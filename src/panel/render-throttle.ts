/** Live traffic re-renders the panel at most this often; a change after a quiet spell, at once. */
export const LIVE_RENDER_INTERVAL_MS = 200;
/** ... and never spends more than about 1/this of the time rendering, on a slow machine, */
export const RENDER_DUTY_DIVISOR = 8;
/** ... but never lets the view fall further behind than this while it is visible. */
export const MAX_LIVE_RENDER_INTERVAL_MS = 300;
/**
 * While rows stream past faster than anyone reads them (each render brings more new rows than a
 * screen holds), the view renders this often: every render replaces all the rows in view, so
 * rendering more often shows nothing more and takes CPU from the page being inspected.
 */
export const STREAMING_RENDER_INTERVAL_MS = 500;
/** A hidden panel paints nothing; its model still moves, at this pace. */
export const HIDDEN_RENDER_INTERVAL_MS = 500;
/**
 * When changes stop for this long (or twice the last gap between changes, if longer: traffic that
 * arrives in spaced batches is not quiet between them), the last of them renders without waiting
 * out the interval.
 */
export const QUIET_RENDER_MS = 50;
/** A render waiting for an animation frame comes after this long without one. */
export const ANIMATION_FRAME_FALLBACK_MS = 1000;

export interface Clock {
  now(): number;
  /** Runs after the render the current task started (Preact renders in a microtask). */
  afterRender(callback: () => void): void;
  setTimeout(callback: () => void, ms: number): void;
  requestAnimationFrame(callback: () => void): void;
  visible(): boolean;
}

const browserClock: Clock = {
  now: () => performance.now(),
  afterRender: (callback) => queueMicrotask(callback),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  requestAnimationFrame: (callback) => requestAnimationFrame(callback),
  visible: () => typeof document !== 'undefined' && document.visibilityState === 'visible',
};

/**
 * Schedules a render for data that keeps arriving: at most one per `intervalMs` (longer when
 * renders are slow, so that rendering takes at most 1/RENDER_DUTY_DIVISOR of the time, but at
 * most MAX_LIVE_RENDER_INTERVAL_MS apart while visible), in an
 * animation frame while visible. Rendering costs the same for 10 frames or 10,000 new ones (the
 * tables are windowed), so rendering less often leaves the CPU to the page being inspected.
 * Once changes stop for `quietMs` (a burst ended), the last of them renders at once: the
 * interval is there to share the CPU with traffic, and there is none. `streaming` says the
 * changes stream past faster than they can be read (see STREAMING_RENDER_INTERVAL_MS).
 */
export function createRenderThrottle(
  intervalMs = LIVE_RENDER_INTERVAL_MS,
  clock: Clock = browserClock,
  quietMs = QUIET_RENDER_MS,
): (render: () => void, streaming?: boolean) => void {
  let lastRender = Number.NEGATIVE_INFINITY;
  let lastCost = 0;
  /** A render is on its way (until it starts); `trigger` starts it early, until it fired. */
  let scheduled = false;
  let trigger: (() => void) | undefined;
  let lastChange = Number.NEGATIVE_INFINITY;
  /** How long changes must stop to count as quiet: see QUIET_RENDER_MS. */
  let quietAfter = quietMs;
  let quietCheckArmed = false;

  const checkQuiet = () => {
    quietCheckArmed = false;
    if (!trigger) return;
    const quietFor = clock.now() - lastChange;
    if (quietFor >= quietAfter) trigger();
    else armQuietCheck(quietAfter - quietFor);
  };
  const armQuietCheck = (ms: number) => {
    if (quietCheckArmed) return;
    quietCheckArmed = true;
    clock.setTimeout(checkQuiet, ms);
  };

  return (render, streaming = false) => {
    const now = clock.now();
    quietAfter = Math.max(quietMs, 2 * (now - lastChange));
    lastChange = now;
    if (scheduled) {
      if (trigger) armQuietCheck(quietAfter);
      return;
    }
    scheduled = true;
    const visible = clock.visible();
    const interval = visible
      ? Math.max(
          intervalMs,
          Math.min(lastCost * RENDER_DUTY_DIVISOR, MAX_LIVE_RENDER_INTERVAL_MS),
          streaming ? STREAMING_RENDER_INTERVAL_MS : 0,
        )
      : Math.max(intervalMs, HIDDEN_RENDER_INTERVAL_MS, lastCost * RENDER_DUTY_DIVISOR);
    const run = () => {
      scheduled = false;
      const start = clock.now();
      lastRender = start;
      render();
      clock.afterRender(() => {
        lastCost = clock.now() - start;
      });
    };
    // Runs once, whichever comes first: the interval's end or the quiet check.
    const fire = () => {
      if (trigger !== fire) return;
      trigger = undefined;
      if (!visible) {
        run();
        return;
      }
      // A window the browser stops painting (occluded, or a headless DevTools) may never run
      // animation frames while it still reports itself visible: the render then comes anyway.
      let ran = false;
      const once = () => {
        if (ran) return;
        ran = true;
        run();
      };
      clock.requestAnimationFrame(once);
      clock.setTimeout(once, ANIMATION_FRAME_FALLBACK_MS);
    };
    trigger = fire;
    const wait = Math.max(0, lastRender + interval - clock.now());
    if (wait === 0) fire();
    else {
      clock.setTimeout(fire, wait);
      if (quietAfter < wait) armQuietCheck(quietAfter);
    }
  };
}
