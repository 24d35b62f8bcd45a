/**
 * MAIN-world content script, `document_start`, every frame: installs the WebSocket recorder
 * before any page script runs and posts captured events to the relay in batches.
 */

import { executeCommand } from '../src/capture/command-executor';
import { EventBatcher } from '../src/capture/event-batcher';
import { installRecorder } from '../src/capture/install-recorder';
import { createTaskScheduler, openPrivateChannel } from '../src/capture/private-channel';
import type { HookCommandResult, RelayToHook } from '../src/protocol/capture-events';
import { DEFAULT_LIMITS } from '../src/protocol/limits';

const pageGlobal = globalThis;

if (typeof pageGlobal.WebSocket === 'function' && typeof pageGlobal.MessageChannel === 'function') {
  const port = openPrivateChannel(pageGlobal);
  const postMessage = port.postMessage.bind(port);
  const batcher = new EventBatcher({
    post: (batch, transfer) => postMessage(batch, transfer),
    schedule: createTaskScheduler(pageGlobal),
    maxEvents: DEFAULT_LIMITS.hookBatchEvents,
    maxBytes: DEFAULT_LIMITS.hookBatchBytes,
  });
  const recorder = installRecorder(
    pageGlobal,
    { record: (event, bytes, buffer) => batcher.add(event, bytes, buffer) },
    { payloadCap: DEFAULT_LIMITS.payloadCap },
  );
  // Only the relay holds the other end of this port: the page cannot reach it.
  port.onmessage = (event: MessageEvent<RelayToHook>) => {
    const message = event.data;
    if (message.type === 'settings' && message.payloadCap > 0) {
      recorder.settings = { payloadCap: message.payloadCap };
    } else if (message.type === 'command') {
      const result = executeCommand(recorder, message.commandId, message.command);
      // The events the command caused go first, so the panel sees them before the answer.
      batcher.flush();
      postMessage({ result } satisfies HookCommandResult);
    }
  };
  // Leaving the page: held frames go on (outgoing ones still reach the server), never lost.
  recorder.intrinsics.addEventListener(pageGlobal, 'pagehide', () => {
    recorder.gate.releaseAll();
    batcher.flush();
  });
}
