import { dataDescriptor, nullRecord, reflectApply, reflectDefineProperty } from './page-builtins';

/** A task scheduler that browsers do not throttle in background tabs, unlike setTimeout. */
export function createTaskScheduler(global: typeof globalThis): (task: () => void) => void {
  const channel = new global.MessageChannel();
  // A queue in a null-prototype record: Array.prototype methods and setters are the page's.
  const queue: Record<number, () => void> = nullRecord();
  let head = 0;
  let tail = 0;
  channel.port1.onmessage = () => {
    if (head === tail) return;
    const task = queue[head]!;
    delete queue[head++];
    task();
  };
  const post = channel.port2.postMessage.bind(channel.port2);
  return (task) => {
    queue[tail++] = task;
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
  const after = createPostTaskTimer(global);
  if (after === undefined) return createTaskScheduler(global);
  return (task) => after(task, delay());
}

/**
 * `scheduler.postTask` with a delay, captured before page scripts run: a timer that hands the
 * page no timer id to notice (its first setTimeout returns what it would without the hook).
 * Undefined where the browser has no postTask.
 */
export function createPostTaskTimer(
  global: typeof globalThis,
): ((task: () => void, ms: number) => void) | undefined {
  const scheduler = (global as { scheduler?: TaskScheduler }).scheduler;
  const postTask = scheduler?.postTask;
  if (typeof postTask !== 'function') return undefined;
  const promiseThen = global.Promise.prototype.then;
  const ignore = () => undefined;
  // `then` looks up the promise's `constructor` and its species, which the page may define on
  // Promise.prototype: an own `constructor` without a species makes it use the native Promise.
  const noSpecies = dataDescriptor(nullRecord(), true, false, true);
  return (task, ms) => {
    // Without prototype: postTask reads `priority` and `signal` too, which a page getter would see.
    const options = nullRecord<{ delay: number }>();
    options.delay = ms;
    const done = reflectApply(postTask, scheduler, [task, options]) as Promise<unknown>;
    // A task cancelled by the document going away must not surface as an unhandled rejection.
    reflectDefineProperty(done, 'constructor', noSpecies);
    reflectApply(promiseThen, done, [undefined, ignore]);
  };
}
