import { describe, expect, it } from 'vitest';
import type { HubPort } from '../../src/hub/hub-port';
import { TabHub } from '../../src/hub/tab-hub';
import { INTERCEPT_OFF } from '../../src/protocol/page-commands';
import { PANEL_PORT, RELAY_PORT } from '../../src/protocol/port-messages';

const ORIGIN = 'chrome-extension://abc/';

class FakePort implements HubPort<unknown, unknown> {
  sent: unknown[] = [];
  private messageListeners: Array<(message: unknown) => void> = [];
  private disconnectListeners: Array<() => void> = [];
  constructor(
    readonly name: string,
    readonly sender: HubPort<unknown, unknown>['sender'],
  ) {}
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  onMessage = {
    addListener: (listener: (message: unknown) => void) => this.messageListeners.push(listener),
  };
  onDisconnect = { addListener: (listener: () => void) => this.disconnectListeners.push(listener) };
  receive(message: unknown) {
    for (const listener of this.messageListeners) listener(message);
  }
  disconnect() {
    for (const listener of this.disconnectListeners) listener();
  }
}

function relay(hub: TabHub, tabId: number, frameId: number, documentId: string) {
  const port = new FakePort(RELAY_PORT, { tab: { id: tabId }, frameId, url: 'http://page.test/' });
  hub.connect(port);
  port.receive({ type: 'hello', document: { documentId, url: 'http://page.test/', startedAt: 1 } });
  return port;
}

function panel(hub: TabHub, tabId: number, cursors = {}, url = `${ORIGIN}extension/panel.html`) {
  const port = new FakePort(PANEL_PORT, { url });
  hub.connect(port);
  port.receive({ type: 'attach', tabId, cursors });
  return port;
}

describe('TabHub', () => {
  it('subscribes every frame of the tab when its panel attaches, from the panel cursors', () => {
    const hub = new TabHub(ORIGIN);
    const top = relay(hub, 7, 0, 'doc-top');
    const child = relay(hub, 7, 3, 'doc-child');
    const other = relay(hub, 8, 0, 'doc-other');
    const panelPort = panel(hub, 7, { 'doc-top': 5 });
    expect(top.sent).toEqual([{ type: 'subscribe', fromSeq: 5, cloneProbe: new Uint8Array(1) }]);
    expect(child.sent).toEqual([{ type: 'subscribe', fromSeq: 0, cloneProbe: new Uint8Array(1) }]);
    expect(other.sent).toEqual([]);
    expect(panelPort.sent).toContainEqual({
      type: 'document',
      document: { documentId: 'doc-child', url: 'http://page.test/', startedAt: 1, frameId: 3 },
    });
  });

  it('routes events and payload pieces only to panels of the same tab, with the document id the hub knows', () => {
    const hub = new TabHub(ORIGIN);
    const panel7 = panel(hub, 7);
    const panel8 = panel(hub, 8);
    const relay7 = relay(hub, 7, 0, 'doc-7');
    relay7.receive({
      type: 'events',
      documentId: 'forged',
      firstSeq: 0,
      records: [],
      lost: 0,
      rejected: 0,
    });
    expect(panel7.sent.at(-1)).toMatchObject({ type: 'events', documentId: 'doc-7' });
    relay7.receive({ type: 'payload-piece', documentId: 'forged', index: 0, data: 'QUJD' });
    expect(panel7.sent.at(-1)).toEqual({
      type: 'payload-piece',
      documentId: 'doc-7',
      index: 0,
      data: 'QUJD',
    });
    expect(panel8.sent).toEqual([]);
  });

  it('refuses panels that are not extension pages', () => {
    const hub = new TabHub(ORIGIN);
    const relay7 = relay(hub, 7, 0, 'doc-7');
    panel(hub, 7, {}, 'http://evil.test/');
    expect(relay7.sent).toEqual([]);
  });

  it('unsubscribes the relays and ends intercept when the last panel of a tab goes', () => {
    const hub = new TabHub(ORIGIN);
    const relay7 = relay(hub, 7, 0, 'doc-7');
    const first = panel(hub, 7);
    const second = panel(hub, 7);
    first.disconnect();
    expect(relay7.sent.at(-1)).toEqual({
      type: 'subscribe',
      fromSeq: 0,
      cloneProbe: new Uint8Array(1),
    });
    second.disconnect();
    expect(relay7.sent.slice(-2)).toEqual([
      { type: 'unsubscribe' },
      {
        type: 'command',
        commandId: 0,
        command: { kind: 'intercept', outgoing: INTERCEPT_OFF, incoming: INTERCEPT_OFF },
      },
    ]);
  });
});

