import { afterEach, describe, expect, it } from 'vitest';
import { createHandOver } from '../../src/capture/hand-over';
import { HAND_OVER_EVENT, type HookBatch } from '../../src/protocol/capture-events';

const dispatchEvent = (target: EventTarget, event: Event) => target.dispatchEvent(event);

describe('hand-over of batches in place', () => {
  afterEach(() => {
    delete (Object.prototype as { bubbles?: unknown }).bubbles;
  });

  it('dispatches the batch itself, not a copy, as the detail of an event on the channel node', () => {
    const target = new EventTarget() as Node;
    const seen: unknown[] = [];
    target.addEventListener(HAND_OVER_EVENT, (event) => seen.push((event as CustomEvent).detail));
    const handOver = createHandOver(target, { CustomEvent, dispatchEvent });
    const batch: HookBatch = { subscription: 1, firstSeq: 0, lost: 0, records: [] };
    handOver(batch);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(batch);
  });

  it("runs no getter a page put on Object.prototype while building the event's options", () => {
    let calls = 0;
    Object.defineProperty(Object.prototype, 'bubbles', {
      configurable: true,
      get() {
        calls++;
        return true;
      },
    });
    const target = new EventTarget() as Node;
    let bubbles: boolean | undefined;
    target.addEventListener(HAND_OVER_EVENT, (event) => {
      bubbles = event.bubbles;
    });
    createHandOver(target, { CustomEvent, dispatchEvent })({
      subscription: 1,
      firstSeq: 0,
      lost: 0,
      records: [],
    });
    expect(calls).toBe(0);
    expect(bubbles).toBe(false);
  });
});
