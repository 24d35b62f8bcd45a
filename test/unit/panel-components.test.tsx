// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/panel/App';
import { PanelConnection, type PanelPort } from '../../src/panel/panel-connection';
import { PanelState } from '../../src/panel/panel-state';
import { SLOT_VALUE, WIRE_BINARY } from '../../src/protocol/event-records';
import type { BackgroundToPanel, PanelToBackground } from '../../src/protocol/port-messages';
import { editedEventsMessage, eventsMessage } from './record-helpers';
import { binary, closed, created, received, sent, sequence, text } from './session-fixtures';

/** A transport standing in for the background: the test plays the relays' part. */
class FakeTransport implements PanelPort {
  posted: PanelToBackground[] = [];
  private listeners: Array<(message: BackgroundToPanel) => void> = [];
  postMessage(message: PanelToBackground) {
    this.posted.push(message);
  }
  onMessage = {
    addListener: (listener: (message: BackgroundToPanel) => void) => this.listeners.push(listener),
  };
  onDisconnect = { addListener: () => undefined };
  deliver(message: BackgroundToPanel) {
    for (const listener of this.listeners) listener(message);
  }
}

let root: HTMLElement;
let state: PanelState;
let transport: FakeTransport;

const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;
const $$ = (selector: string) => [...root.querySelectorAll(selector)] as HTMLElement[];
const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

beforeEach(async () => {
  root = document.createElement('div');
  root.style.height = '800px';
  document.body.append(root);
  state = new PanelState(undefined, (callback) => callback());
  transport = new FakeTransport();
  new PanelConnection(7, state.session, () => transport, state.changed).start();
  await act(() => render(<App state={state} tabId={7} />, root));
  await act(() => {
    transport.deliver({
      type: 'document',
      document: { documentId: 'd', url: 'http://page.test/', startedAt: 1, frameId: 0 },
    });
    transport.deliver(
      eventsMessage(
        'd',
        sequence([
          created(1, 'ws://page.test/prices'),
          created(2, 'ws://page.test/chat'),
          sent(1, text('{"subscribe":["ACME"]}')),
          received(1, text('{"symbol":"ACME","price":{"bid":1,"ask":2}}')),
          sent(2, text('hello')),
          received(2, binary([0x48, 0x69, 0x00, 0xff])),
          closed(2, 1011, 'server broke'),
        ]),
      ),
    );
  });
});

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('panel components against a fake transport', () => {
  it('names every connection by its label: unique, with the frame origin, in every list', async () => {
    await act(() => {
      transport.deliver({
        type: 'document',
        document: { documentId: 'f', url: 'https://ads.test/slot', startedAt: 2, frameId: 3 },
      });
      transport.deliver(
        eventsMessage(
          'f',
          sequence([
            created(1, 'ws://page.test/chat'),
            sent(1, text('from the iframe'), 2500),
            {
              type: 'held',
              id: 1,
              time: 2600,
              heldId: 1,
              direction: 'outgoing',
              payload: text('held in the iframe'),
            },
          ]),
        ),
      );
      // A second chat socket in the top document: the same host and path as the first.
      transport.deliver(eventsMessage('d', sequence([created(3, 'ws://page.test/chat')], 7)));
    });
    await settle();
    const names = $$('[data-testid="connection"] .connection-name').map((name) => name.textContent);
    expect(names).toEqual([
      // The page's own host is left out: the path is what tells them apart.
      '/prices',
      '/chat #1',
      '/chat in https://ads.test',
      '/chat #2',
    ]);
    expect(new Set(names).size).toBe(names.length);
    // The compact picker lists the same names, none twice.
    const options = $$('[data-testid="filter-connection"] option').map(
      (option) => option.textContent,
    );
    expect(options).toEqual(['All connections', ...names]);
    const iframeRow = $$('[data-testid="frame"]').find((row) =>
      row.textContent?.includes('from the iframe'),
    )!;
    expect(iframeRow.querySelector('.connection')!.textContent).toBe('/chat in https://ads.test');
    expect(iframeRow.querySelector('.connection')!.getAttribute('title')).toContain(
      'ws://page.test/chat',
    );
    expect($('[data-testid="held-frame"]')!.textContent).toContain('/chat in https://ads.test');
  });

  it('attaches to its tab and lists connections with states and close meanings', () => {
    expect(transport.posted[0]).toEqual({ type: 'attach', tabId: 7, cursors: {} });
    const rows = $$('[data-testid="connection"]');
    expect(rows.map((row) => row.dataset.url)).toEqual([
      'ws://page.test/prices',
      'ws://page.test/chat',
    ]);
    // It never opened, so its close makes it "failed", with the code's meaning and the reason.
    expect(rows[1]!.textContent).toContain('failed 1011 internal error: server broke');
    expect($('[data-testid="frame-count"]')!.textContent).toContain('5 of 5 frames');
  });

  it('filters as the user types, and says when a regular expression is invalid', async () => {
    const input = $('[data-testid="filter-input"]') as HTMLInputElement;
    await act(() => {
      input.value = 'acme';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
    expect($('[data-testid="frame-count"]')!.textContent).toContain('2 of 5 frames');
    await act(() => ($('[data-testid="filter-regex"]') as HTMLInputElement).click());
    await act(() => {
      input.value = '[unclosed';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await settle();
    expect($('[data-testid="filter-error"]')).not.toBeNull();
  });

  it('selecting a connection shows only its frames', async () => {
    await act(() => $$('[data-testid="connection"]')[1]!.click());
    await settle();
    expect($('[data-testid="frame-count"]')!.textContent).toContain('3 of 5 frames');
  });

  it('opens a JSON frame as a tree and a binary one as hex', async () => {
    const rows = () => $$('[data-testid="frame"]');
    await act(() =>
      rows()
        .find((row) => row.textContent!.includes('"symbol"'))!
        .click(),
    );
    expect($$('[data-testid="json-tree"] [data-path]').map((node) => node.dataset.path)).toEqual([
      '$',
      '$.symbol',
      '$.price',
      '$.price.bid',
      '$.price.ask',
    ]);
    await act(() =>
      rows()
        .find((row) => row.dataset.kind === 'received' && row.textContent!.includes('48 69'))!
        .click(),
    );
    expect($('[data-testid="hex-dump"]')!.textContent).toContain('00000000  48 69 00 ff');
    expect($('[data-testid="hex-dump"]')!.textContent).toContain('|Hi..|');
  });

  it('says when a binary payload is not valid base64, and shows what it is', async () => {
    await act(() => {
      const event = received(2, binary([1]));
      const message = editedEventsMessage('d', [{ seq: 7, event }], (records) => {
        records[SLOT_VALUE] = [WIRE_BINARY, 'no~base64!', 7, 7];
      });
      transport.deliver(message);
    });
    await settle();
    const row = $$('[data-testid="frame"]').find((candidate) =>
      candidate.textContent!.includes('(not valid base64)'),
    );
    await act(() => row!.click());
    expect($('[data-testid="details-undecodable"]')).not.toBeNull();
    expect($('[data-testid="payload-base64"]')!.textContent).toContain('no~base64!');
  });
});