describe('TabHub commands', () => {
  it("routes a command only to the named document of the panel's own tab", () => {
    const hub = new TabHub(ORIGIN);
    const mine = relay(hub, 7, 0, 'doc-7');
    const other = relay(hub, 8, 0, 'doc-8');
    const panel7 = panel(hub, 7);
    const command = { kind: 'release-all' } as const;
    panel7.receive({ type: 'command', documentId: 'doc-7', commandId: 1, command });
    panel7.receive({ type: 'command', documentId: 'doc-8', commandId: 2, command });
    expect(mine.sent.at(-1)).toEqual({ type: 'command', commandId: 1, command });
    expect(
      other.sent.filter((message) => (message as { type: string }).type === 'command'),
    ).toEqual([]);
    expect(panel7.sent.at(-1)).toMatchObject({
      type: 'command-result',
      result: { commandId: 2, ok: false },
    });
    mine.receive({ type: 'command-result', result: { commandId: 1, ok: true } });
    expect(panel7.sent.at(-1)).toEqual({
      type: 'command-result',
      documentId: 'doc-7',
      result: { commandId: 1, ok: true },
    });
  });

  it("passes handshakes to the tab's panels, replays them to a late one, and says when panels come and go", () => {
    const presence: boolean[] = [];
    const handshake = { requestId: 'r1', frameId: 0, url: 'ws://page.test/', startedAt: 5 };
    const hub = new TabHub(
      ORIGIN,
      (tabId) => (tabId === 7 ? [handshake] : []),
      (present) => presence.push(present),
    );
    const first = panel(hub, 7);
    const other = panel(hub, 8);
    expect(first.sent).toContainEqual({ type: 'handshake', handshake });
    expect(other.sent).not.toContainEqual({ type: 'handshake', handshake });
    const update = { ...handshake, status: 101 };
    hub.handshakeChanged(7, update);
    expect(first.sent).toContainEqual({ type: 'handshake', handshake: update });
    expect(other.sent).not.toContainEqual({ type: 'handshake', handshake: update });
    first.disconnect();
    expect(presence).toEqual([true]);
    other.disconnect();
    expect(presence).toEqual([true, false]);
    panel(hub, 9);
    expect(presence).toEqual([true, false, true]);
  });

  it('passes a handshake of no tab to the panels of tabs whose page has its origin', () => {
    const hub = new TabHub(ORIGIN);
    relay(hub, 7, 0, 'doc-7');
    relay(hub, 8, 0, 'doc-8');
    const other = new FakePort(RELAY_PORT, { tab: { id: 9 }, frameId: 0, url: 'http://b.test/' });
    hub.connect(other);
    other.receive({
      type: 'hello',
      document: { documentId: 'd9', url: 'http://b.test/', startedAt: 1 },
    });
    const seven = panel(hub, 7);
    const eight = panel(hub, 8);
    const nine = panel(hub, 9);
    const handshake = {
      requestId: 'sw',
      frameId: -1,
      url: 'ws://page.test/sw',
      startedAt: 5,
      workerOrigin: 'http://page.test',
    };
    expect(hub.pageOriginOf(7)).toBe('http://page.test');
    hub.handshakeChanged(-1, handshake);
    expect(seven.sent).toContainEqual({ type: 'handshake', handshake });
    expect(eight.sent).toContainEqual({ type: 'handshake', handshake });
    expect(nine.sent).not.toContainEqual({ type: 'handshake', handshake });
  });
});
