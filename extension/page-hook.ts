/**
 * MAIN-world content script, `document_start`, every frame: installs the WebSocket recorder
 * before any page script runs. Events go into the hook's bounded log; while a panel listens
 * (the relay has subscribed) they are also posted to the relay in batches.
 *
 * Page-world code: after install it calls only built-ins captured while this script was
 * evaluated (see src/capture/page-builtins.ts), since page scripts may patch any of them.
 */

import { executeCommand } from '../src/capture/command-executor';
import { EventStream } from '../src/capture/event-stream';
import { createHandOver } from '../src/capture/hand-over';
import { installRecorder } from '../src/capture/install-recorder';
import { createInterceptGate } from '../src/capture/intercept-gate';
import { nullRecord, safeSequence } from '../src/capture/page-builtins';
import { copyBuffer } from '../src/capture/payload-snapshot';
import { openPrivateChannel } from '../src/capture/private-channel';
import { readRelayMessage } from '../src/capture/relay-message';
import { createDelayedScheduler, createTaskScheduler } from '../src/capture/task-schedulers';
import type { HookBatch, HookCommandResult, RelayToHook } from '../src/protocol/capture-events';
import {
  DEFAULT_LIMITS,
  HOOK_POST_SOON_EVENTS,
  RECENTLY_ENDED_CONNECTIONS,
} from '../src/protocol/limits';

const pageGlobal = globalThis;
/** Binary payloads this large are copied and transferred to the relay rather than cloned. */
const TRANSFER_MIN_BYTES = 64 * 1024;

if (typeof pageGlobal.WebSocket === 'function' && typeof pageGlobal.MessageChannel === 'function') {
  const { port, node: channelNode } = openPrivateChannel(pageGlobal);
  const postMessage = port.postMessage.bind(port);
  let flushDelayMs = DEFAULT_LIMITS.forwardDelayMs;
  /** Hands a batch to the relay in place, read during the call (see the `hand-over` message). */
  let handOver: ((batch: HookBatch) => boolean) | undefined;
  /** Every batch is handed over (Firefox), not only the last ones as the document goes away. */
  let handOverAlways = false;
  const stream = new EventStream({
    post: (batch, transfer) => {
      if (handOver && handOverAlways) return handOver(batch);
      if (transfer.length === 0) postMessage(batch);
      else {
        // Options without prototype, the list a safe sequence: an array would be iterated with
        // the page's Array.prototype[Symbol.iterator].
        const options = nullRecord<{ transfer: Iterable<unknown> }>();
        options.transfer = safeSequence(transfer);
        postMessage(batch, options as StructuredSerializeOptions);
      }
      return false;
    },
    copyForTransfer: (buffer) => {
      // Handed over, a batch is read in place during the dispatch: nothing to transfer.
      if (handOverAlways) return undefined;
      const length = recorder.intrinsics.arrayBufferByteLength(buffer);
      return length >= TRANSFER_MIN_BYTES ? copyBuffer(buffer, length) : undefined;
    },
    schedule: createDelayedScheduler(pageGlobal, () => flushDelayMs),
    scheduleSoon: createTaskScheduler(pageGlobal),
    soonEvents: HOOK_POST_SOON_EVENTS,
    maxEvents: DEFAULT_LIMITS.hookBatchEvents,
    maxBytes: DEFAULT_LIMITS.hookBatchBytes,
    backlogEvents: DEFAULT_LIMITS.backlogEvents,
    backlogBytes: DEFAULT_LIMITS.backlogBytes,
    recentlyEnded: RECENTLY_ENDED_CONNECTIONS,
  });
  const recorder = installRecorder(
    pageGlobal,
    stream,
    { payloadCap: DEFAULT_LIMITS.payloadCap, sendStacks: false, awaitRules: true },
    createInterceptGate,
  );
  // Only the relay holds the other end of this port: the page cannot reach it.
  port.onmessage = (event: MessageEvent<RelayToHook>) => {
    const message = readRelayMessage(recorder.intrinsics.messageData(event));
    if (message.type === 'subscribe') stream.subscribe(message.subscription, message.fromSeq);
    else if (message.type === 'unsubscribe') stream.unsubscribe();
    else if (message.type === 'received') stream.acknowledge(message.subscription, message.endSeq);
    else if (message.type === 'hand-over') {
      const handOverOnce = createHandOver(channelNode, recorder.intrinsics);
      handOver = (batch) => {
        handOverOnce(batch);
        return true;
      };
      handOverAlways = message.always;
    } else if (message.type === 'settings') {
      recorder.settings = {
        payloadCap: message.payloadCap,
        sendStacks: message.sendStacks === true,
      };
      stream.setBacklogLimits(message.backlogEvents, message.backlogBytes);
      flushDelayMs = message.forwardDelayMs;
    } else if (message.type === 'rules') {
      recorder.rules.configure(message.rules);
    } else if (message.type === 'command') {
      const result = executeCommand(recorder, message.commandId, message.command);
      // The events the command caused go first, so the panel sees them before the answer.
      stream.flush();
      postMessage({ result } satisfies HookCommandResult);
    }
  };
  // Leaving the page: held frames go on (outgoing ones still reach the server), never lost, and
  // what the relay has not read goes to it in place (a port message posted now would never be
  // delivered).
  recorder.keepWindowListener('pagehide', () => {
    recorder.gate.releaseAll();
    if (handOver) stream.leave(handOver);
    else stream.flush();
  });
}
