import { CHANNEL_MARK, HOOK_PORT_EVENT, RELAY_READY_EVENT } from '../protocol/capture-events';

/**
 * The relay's side of the rendezvous with the page hook (see CHANNEL_MARK): takes the hook's
 * comment out of the document, at once when the hook ran first, else from the first change to
 * the document's children (the hook's own append, in the microtask right after the hook's
 * script). Accepts one port, once: a document has one hook.
 *
 * Runs in the isolated world, whose DOM methods no page script can replace.
 */
export function awaitHookPort(
  document: Document,
  onPort: (port: MessagePort, node: Node) => void,
): void {
  const mark = document.lastChild;
  if (isChannelMark(mark)) {
    take(mark, onPort);
    return;
  }
  const observer = new MutationObserver(() => {
    // Only the first change counts: the hook appends its mark before any page script runs, and
    // a mark that appears later (the page's own markup) is not the hook's.
    observer.disconnect();
    const added = document.lastChild;
    if (isChannelMark(added)) take(added, onPort);
  });
  observer.observe(document, { childList: true });
}

function take(node: Comment, onPort: (port: MessagePort, node: Node) => void): void {
  node.remove();
  let taken = false;
  node.addEventListener(HOOK_PORT_EVENT, (event) => {
    const port = (event as MessageEvent).ports[0];
    if (taken || !port) return;
    taken = true;
    onPort(port, node);
  });
  node.dispatchEvent(new Event(RELAY_READY_EVENT));
}

function isChannelMark(node: ChildNode | null): node is Comment {
  return (
    node !== null && node.nodeType === Node.COMMENT_NODE && (node as Comment).data === CHANNEL_MARK
  );
}
