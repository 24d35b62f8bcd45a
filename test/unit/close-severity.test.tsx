// @vitest-environment happy-dom
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionList } from '../../src/panel/ConnectionList';
import { stateTitle } from '../../src/panel/ConnectionName';
import { closeSeverity, frameSeverity } from '../../src/session/close-severity';
import type { Connection, ConnectionState } from '../../src/session/session-model';

const close = (code: number, wasClean = true) => ({ code, wasClean });

describe('closeSeverity', () => {
  it('calls a clean 1000, 1001 or 1005 close clean', () => {
    expect(closeSeverity('closed', close(1000))).toBe('clean');
    expect(closeSeverity('closed', close(1001))).toBe('clean');
    expect(closeSeverity('closed', close(1005))).toBe('clean');
  });

  it('calls any other close of an opened connection abnormal', () => {
    for (const code of [1002, 1003, 1006, 1007, 1008, 1009, 1011, 1012, 1015, 3000, 4001]) {
      expect(closeSeverity('closed', close(code)), String(code)).toBe('abnormal');
    }
    expect(closeSeverity('closed', close(1006, false))).toBe('abnormal');
  });

  it('calls a normal code abnormal when the connection did not end cleanly', () => {
    expect(closeSeverity('closed', close(1000, false))).toBe('abnormal');
    expect(closeSeverity('closed', close(1001, false))).toBe('abnormal');
  });

  it('calls a connection that never opened failed, whatever its code', () => {
    expect(closeSeverity('failed', close(1006, false))).toBe('failed');
    expect(closeSeverity('failed', close(1000))).toBe('failed');
    expect(closeSeverity('failed', undefined)).toBe('failed');
  });

  it('claims nothing while live, or when a closed connection does not say how', () => {
    for (const state of ['connecting', 'open', 'closing'] as ConnectionState[]) {
      expect(closeSeverity(state, undefined)).toBeUndefined();
    }
    expect(closeSeverity('closing', close(1000))).toBeUndefined();
    expect(closeSeverity('closed', undefined)).toBeUndefined();
  });
});

function connection(
  key: string,
  state: ConnectionState,
  closeInfo?: { code: number; wasClean: boolean; reason?: string },
): Connection {
  return {
    key,
    id: 1,
    documentId: 'd',
    pageUrl: 'http://page.test/',
    frameId: 0,
    requestedUrl: `ws://page.test/${key}`,
    url: `ws://page.test/${key}`,
    protocols: [],
    protocol: '',
    extensions: '',
    state,
    createdAt: 1000,
    openedAt: state === 'failed' ? undefined : 1001,
    closedAt: closeInfo || state === 'failed' ? 2000 : undefined,
    close: closeInfo && { reason: '', initiator: 'server' as const, ...closeInfo },
    errors: state === 'failed' ? 1 : 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
  };
}

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('frameSeverity', () => {
  it("gives a close event's row its connection's severity, and no other row one", () => {
    expect(frameSeverity('closed', { close: close(1000) })).toBe('clean');
    expect(frameSeverity('closed', { close: close(1001) })).toBe('clean');
    expect(frameSeverity('closed', { close: close(1011) })).toBe('abnormal');
    expect(frameSeverity('closed', { close: close(1000, false) })).toBe('abnormal');
    expect(frameSeverity('closed', {})).toBeUndefined();
    expect(frameSeverity('closed', undefined)).toBeUndefined();
    for (const kind of ['sent', 'received', 'error', 'close-requested'] as const) {
      expect(frameSeverity(kind, { close: close(1000) }), kind).toBeUndefined();
    }
  });
});

describe('the connection table state cell', () => {
  const connections = [
    connection('live', 'open'),
    connection('normal', 'closed', close(1000)),
    connection('navigated', 'closed', close(1001)),
    connection('dropped', 'closed', close(1006, false)),
    connection('crashed', 'closed', close(1011)),
    connection('refused', 'failed', close(1006, false)),
  ];

  function rows() {
    render(
      h(ConnectionList, {
        variant: 'sidebar',
        onOpen: () => undefined,
        connections,
        revision: 1,
        selected: null,
        currentPageStartedAt: 0,
        now: 3000,
        onSelect: () => undefined,
      }),
      root,
    );
    return [...root.querySelectorAll<HTMLElement>('[data-testid="connection"]')].map((row) => {
      const cell = row.querySelector<HTMLElement>('[data-testid="connection-state"]')!;
      return {
        url: row.dataset.url!.slice('ws://page.test/'.length),
        state: row.dataset.state,
        closeCode: row.dataset.closeCode,
        severity: cell.dataset.severity,
        icon: cell.querySelector('.severity-icon')?.getAttribute('aria-label') ?? null,
        text: cell.querySelector('.badge')!.textContent,
      };
    });
  }

  it('marks clean closes calm and failures with a severity, a sign and words', () => {
    expect(rows()).toEqual([
      { url: 'live', state: 'open', closeCode: '', severity: '', icon: null, text: 'open' },
      {
        url: 'normal',
        state: 'closed',
        closeCode: '1000',
        severity: 'clean',
        icon: null,
        text: 'closed 1000 normal closure',
      },
      {
        url: 'navigated',
        state: 'closed',
        closeCode: '1001',
        severity: 'clean',
        icon: null,
        text: 'closed 1001 going away',
      },
      {
        url: 'dropped',
        state: 'closed',
        closeCode: '1006',
        severity: 'abnormal',
        icon: 'closed abnormally',
        text: 'closed 1006 abnormal closure (no close frame)',
      },
      {
        url: 'crashed',
        state: 'closed',
        closeCode: '1011',
        severity: 'abnormal',
        icon: 'closed abnormally',
        text: 'closed 1011 internal error',
      },
      {
        url: 'refused',
        state: 'failed',
        closeCode: '1006',
        severity: 'failed',
        icon: 'failed',
        text: 'failed 1006 abnormal closure (no close frame)',
      },
    ]);
  });

  it('puts the severity class on the badge and says how it ended in its title', () => {
    rows();
    const badge = (url: string) =>
      root.querySelector(`[data-url="ws://page.test/${url}"] .badge`) as HTMLElement;
    expect(badge('normal').className).toBe('badge closed severity-clean');
    expect(badge('crashed').className).toBe('badge closed severity-abnormal');
    expect(badge('refused').className).toBe('badge failed severity-failed');
    expect(badge('live').className).toBe('badge open');
    expect(badge('normal').title).toBe('closed normally; closed by server');
    expect(badge('dropped').title).toBe('closed abnormally; closed by server; not a clean close');
    expect(stateTitle(connections[0]!)).toBeUndefined();
  });
});
