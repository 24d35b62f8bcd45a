import { describe, expect, it } from 'vitest';
import { type DataPort, PanelConnection, type PanelPort } from '../../src/panel/panel-connection';
import { SLOT_VALUE, WIRE_PIECES } from '../../src/protocol/event-records';
import type {
  BackgroundToPanel,
  PanelToBackground,
  PanelToRelay,
  RelayToPanel,
} from '../../src/protocol/port-messages';
import { SessionStore } from '../../src/session/session-store';
import { applyEvents, editedEventsMessage, eventsMessage } from './record-helpers';
import { created, sent, sequence, text } from './session-fixtures';

/** One end of a port: what the panel posts is kept; the test delivers the other side's messages. */
class FakePort<In, Out> {
  posted: Out[] = [];
  disconnected = false;
  private listeners: Array<(message: In) => void> = [];
  private closeListeners: Array<() => void> = [];
  postMessage(message: Out) {
    this.posted.push(message);
  }
  disconnect() {
    this.disconnected = true;
  }
  onMessage = { addListener: (listener: (message: In) => void) => this.listeners.push(listener) };
  onDisconnect = { addListener: (listener: () => void) => this.closeListeners.push(listener) };
  deliver(message: In) {
    for (const listener of this.listeners) listener(message);
  }
  close() {
    for (const listener of this.closeListeners) listener();
  }
}

function connected() {
  const session = new SessionStore();
  const background = new FakePort<BackgroundToPanel, PanelToBackground>();
  const opened: Array<[number, FakePort<RelayToPanel, PanelToRelay>]> = [];
  const connection = new PanelConnection(
    7,
    session,
    () => background as PanelPort,
    () => undefined,
    (frameId) => {
      const port = new FakePort<RelayToPanel, PanelToRelay>();
      opened.push([frameId, port]);
      return port as DataPort;
    },
  );
  connection.start();
  const announce = (documentId: string, frameId: number) =>
    background.deliver({
      type: 'document',
      document: { documentId, url: 'http://page.test/', startedAt: 1, frameId },
    });
  return { session, background, opened, announce };
}

describe('PanelConnection data ports', () => {
  it('opens one port per announced document and answers its hello with the cursor', () => {
    const { session, opened, announce } = connected();
    announce('d', 3);
    announce('d', 3);
    expect(opened.map(([frameId]) => frameId)).toEqual([3]);
    const [, port] = opened[0]!;
    applyEvents(session, 'd', sequence([created(1)]), 0, 0);
    port.deliver({ type: 'data-hello', documentId: 'd' });
    expect(port.posted).toEqual([{ type: 'accept', cursor: 1 }]);
  });

  it('files events under the document the port said hello for, whatever a message claims', () => {
    const { session, opened, announce } = connected();
    announce('d', 0);
    const [, port] = opened[0]!;
    port.deliver({ type: 'data-hello', documentId: 'd' });
    port.deliver(eventsMessage('forged', sequence([created(1), sent(1, text('a'))])));
    expect(session.frames).toHaveLength(1);
    expect(session.connectionList[0]!.documentId).toBe('d');
    expect(session.documents.has('forged')).toBe(false);
  });

  it('opens a port again when the document is announced after its port closed', () => {
    const { opened, announce } = connected();
    announce('d', 2);
    opened[0]![1].deliver({ type: 'data-hello', documentId: 'd' });
    announce('d', 2);
    expect(opened).toHaveLength(1);
    opened[0]![1].close();
    announce('d', 2);
    expect(opened).toHaveLength(2);
  });

  it('joins payload pieces to the events after them, per port, and drops a cut run', () => {
    const { session, background, opened, announce } = connected();
    announce('d', 0);
    const [, port] = opened[0]!;
    port.deliver({ type: 'data-hello', documentId: 'd' });
    const long = 'a'.repeat(10) + 'b'.repeat(10);
    const pieced = (seq: number) => {
      return editedEventsMessage('d', [{ seq, event: sent(1, text(long)) }], (records) => {
        records[SLOT_VALUE] = [WIRE_PIECES, 2, ''];
      });
    };
    const piece = (index: number, data: string) =>
      ({ type: 'payload-piece', documentId: 'd', index, data }) as const;
    port.deliver(eventsMessage('d', sequence([created(1)])));
    // A run cut short on the background path, then a whole one: only the whole one counts.
    background.deliver(piece(0, 'x'));
    port.deliver(piece(0, 'a'.repeat(10)));
    background.deliver(piece(0, 'a'.repeat(10)));
    port.deliver(piece(1, 'b'.repeat(10)));
    port.deliver(pieced(1));
    background.deliver(piece(1, 'b'.repeat(10)));
    background.deliver(pieced(2));
    expect(session.frames.map((frame) => frame.payload)).toEqual([
      expect.objectContaining({ text: long }),
      expect.objectContaining({ text: long }),
    ]);
    // Out of order: the payload is refused, and counted.
    port.deliver(piece(1, 'b'.repeat(10)));
    port.deliver(pieced(3));
    expect(session.frames).toHaveLength(2);
    expect(session.documents.get('d')!.rejected).toBe(1);
  });

  it('goes on through the background where data ports cannot be opened', () => {
    const session = new SessionStore();
    const background = new FakePort<BackgroundToPanel, PanelToBackground>();
    new PanelConnection(
      7,
      session,
      () => background as PanelPort,
      () => undefined,
      () => {
        throw new TypeError('tabs is undefined');
      },
    ).start();
    background.deliver({
      type: 'document',
      document: { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 },
    });
    background.deliver(eventsMessage('d', sequence([created(1), sent(1, text('a'))])));
    expect(session.frames).toHaveLength(1);
  });
});
