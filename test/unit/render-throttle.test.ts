import { describe, expect, it } from 'vitest';
import { PanelState, SCREENFUL_ROWS } from '../../src/panel/panel-state';
import {
  ANIMATION_FRAME_FALLBACK_MS,
  type Clock,
  createRenderThrottle,
  STREAMING_RENDER_INTERVAL_MS,
} from '../../src/panel/render-throttle';
import { applyEvents } from './record-helpers';
import { created, received, sequence, text } from './session-fixtures';

function fakeClock(visible = true) {
  let now = 0;
  const timers: Array<{ at: number; callback: () => void }> = [];
  const frames: Array<() => void> = [];
  let renderCost = 0;
  const clock: Clock = {
    now: () => now,
    afterRender: (callback) => {
      now += renderCost;
      callback();
    },
    setTimeout: (callback, ms) => timers.push({ at: now + ms, callback }),
    requestAnimationFrame: (callback) => frames.push(callback),
    visible: () => visible,
  };
  return {
    clock,
    setRenderCost(ms: number) {
      renderCost = ms;
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
    },
    paint() {
      for (const frame of frames.splice(0)) frame();
    },
  };
}

/** The interval rules alone: traffic that never pauses long enough to count as quiet. */
const NEVER_QUIET = Number.POSITIVE_INFINITY;

describe('render throttle', () => {
  it('renders the first change in the next animation frame, then at most once per interval', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    let renders = 0;
    const render = () => renders++;
    schedule(render);
    schedule(render);
    time.paint();
    expect(renders).toBe(1);
    for (let i = 0; i < 10; i++) {
      schedule(render);
      time.advance(10);
      time.paint();
    }
    // 100 ms of changes every 10 ms: one more render, at the interval.
    expect(renders).toBe(2);
    time.advance(100);
    time.paint();
    expect(renders).toBe(2);
  });

  it('renders without an animation frame when the browser stops painting a visible window', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    let renders = 0;
    schedule(() => renders++);
    time.advance(ANIMATION_FRAME_FALLBACK_MS - 1);
    expect(renders).toBe(0);
    time.advance(1);
    expect(renders).toBe(1);
    // The late animation frame does not render the same change twice.
    time.paint();
    expect(renders).toBe(1);
    schedule(() => renders++);
    time.advance(100);
    time.paint();
    expect(renders).toBe(2);
  });

  it('never drops the last change of a burst', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    schedule(() => renders++);
    time.advance(99);
    time.paint();
    expect(renders).toBe(1);
    time.advance(1);
    time.paint();
    expect(renders).toBe(2);
  });

  it('waits longer after slow renders, so rendering takes a bounded share of the time', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    time.setRenderCost(30);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    // The first render ended at 30 ms; the next may start 8 x 30 ms after the first began.
    schedule(() => renders++);
    time.advance(209);
    time.paint();
    expect(renders).toBe(1);
    time.advance(1);
    time.paint();
    expect(renders).toBe(2);
  });

  it('lets a visible view fall at most 300 ms behind, however slow its renders', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    time.setRenderCost(100);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    schedule(() => renders++);
    time.advance(199);
    time.paint();
    expect(renders).toBe(1);
    time.advance(1);
    time.paint();
    expect(renders).toBe(2);
  });

  it('renders a hidden panel on a slower timer, without animation frames', () => {
    const time = fakeClock(false);
    const schedule = createRenderThrottle(100, time.clock, NEVER_QUIET);
    let renders = 0;
    schedule(() => renders++);
    expect(renders).toBe(1);
    schedule(() => renders++);
    time.advance(100);
    expect(renders).toBe(1);
    time.advance(400);
    expect(renders).toBe(2);
  });

  it('renders the last change of a burst once changes stop, not at the interval', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(300, time.clock, 50);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    // A burst: a change every 10 ms for 100 ms keeps the render waiting for the interval.
    for (let i = 0; i < 10; i++) {
      schedule(() => renders++);
      time.advance(10);
      time.paint();
    }
    expect(renders).toBe(1);
    // Quiet for 50 ms after the last change: it renders then, 150 ms before the interval ends.
    time.advance(39);
    time.paint();
    expect(renders).toBe(1);
    time.advance(11);
    time.paint();
    expect(renders).toBe(2);
    // Once only: the interval's own timer finds nothing left to do.
    time.advance(300);
    time.paint();
    expect(renders).toBe(2);
  });

  it('still renders at the interval while changes keep coming', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, 50);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    for (let i = 0; i < 30; i++) {
      schedule(() => renders++);
      time.advance(10);
      time.paint();
    }
    // 300 ms of changes every 10 ms: the first render, then one per 100 ms, none early.
    expect(renders).toBe(4);
  });

  it('does not take the gaps of traffic that comes in spaced batches for quiet', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(200, time.clock, 50);
    let renders = 0;
    schedule(() => renders++);
    time.paint();
    // A batch every 80 ms (a background page posting in spaced batches) for 800 ms.
    for (let i = 0; i < 10; i++) {
      time.advance(80);
      schedule(() => renders++);
      time.paint();
    }
    // At most one per 200 ms (painted with the batch after each), not 50 ms after each batch.
    expect(renders).toBe(4);
    // The last batch (at 800 ms) renders at the interval's end, 120 ms later: sooner than twice
    // the last gap, and nothing renders before.
    time.advance(119);
    time.paint();
    expect(renders).toBe(4);
    time.advance(1);
    time.paint();
    expect(renders).toBe(5);
  });
});

