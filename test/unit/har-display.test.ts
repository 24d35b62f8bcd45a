// @vitest-environment happy-dom
/** How imported connections show in the connection table: what their file says, not live. */
import { h, render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionList } from '../../src/panel/ConnectionList';
import { formatDuration } from '../../src/panel/format';
import { parseHar } from '../../src/session/har/har-import';
import type { Connection } from '../../src/session/session-model';

const root = document.createElement('div');
document.body.append(root);
afterEach(() => render(null, root));

const LIVE_PAGE_STARTED = Date.parse('2026-12-01T09:00:00Z');

/** A Playwright-shaped file: no close, so no duration; and one from HTTP Toolkit, which has one. */
function importedConnections(): Connection[] {
  const entry = (url: string, startedDateTime: string, fields: object) => ({
    _resourceType: 'websocket',
    startedDateTime,
    request: { url },
    response: { status: 101, statusText: 'Switching Protocols' },
    ...fields,
  });
  const har = {
    log: {
      entries: [
        entry('ws://a.test/open-ended', '2026-11-02T09:15:00.250Z', {
          _webSocketMessages: [{ type: 'send', time: 1_793_610_900_262.5, opcode: 1, data: 'x' }],
        }),
        entry('wss://b.test/closed', '2026-11-04T10:30:00.100Z', {
          time: 5400,
          _webSocketClose: { code: 1000, reason: 'bye' },
        }),
      ],
    },
  };
  return parseHar(JSON.stringify(har), 'import-1', 'file.har').connections;
}

function live(createdAt: number): Connection {
  return {
    key: 'doc#1',
    documentId: 'doc',
    id: 1,
    frameId: 0,
    pageUrl: 'http://page.test/',
    requestedUrl: 'ws://page.test/live',
    url: 'ws://page.test/live',
    protocols: [],
    protocol: '',
    extensions: '',
    state: 'open',
    createdAt,
    openedAt: createdAt,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
  };
}

function show(connections: Connection[], now: number) {
  render(
    h(ConnectionList, {
      variant: 'sidebar',
      onOpen: () => undefined,
      connections,
      revision: now,
      selected: null,
      currentPageStartedAt: LIVE_PAGE_STARTED,
      now,
      onSelect: () => undefined,
    }),
    root,
  );
  return [...root.querySelectorAll<HTMLElement>('[data-testid="connection"]')].map((row) => ({
    url: row.dataset.url,
    earlierPage: row.dataset.earlierPage,
    mark: row.querySelector('.page-mark') !== null,
    imported: row.querySelector('.badge.imported') !== null,
    duration: row.querySelector('[data-testid="connection-duration"]')?.textContent,
  }));
}

describe('imported connections in the connection table', () => {
  it('show the duration their file records, or none, and never a growing one', () => {
    const connections = importedConnections();
    const now = Date.parse('2026-12-01T10:00:00Z');
    const before = show(connections, now);
    const after = show(connections, now + 60_000);
    expect(after).toEqual(before);
    expect(before.map(({ url, duration }) => [url, duration])).toEqual([
      ['ws://a.test/open-ended', '—'],
      ['wss://b.test/closed', formatDuration(5400)],
    ]);
  });

  it('are marked imported, not as from an earlier page; earlier live ones still are', () => {
    const rows = show(
      [...importedConnections(), live(LIVE_PAGE_STARTED - 5_000)],
      LIVE_PAGE_STARTED + 1_000,
    );
    expect(
      rows.map(({ imported, mark, earlierPage }) => ({ imported, mark, earlierPage })),
    ).toEqual([
      { imported: true, mark: false, earlierPage: 'false' },
      { imported: true, mark: false, earlierPage: 'false' },
      { imported: false, mark: true, earlierPage: 'true' },
    ]);
    expect(rows[2]!.duration).toBe(formatDuration(6_000));
  });
});
