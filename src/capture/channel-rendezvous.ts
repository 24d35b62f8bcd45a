import { CHANNEL_MARK, HOOK_PORT_EVENT, RELAY_READY_EVENT } from '../protocol/capture-events';
import { nullRecord, reflectApply, safeSequence } from './page-builtins';

/**
 * The hook's side of the rendezvous with the relay (see CHANNEL_MARK): appends the mark to the
 * document and, when the relay says it is ready on it, hands it `port`. Returns the mark, which
 * the relay takes out of the document: from then on a node only the two of them hold, where the
 * hook also hands batches over (see createHandOver).
 *
 * Runs at install, before any page script; the DOM methods it uses are read now, and what it
 * hands to native code has no prototype, so no later page patch is ever called.
 */
export function offerPortToRelay(global: typeof globalThis, port: MessagePort): Node {
  const { document, MessageEvent } = global;
  const node = reflectApply(global.Document.prototype.createComment, document, [
    CHANNEL_MARK,
  ]) as Node;
  const dispatchEvent = global.EventTarget.prototype.dispatchEvent;
  const options = nullRecord<AddEventListenerOptions>();
  options.once = true;
  reflectApply(global.EventTarget.prototype.addEventListener, node, [
    RELAY_READY_EVENT,
    () => {
      const init = nullRecord<MessageEventInit>();
      init.ports = safeSequence([port]) as MessagePort[];
      reflectApply(dispatchEvent, node, [new MessageEvent(HOOK_PORT_EVENT, init)]);
    },
    options,
  ]);
  reflectApply(global.Node.prototype.appendChild, document, [node]);
  return node;
}
