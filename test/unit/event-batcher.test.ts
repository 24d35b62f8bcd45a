import { describe, expect, it } from 'vitest';
import { EventBatcher } from '../../src/capture/event-batcher';
import type { CaptureEvent, HookBatch } from '../../src/protocol/capture-events';

const error = (id: number): CaptureEvent => ({ type: 'error', id, time: 1 });

describe('EventBatcher', () => {
  it('posts once per scheduled flush, however many events came before it', () => {
    const posts: HookBatch[] = [];
    const tasks: Array<() => void> = [];
    const batcher = new EventBatcher({
      post: (batch) => posts.push(batch),
      schedule: (task) => tasks.push(task),
      maxEvents: 1000,
      maxBytes: 1000,
    });
    for (let i = 1; i <= 500; i++) batcher.add(error(i));
    expect(posts).toHaveLength(0);
    expect(tasks).toHaveLength(1);
    tasks.shift()!();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.events).toHaveLength(500);
  });

  it('flushes at once at the event and byte bounds, passing the buffers to transfer', () => {
    const posts: Array<[HookBatch, ArrayBuffer[]]> = [];
    const batcher = new EventBatcher({
      post: (batch, transfer) => posts.push([batch, transfer]),
      schedule: () => undefined,
      maxEvents: 3,
      maxBytes: 10,
    });
    batcher.add(error(1));
    batcher.add(error(2));
    batcher.add(error(3));
    expect(posts).toHaveLength(1);
    const buffer = new ArrayBuffer(12);
    batcher.add(error(4), 12, buffer);
    expect(posts).toHaveLength(2);
    expect(posts[1]![1]).toEqual([buffer]);
  });
});
