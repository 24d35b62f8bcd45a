import type { CommandResult, PageCommand } from '../protocol/page-commands';
import type { BackgroundToPanel, PanelToBackground } from '../protocol/port-messages';
import { decodeRecords } from '../session/decode-records';
import type { SessionStore } from '../session/session-store';

/** The two words of transport the panel needs; a runtime Port fits, and so does a test fake. */
export interface PanelPort {
  postMessage(message: PanelToBackground): void;
  onMessage: { addListener(listener: (message: BackgroundToPanel) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/**
 * Attaches a session to a tab through the background and keeps it attached: when the port drops
 * (the service worker stopped), it reconnects and re-attaches with its cursors, so relays resend
 * exactly what the panel has not yet seen.
 */
export class PanelConnection {
  private stopped = false;
  private port: PanelPort | undefined;
  private nextCommandId = 1;
  private readonly pending = new Map<number, (result: CommandResult) => void>();
  connects = 0;

  constructor(
    private readonly tabId: number,
    private readonly session: SessionStore,
    private readonly openPort: () => PanelPort,
    private readonly onChange: () => void,
    private readonly retryMs = 100,
  ) {}

  start(): void {
    if (this.stopped) return;
    let port: PanelPort;
    try {
      port = this.openPort();
    } catch {
      return; // The extension itself is gone: nothing to reconnect to.
    }
    this.connects++;
    this.port = port;
    port.onMessage.addListener((message) => this.receive(message));
    port.onDisconnect.addListener(() => {
      this.port = undefined;
      if (!this.stopped) setTimeout(() => this.start(), this.retryMs);
    });
    port.postMessage({ type: 'attach', tabId: this.tabId, cursors: this.session.cursors() });
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sends a command to one document of the tab; resolves with its result (or a timeout). */
  command(documentId: string, command: PageCommand, timeoutMs = 10_000): Promise<CommandResult> {
    const commandId = this.nextCommandId++;
    const port = this.port;
    if (!port) {
      return Promise.resolve({
        commandId,
        ok: false,
        error: 'Not connected to the extension; try again.',
      });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(commandId);
        resolve({ commandId, ok: false, error: 'The page did not answer (is it still open?).' });
      }, timeoutMs);
      this.pending.set(commandId, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      port.postMessage({ type: 'command', documentId, commandId, command });
    });
  }

  private receive(message: BackgroundToPanel): void {
    if (message.type === 'command-result') {
      const settle = this.pending.get(message.result.commandId);
      this.pending.delete(message.result.commandId);
      settle?.(message.result);
      return;
    }
    if (message.type === 'document') this.session.addDocument(message.document);
    else if (message.type === 'events') {
      const { firstSeq } = message;
      const { events, endSeq, malformed } = decodeRecords(firstSeq, message.records);
      this.session.applyEvents(
        message.documentId,
        events,
        message.lost,
        message.rejected + malformed,
        {
          firstSeq,
          endSeq,
        },
      );
    }
    this.onChange();
  }
}
