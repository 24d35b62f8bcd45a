import type { RelayToHook } from '../protocol/capture-events';
import type { Limits } from '../protocol/limits';
import {
  type BackgroundToRelay,
  DATA_PORT,
  type DocumentInfo,
  type PanelToRelay,
  type RelayToBackground,
  type RelayToPanel,
} from '../protocol/port-messages';
import { RelayCore } from './relay-core';

/** How long a new subscription waits for its panel's data port before going without it. */
export const DATA_PORT_WAIT_MS = 500;

/** How long the relay waits before it reconnects to a background that went away. */
export const RECONNECT_DELAY_MS = 50;

/** The command result a panel gets when this document has no hook to run its command. */
export const NO_HOOK_ERROR = 'Sockscope is not running in this page.';

/** The part of a runtime port the relay uses (a browser's Runtime.Port fits it; tests use fakes). */
export interface RelayPort<Outgoing> {
  readonly name?: string;
  readonly sender?: { id?: string };
  postMessage(message: Outgoing): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** The hook's private port, as the relay uses it. */
export interface HookPort {
  postMessage(message: RelayToHook): void;
}

export interface RelayRouterOptions {
  document: DocumentInfo;
  limits: Limits;
  /**
   * The hook hands every batch over in place (Firefox, whose content script reads the page's
   * objects through Xrays); otherwise only the last ones as the document goes away (see the
   * `hand-over` message).
   */
  handOverAlways: boolean;
  /** The extension's id: only its own pages may open a data port here. */
  extensionId: string;
  /** Opens a port to the background; throws when the extension was reloaded or removed. */
  connectBackground: () => RelayPort<RelayToBackground>;
}

/**
 * Where what reaches the relay goes: the background's subscribe, unsubscribe and commands, the
 * panels' data ports, and the hook's private port, each routed to the {@link RelayCore} or on to
 * the hook. Holds what outlives one port: messages for a hook whose port has not come yet, the
 * wait for a panel's data port, and the reconnection to a background that went away.
 */
export class RelayRouter {
  readonly core: RelayCore;
  private background: RelayPort<RelayToBackground> | undefined;
  private hook: HookPort | undefined;
  /** What the relay told the hook before its port arrived (it arrives at document_start). */
  private readonly waitingForHook: RelayToHook[] = [];
  private dataPortWait: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RelayRouterOptions) {
    this.core = new RelayCore(
      options.document,
      options.limits,
      (message) => this.background?.postMessage(message),
      (message) => this.toHook(message),
    );
    // A relay that reads the hook's port acknowledges what it read, so that whatever is still in
    // flight as the document goes away is handed over again.
    this.core.acknowledgeBatches = !options.handOverAlways;
    this.toHook({ type: 'hand-over', always: options.handOverAlways });
  }

  /** The hook's private port came: what waited for it goes first. */
  hookConnected(port: HookPort): void {
    this.hook = port;
    for (const message of this.waitingForHook.splice(0)) port.postMessage(message);
  }

  /** A message from the page channel (the hook's port, or a hand-over): untrusted. */
  fromHook(data: unknown): void {
    this.core.receiveFromPage(data);
  }

  /** Connects to the background and says which document this is; reconnects when it goes. */
  connectBackground(): void {
    let port: RelayPort<RelayToBackground>;
    try {
      port = this.options.connectBackground();
    } catch {
      return; // The extension was reloaded or removed: this document's relay is orphaned.
    }
    this.background = port;
    port.onMessage.addListener((message) => this.fromBackground(port, message));
    port.onDisconnect.addListener(() => {
      this.background = undefined;
      this.core.unsubscribe();
      // The background restarted (or the extension went away): events wait in the hook's log.
      setTimeout(() => this.connectBackground(), RECONNECT_DELAY_MS);
    });
    port.postMessage(this.core.hello());
  }

  /**
   * A port another context opened to this frame: only a panel's direct port for events (see
   * DATA_PORT) is taken, and only from the extension's own pages (the browser sets the sender).
   */
  portOpened(port: RelayPort<RelayToPanel>): void {
    if (port.name !== DATA_PORT || port.sender?.id !== this.options.extensionId) return;
    const send = (message: RelayToPanel) => port.postMessage(message);
    port.onMessage.addListener((message) => {
      const answer = message as PanelToRelay | null;
      if (answer?.type !== 'accept' || !Number.isSafeInteger(answer.cursor)) return;
      clearTimeout(this.dataPortWait);
      this.core.dataPortAccepted(send, Math.max(0, answer.cursor));
    });
    port.onDisconnect.addListener(() => this.core.dataPortClosed(send));
    send({ type: 'data-hello', documentId: this.core.document.documentId });
  }

  private fromBackground(port: RelayPort<RelayToBackground>, message: unknown): void {
    const command = message as BackgroundToRelay;
    if (command.type === 'subscribe') {
      // The panel that asked opens a data port to this frame, unless it cannot (a browser may
      // give DevTools panels no tabs.connect): then events go through the background.
      this.core.portsClone = ArrayBuffer.isView(command.cloneProbe);
      this.core.subscribe(command.fromSeq, true);
      clearTimeout(this.dataPortWait);
      this.dataPortWait = setTimeout(() => this.core.stopWaiting(), DATA_PORT_WAIT_MS);
    } else if (command.type === 'unsubscribe') this.core.unsubscribe();
    else if (command.type === 'command') {
      const { commandId } = command;
      if (this.hook)
        this.hook.postMessage({ type: 'command', commandId, command: command.command });
      else {
        // The hook's port comes at document_start, before any event a command could be about:
        // without it there is no hook here, and the panel hears so rather than nothing.
        port.postMessage({
          type: 'command-result',
          result: { commandId, ok: false, error: NO_HOOK_ERROR },
        });
      }
    }
  }

  private toHook(message: RelayToHook): void {
    if (this.hook) this.hook.postMessage(message);
    else this.waitingForHook.push(message);
  }
}
