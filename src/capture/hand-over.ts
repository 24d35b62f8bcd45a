import type { HookBatch } from '../protocol/capture-events';
import type { Intrinsics } from './native-intrinsics';
import { nullRecord } from './page-builtins';

/**
 * Hands batches to the relay in place (Firefox, see the `hand-over` message): each is the
 * `detail` of an event of the relay's secret type, dispatched on the page's window. The relay
 * reads it during the dispatch, so the batch is never cloned and never leaves the page's thread.
 *
 * Page-world code: the event and its init dictionary come from constructors captured at install,
 * and the dictionary has no prototype, so reading its options runs no getter a page defined.
 */
export function createHandOver(
  global: typeof globalThis,
  intrinsics: Pick<Intrinsics, 'CustomEvent' | 'dispatchEvent'>,
  eventType: string,
): (batch: HookBatch) => void {
  const { CustomEvent, dispatchEvent } = intrinsics;
  return (batch) => {
    const init = nullRecord<CustomEventInit<HookBatch>>();
    init.detail = batch;
    dispatchEvent(global, new CustomEvent(eventType, init));
  };
}
