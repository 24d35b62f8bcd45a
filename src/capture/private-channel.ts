import { offerPortToRelay } from './channel-rendezvous';

/**
 * Opens the hook's private channel to the relay: a MessageChannel whose second port goes to the
 * relay on a node only the two of them hold (see CHANNEL_MARK), never through `window`, where a
 * page script (or a same-origin parent watching a new frame's window) could take it or answer
 * with a port of its own. Returns the hook's port and that node.
 */
export function openPrivateChannel(global: typeof globalThis): { port: MessagePort; node: Node } {
  const channel = new global.MessageChannel();
  return { port: channel.port1, node: offerPortToRelay(global, channel.port2) };
}
