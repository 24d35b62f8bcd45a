import type { Handshake } from '../protocol/handshake';
import { INTERCEPT_OFF, type PageCommand } from '../protocol/page-commands';
import {
  type BackgroundToPanel,
  type BackgroundToRelay,
  type Cursors,
  type DocumentInfo,
  PANEL_PORT,
  type PanelToBackground,
  RELAY_PORT,
  type RelayToBackground,
} from '../protocol/port-messages';
import type { HubPort } from './hub-port';

type RelayPort = HubPort<RelayToBackground, BackgroundToRelay>;
type PanelPort = HubPort<PanelToBackground, BackgroundToPanel>;

interface RelayEntry {
  port: RelayPort;
  tabId: number;
  frameId: number;
  document?: DocumentInfo;
}

interface PanelEntry {
  port: PanelPort;
  tabId: number;
  cursors: Cursors;
}

/**
 * Pairs each tab's panels with the relays of all that tab's frames. Tab and frame come from the
 * port's sender, never from what a message says; only extension pages may attach as panels.
 * Holds no traffic of its own: relays keep the backlog, panels say where they got to, so a
 * restart of the background loses nothing.
 */
export class TabHub {
  private readonly relays = new Set<RelayEntry>();
  private readonly panels = new Set<PanelEntry>();

  constructor(
    private readonly extensionOrigin: string,
    /** The handshakes the background has seen in a tab, for a panel that attaches to it. */
    private readonly handshakesOf: (tabId: number) => Handshake[] = () => [],
    /** Told whenever the first panel attaches or the last one goes (any tab). */
    private readonly onPanelsPresent: (present: boolean) => void = () => undefined,
  ) {}

  /**
   * A handshake of a tab began or moved on: its panels hear of it. One of no tab (a shared or
   * service worker's) goes to the panels of every tab whose page has its origin.
   */
  handshakeChanged(tabId: number, handshake: Handshake): void {
    const panels =
      tabId < 0
        ? [...this.panels].filter(
            (panel) => this.pageOriginOf(panel.tabId) === handshake.workerOrigin,
          )
        : this.panelsOf(tabId);
    for (const panel of panels) panel.port.postMessage({ type: 'handshake', handshake });
  }

  /** The origin of the page a tab shows (its newest top-frame document), once its relay said hello. */
  pageOriginOf(tabId: number): string | undefined {
    let newest: DocumentInfo | undefined;
    for (const relay of this.relaysOf(tabId)) {
      if (relay.frameId !== 0 || !relay.document) continue;
      if (!newest || relay.document.startedAt > newest.startedAt) newest = relay.document;
    }
    if (!newest) return undefined;
    try {
      return new URL(newest.url).origin;
    } catch {
      return undefined;
    }
  }

  connect(port: HubPort<unknown, unknown>): void {
    if (port.name === RELAY_PORT) this.connectRelay(port as RelayPort);
    else if (port.name === PANEL_PORT) this.connectPanel(port as PanelPort);
  }

  private connectRelay(port: RelayPort): void {
    const tabId = port.sender?.tab?.id;
    const frameId = port.sender?.frameId;
    if (tabId === undefined || frameId === undefined) return;
    const relay: RelayEntry = { port, tabId, frameId };
    this.relays.add(relay);
    port.onDisconnect.addListener(() => this.relays.delete(relay));
    port.onMessage.addListener((message) => {
      if (message.type === 'hello') {
        relay.document = message.document;
        const panels = this.panelsOf(tabId);
        for (const panel of panels) this.announce(panel, relay);
        if (panels.length > 0) this.subscribe(relay);
      } else if (
        (message.type === 'events' || message.type === 'payload-piece') &&
        relay.document
      ) {
        for (const panel of this.panelsOf(tabId)) {
          panel.port.postMessage({ ...message, documentId: relay.document.documentId });
        }
      } else if (message.type === 'command-result' && relay.document) {
        for (const panel of this.panelsOf(tabId)) {
          panel.port.postMessage({
            type: 'command-result',
            documentId: relay.document.documentId,
            result: message.result,
          });
        }
      }
    });
  }

  private connectPanel(port: PanelPort): void {
    // Content scripts share the runtime; only the extension's own pages may read traffic.
    if (!port.sender?.url?.startsWith(this.extensionOrigin)) return;
    let panel: PanelEntry | undefined;
    port.onDisconnect.addListener(() => {
      if (!panel) return;
      this.panels.delete(panel);
      if (this.panels.size === 0) this.onPanelsPresent(false);
      if (this.panelsOf(panel.tabId).length === 0) {
        for (const relay of this.relaysOf(panel.tabId)) {
          relay.port.postMessage({ type: 'unsubscribe' });
          // Nobody is left to decide on held frames: intercept ends and every held frame goes on.
          relay.port.postMessage({
            type: 'command',
            commandId: 0,
            command: { kind: 'intercept', outgoing: INTERCEPT_OFF, incoming: INTERCEPT_OFF },
          });
        }
      }
    });
    port.onMessage.addListener((message) => {
      if (message.type === 'command') {
        if (panel) this.routeCommand(panel, message.documentId, message.commandId, message.command);
        return;
      }
      if (message.type !== 'attach' || !Number.isSafeInteger(message.tabId)) return;
      if (panel) this.panels.delete(panel);
      panel = { port, tabId: message.tabId, cursors: { ...message.cursors } };
      this.panels.add(panel);
      if (this.panels.size === 1) this.onPanelsPresent(true);
      for (const relay of this.relaysOf(panel.tabId)) {
        this.announce(panel, relay);
        this.subscribe(relay, panel.cursors);
      }
      for (const handshake of this.handshakesOf(panel.tabId)) {
        port.postMessage({ type: 'handshake', handshake });
      }
    });
  }

  /** A command goes to one document, and only one of the panel's own tab. */
  private routeCommand(
    panel: PanelEntry,
    documentId: string,
    commandId: number,
    command: PageCommand,
  ): void {
    const relay = this.relaysOf(panel.tabId).find(
      (candidate) => candidate.document?.documentId === documentId,
    );
    if (relay) {
      relay.port.postMessage({ type: 'command', commandId, command });
      return;
    }
    panel.port.postMessage({
      type: 'command-result',
      documentId,
      result: { commandId, ok: false, error: 'That page is gone (it navigated away or closed).' },
    });
  }

  private announce(panel: PanelEntry, relay: RelayEntry): void {
    if (!relay.document) return;
    panel.port.postMessage({
      type: 'document',
      document: { ...relay.document, frameId: relay.frameId },
    });
  }

  /** Subscribes a relay from the earliest event any of its tab's panels still needs. */
  private subscribe(relay: RelayEntry, only?: Cursors): void {
    if (!relay.document) return;
    const { documentId } = relay.document;
    const cursors = only ? [only] : this.panelsOf(relay.tabId).map((panel) => panel.cursors);
    const fromSeq = Math.min(...cursors.map((cursor) => cursor[documentId] ?? 0));
    relay.port.postMessage({ type: 'subscribe', fromSeq, cloneProbe: new Uint8Array(1) });
  }

  private panelsOf(tabId: number): PanelEntry[] {
    return [...this.panels].filter((panel) => panel.tabId === tabId);
  }

  private relaysOf(tabId: number): RelayEntry[] {
    return [...this.relays].filter((relay) => relay.tabId === tabId && relay.document);
  }
}