describe('render throttle while rows stream past', () => {
  it('renders at most every STREAMING_RENDER_INTERVAL_MS, and after a quiet spell at once', () => {
    const time = fakeClock();
    const schedule = createRenderThrottle(100, time.clock, 50);
    let renders = 0;
    schedule(() => renders++, true);
    time.paint();
    for (let i = 0; i < 100; i++) {
      schedule(() => renders++, true);
      time.advance(10);
      time.paint();
    }
    // 1 s of changes every 10 ms: the first render, then one per 500 ms (not one per 100 ms).
    expect(renders).toBe(1 + Math.floor(1000 / STREAMING_RENDER_INTERVAL_MS));
    // One more change, then quiet: it renders 50 ms later, not at the interval's end.
    schedule(() => renders++, true);
    time.advance(49);
    time.paint();
    expect(renders).toBe(1 + Math.floor(1000 / STREAMING_RENDER_INTERVAL_MS));
    time.advance(1);
    time.paint();
    expect(renders).toBe(2 + Math.floor(1000 / STREAMING_RENDER_INTERVAL_MS));
  });
});

describe('PanelState tells the throttle when rows stream past', () => {
  const frames = (count: number, from: number) =>
    sequence(
      Array.from({ length: count }, () => received(1, text('tick'))),
      from,
    );

  it('streaming once a render brought more than a screenful of new rows, not before', () => {
    const calls: boolean[] = [];
    const state = new PanelState(undefined, (render, streaming) => {
      calls.push(streaming);
      render();
    });
    state.session.addDocument({ documentId: 'd', url: 'http://a/', startedAt: 1, frameId: 0 });
    const apply = (events: ReturnType<typeof frames>) => {
      applyEvents(state.session, 'd', events, 0, 0);
      state.changed();
    };
    apply(sequence([created(1)]));
    apply(frames(SCREENFUL_ROWS, 1));
    // Exactly a screenful came with the last render: still readable.
    apply(frames(1, SCREENFUL_ROWS + 1));
    apply(frames(SCREENFUL_ROWS + 1, SCREENFUL_ROWS + 2));
    // That render brought more than a screenful: the next change is paced as streaming...
    apply(frames(1, 2 * SCREENFUL_ROWS + 3));
    // ... and one render with few new rows ends it.
    apply(frames(1, 2 * SCREENFUL_ROWS + 4));
    expect(calls).toEqual([false, false, false, false, true, false]);
  });
});
