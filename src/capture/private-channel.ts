import { HOOK_HELLO } from '../protocol/capture-events';

/**
 * Opens the hook's private channel to the relay: a MessageChannel whose second port travels once
 * on `window`, before any page script can listen. The relay takes it and stops the event, so no
 * page listener ever sees it; afterwards nothing of ours passes through `window`.
 */
export function openPrivateChannel(global: typeof globalThis): MessagePort {
  const channel = new global.MessageChannel();
  global.postMessage({ [HOOK_HELLO]: true }, '*', [channel.port2]);
  return channel.port1;
}

/** A task scheduler that browsers do not throttle in background tabs, unlike setTimeout. */
export function createTaskScheduler(global: typeof globalThis): (task: () => void) => void {
  const channel = new global.MessageChannel();
  const queue: Array<() => void> = [];
  channel.port1.onmessage = () => {
    const task = queue.shift();
    task?.();
  };
  const post = channel.port2.postMessage.bind(channel.port2);
  return (task) => {
    queue[queue.length] = task;
    post(0);
  };
}

interface TaskScheduler {
  postTask(task: () => void, options: { delay: number }): Promise<unknown>;
}

/**
 * A scheduler that runs a task after `delay()` ms, so that everything recorded in that time
 * travels in one post. Uses the browser's `scheduler.postTask` (it hands the page no timer id to
 * notice, unlike setTimeout), captured before page scripts run; without it, the next task.
 */
export function createDelayedScheduler(
  global: typeof globalThis,
  delay: () => number,
): (task: () => void) => void {
  const scheduler = (global as { scheduler?: TaskScheduler }).scheduler;
  const postTask = scheduler?.postTask;
  if (typeof postTask !== 'function') return createTaskScheduler(global);
  // Captured now: the page may replace Reflect or Promise.prototype.then later.
  const apply = Reflect.apply;
  const promiseThen = global.Promise.prototype.then;
  const ignore = () => undefined;
  return (task) => {
    const done = apply(postTask, scheduler, [task, { delay: delay() }]);
    // A task cancelled by the document going away must not surface as an unhandled rejection.
    apply(promiseThen, done, [undefined, ignore]);
  };
}
