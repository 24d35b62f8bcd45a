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
