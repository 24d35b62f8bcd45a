import type { CommandResult, PageCommand } from '../protocol/page-commands';
import type {
  BackgroundToPanel,
  FrameDocument,
  PanelToBackground,
  PanelToRelay,
  PayloadPieceMessage,
  RelayToPanel,
} from '../protocol/port-messages';
import type { SessionStore } from '../session/session-store';

/** How often handshakes that wait for their connections are looked at again. */
export const HANDSHAKE_SETTLE_POLL_MS = 1000;

/** The two words of transport the panel needs; a runtime Port fits, and so does a test fake. */
export interface PanelPort {
  postMessage(message: PanelToBackground): void;
  onMessage: { addListener(listener: (message: BackgroundToPanel) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** A panel's direct port to one frame's relay (see DATA_PORT). */
export interface DataPort {
  postMessage(message: PanelToRelay): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: RelayToPanel) => void): void };
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
    /** Opens a data port to the relay of a frame of the tab; absent where the browser cannot. */
    private readonly connectToFrame?: (frameId: number) => DataPort,
    private readonly retryMs = 100,
  ) {}

  /** Payload pieces that came through the background, by document, for its next events. */
  private readonly piecesByDocument = new Map<string, string[]>();

  private backgroundPiecesOf(documentId: string): string[] {
    let pieces = this.piecesByDocument.get(documentId);
    if (!pieces) {
      pieces = [];
      this.piecesByDocument.set(documentId, pieces);
    }
    return pieces;
  }

  /** Data ports by the document they serve, and frames a port is being opened to. */
  private readonly dataPorts = new Map<string, DataPort>();
  private readonly connectingFrames = new Set<number>();

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

  /**
   * Opens a direct port to a document's relay, for its events (and its commands' results). The
   * relay says which document it serves (the frame may have navigated since), and the panel
   * answers from where it needs that document's events.
   */
  private openDataPort({ documentId, frameId }: FrameDocument): void {
    if (!this.connectToFrame || this.stopped || this.dataPorts.has(documentId)) return;
    if (this.connectingFrames.has(frameId)) return;
    let port: DataPort;
    try {
      port = this.connectToFrame(frameId);
    } catch {
      return; // This browser gives panels no tabs.connect: events come through the background.
    }
    this.connectingFrames.add(frameId);
    let served: string | undefined;
    const pieces: string[] = [];
    port.onDisconnect.addListener(() => {
      this.connectingFrames.delete(frameId);
      if (served !== undefined && this.dataPorts.get(served) === port)
        this.dataPorts.delete(served);
    });
    port.onMessage.addListener((message) => {
      if (message.type === 'data-hello') {
        this.connectingFrames.delete(frameId);
        if (served !== undefined || typeof message.documentId !== 'string') return;
        if (this.dataPorts.has(message.documentId)) {
          port.disconnect();
          return;
        }
        served = message.documentId;
        this.dataPorts.set(served, port);
        port.postMessage({ type: 'accept', cursor: this.session.cursorOf(served) });
      } else if (served !== undefined) {
        // The document is the one this port said hello for, whatever a message claims.
        this.receive({ ...message, documentId: served }, pieces);
      }
    });
  }

  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * While handshakes wait for the hook's record of their sockets, looks again every
   * HANDSHAKE_SETTLE_POLL_MS: those that waited in vain are shown as connections of their own.
   */
  private settleHandshakesLater(): void {
    if (this.settleTimer !== undefined || this.stopped) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      if (this.stopped) return;
      if (this.session.settleHandshakes()) this.onChange();
      if (this.session.handshakesWaiting) this.settleHandshakesLater();
    }, HANDSHAKE_SETTLE_POLL_MS);
  }

  /**
   * Handles a message from the background or, with the port's own `dataPortPieces`, from a data
   * port: payload pieces wait there for the events message that comes next on the same port.
   */
  private receive(message: BackgroundToPanel, dataPortPieces?: string[]): void {
    if (message.type === 'payload-piece') {
      addPiece(dataPortPieces ?? this.backgroundPiecesOf(message.documentId), message);
      return;
    }
    if (message.type === 'command-result') {
      const settle = this.pending.get(message.result.commandId);
      this.pending.delete(message.result.commandId);
      settle?.(message.result);
      return;
    }
    if (message.type === 'handshake') {
      this.session.addHandshake(message.handshake);
      this.settleHandshakesLater();
    } else if (message.type === 'document') {
      this.session.addDocument(message.document);
      if (this.session.follows(message.document.documentId)) this.openDataPort(message.document);
    } else if (message.type === 'events') {
      const pieces = dataPortPieces ?? this.piecesByDocument.get(message.documentId) ?? [];
      if (!dataPortPieces) this.piecesByDocument.delete(message.documentId);
      this.session.applyRecords(
        message.documentId,
        message.firstSeq,
        message.records,
        pieces,
        message.lost,
        message.rejected,
        message.connections,
      );
      pieces.length = 0;
    }
    this.onChange();
  }
}

/**
 * Keeps a payload piece for the next events message. The first piece of a run starts the list
 * afresh (so a run cut short by a lost port cannot mix with the next); a piece out of order
 * empties it, and the payload it belonged to counts as malformed.
 */
function addPiece(pieces: string[], { index, data }: PayloadPieceMessage): void {
  if (index === 0) pieces.length = 0;
  if (index === pieces.length && typeof data === 'string') pieces.push(data);
  else pieces.length = 0;
}
