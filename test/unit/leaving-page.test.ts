import { describe, expect, it } from 'vitest';
import { EventStream } from '../../src/capture/event-stream';
import type { HookBatch } from '../../src/protocol/capture-events';
import { DEFAULT_LIMITS, HOOK_POST_SOON_EVENTS } from '../../src/protocol/limits';

/**
 * A hook whose port posts are delivered only when the test says so: what a Chrome page's relay
 * sees when the document goes away with posts still queued for it.
 */
function hook() {
  const inFlight: HookBatch[] = [];
  const tasks: Array<() => void> = [];
  const stream = new EventStream({
    post: (batch) => {
      inFlight.push(batch);
      return false;
    },
    copyForTransfer: () => undefined,
    schedule: (task) => tasks.push(task),
    scheduleSoon: (task) => tasks.push(task),
    soonEvents: HOOK_POST_SOON_EVENTS,
    maxEvents: DEFAULT_LIMITS.hookBatchEvents,
    maxBytes: DEFAULT_LIMITS.hookBatchBytes,
    backlogEvents: DEFAULT_LIMITS.backlogEvents,
    backlogBytes: DEFAULT_LIMITS.backlogBytes,
    recentlyEnded: 10,
  });
  const send = (text: string) => stream.frame('sent', 1, 1, text, text.length * 2, 1, 0, 'page');
  const runTasks = () => {
    for (const task of tasks.splice(0)) task();
  };
  /** The relay reads the posts in flight and acknowledges them, as the content relay does. */
  const deliver = () => {
    for (const batch of inFlight.splice(0)) {
      stream.acknowledge(batch.subscription, batch.firstSeq + batch.records.length / 6);
    }
  };
  const handedOver: HookBatch[] = [];
  const leave = () =>
    stream.leave((batch) => {
      handedOver.push(batch);
      return true;
    });
  const texts = (batches: HookBatch[]) =>
    batches.flatMap((batch) => batch.records.filter((value) => typeof value === 'string'));
  return { stream, send, runTasks, deliver, leave, handedOver, texts, inFlight };
}

describe('a document going away', () => {
  it('hands over what waits and what was posted but never read, and nothing read before', () => {
    const { stream, send, runTasks, deliver, leave, handedOver, texts, inFlight } = hook();
    stream.subscribe(1, 0);
    send('read');
    runTasks();
    deliver();
    send('posted, still queued');
    runTasks();
    expect(inFlight).toHaveLength(1);
    send('not posted yet');
    leave();
    expect(texts(handedOver)).toEqual(['posted, still queued', 'not posted yet']);
    expect(handedOver[0]!.firstSeq).toBe(1);
  });

  it('hands over nothing when the relay has read everything', () => {
    const { stream, send, runTasks, deliver, leave, handedOver } = hook();
    stream.subscribe(1, 0);
    send('read');
    runTasks();
    deliver();
    leave();
    expect(handedOver).toEqual([]);
  });

  it('hands over nothing while no panel listens (the log stays for the next one)', () => {
    const { send, leave, handedOver } = hook();
    send('kept in the log');
    leave();
    expect(handedOver).toEqual([]);
  });

  it('ignores acknowledgements of an earlier subscription', () => {
    const { stream, send, runTasks, leave, handedOver, texts } = hook();
    stream.subscribe(1, 0);
    send('a');
    runTasks();
    stream.subscribe(2, 0);
    stream.acknowledge(1, 5);
    leave();
    expect(texts(handedOver)).toEqual(['a']);
  });
});
