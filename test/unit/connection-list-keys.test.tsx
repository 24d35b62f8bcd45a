// @vitest-environment happy-dom
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionList } from '../../src/panel/ConnectionList';
import type { Connection } from '../../src/session/session-model';

function connection(path: string): Connection {
  return {
    key: `d#${path}`,
    id: 1,
    documentId: 'd',
    url: `ws://page.test/${path}`,
    pageUrl: 'http://page.test/',
    protocol: '',
    extensions: '',
    state: 'open',
    createdAt: 1000,
    openedAt: 1001,
    errors: 0,
    sent: { count: 0, bytes: 0 },
    received: { count: 0, bytes: 0 },
    peakBufferedAmount: 0,
  } as Connection;
}

const connections = ['a', 'b', 'c'].map(connection);
let root: HTMLElement;
let opened: string[];
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  opened = [];
});
afterEach(() => {
  render(null, root);
  root.remove();
});

function Harness({ variant }: { variant: 'sidebar' | 'strip' }) {
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <ConnectionList
      variant={variant}
      connections={connections}
      revision={1}
      selected={selected}
      currentPageStartedAt={0}
      now={2000}
      onSelect={setSelected}
      onOpen={(key) => opened.push(key)}
    />
  );
}

const selectedRow = () =>
  root.querySelector<HTMLElement>('[role="option"][aria-selected="true"]')!.dataset.rowKey;
const focusedRow = () => (document.activeElement as HTMLElement | null)?.dataset.rowKey;

async function press(key: string) {
  const target = (document.activeElement as HTMLElement | null) ?? root;
  await act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
  // Focus follows in a microtask, once the row re-rendered with its tab stop.
  await act(() => Promise.resolve());
}

describe('the connection list by keyboard', () => {
  it('has one tab stop, and arrows, Home and End move selection and focus (sidebar)', async () => {
    await act(() => render(<Harness variant="sidebar" />, root));
    const stops = root.querySelectorAll('[tabindex="0"]');
    expect([...stops].map((row) => (row as HTMLElement).dataset.rowKey)).toEqual(['all']);
    (stops[0] as HTMLElement).focus();
    await press('ArrowDown');
    expect([selectedRow(), focusedRow()]).toEqual(['d#a', 'd#a']);
    await press('ArrowDown');
    await press('ArrowDown');
    await press('ArrowDown');
    expect([selectedRow(), focusedRow()]).toEqual(['d#c', 'd#c']);
    await press('Home');
    expect([selectedRow(), focusedRow()]).toEqual(['all', 'all']);
    await press('ArrowUp');
    expect(selectedRow()).toBe('all');
    await press('End');
    expect([selectedRow(), focusedRow()]).toEqual(['d#c', 'd#c']);
    await press('ArrowUp');
    expect([selectedRow(), focusedRow()]).toEqual(['d#b', 'd#b']);
    // One tab stop still, on the selected row.
    expect(
      [...root.querySelectorAll('[tabindex="0"]')].map(
        (row) => (row as HTMLElement).dataset.rowKey,
      ),
    ).toEqual(['d#b']);
  });

  it('opens the selected connection on Enter, and not "All connections"', async () => {
    await act(() => render(<Harness variant="sidebar" />, root));
    root.querySelector<HTMLElement>('[tabindex="0"]')!.focus();
    await press('Enter');
    expect(opened).toEqual([]);
    await press('ArrowDown');
    await press('Enter');
    expect(opened).toEqual(['d#a']);
  });

  it('moves along a strip with Left and Right', async () => {
    await act(() => render(<Harness variant="strip" />, root));
    root.querySelector<HTMLElement>('[tabindex="0"]')!.focus();
    await press('ArrowDown');
    expect(selectedRow()).toBe('all');
    await press('ArrowRight');
    await press('ArrowRight');
    expect([selectedRow(), focusedRow()]).toEqual(['d#b', 'd#b']);
    await press('ArrowLeft');
    expect([selectedRow(), focusedRow()]).toEqual(['d#a', 'd#a']);
  });
});
