import { HAND_OVER_EVENT, type HookBatch } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';
import { nullRecord } from './page-builtins';

/**
 * Hands batches to the relay in place (see the `hand-over` message): each is the `detail` of an
 * event dispatched on the channel's node (see CHANNEL_MARK), which no page script can reach and
 * whose events reach no page listener. The relay reads it during the dispatch, so the batch is
 * never queued (in Firefox not even cloned) and never leaves the page's thread.
 *
 * Page-world code: the event and its init dictionary come from constructors captured at install,
 * and the dictionary has no prototype, so reading its options runs no getter a page defined.
 */
export function createHandOver(
  node: Node,
  intrinsics: Pick<Intrinsics, 'CustomEvent' | 'dispatchEvent'>,
): (batch: HookBatch) => void {
  const { CustomEvent, dispatchEvent } = intrinsics;
  return (batch) => {
    const init = nullRecord<CustomEventInit<HookBatch>>();
    init.detail = batch;
    dispatchEvent(node, new CustomEvent(HAND_OVER_EVENT, init));
  };
}
