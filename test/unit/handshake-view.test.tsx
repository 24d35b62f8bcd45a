// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandshakeView } from '../../src/panel/HandshakeView';
import type { Handshake } from '../../src/protocol/handshake';
import type { Connection } from '../../src/session/session-model';

let root: HTMLElement;
let copied: string[];
let notices: string[];

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  copied = [];
  notices = [];
  vi.spyOn(navigator.clipboard, 'writeText').mockImplementation(async (text: string) => {
    copied.push(text);
  });
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.restoreAllMocks();
});

const HANDSHAKE: Handshake = {
  requestId: 'r1',
  frameId: 0,
  url: 'wss://page.test/live',
  startedAt: 1000,
  requestHeaders: [
    { name: 'Origin', value: 'https://page.test' },
    { name: 'Sec-WebSocket-Protocol', value: 'chat.v2, other' },
    { name: 'Cookie', value: 'a=1; b=2' },
  ],
  status: 101,
  statusLine: 'HTTP/1.1 101 Switching Protocols',
  responseHeaders: [
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Set-Cookie', value: 'a=1' },
    { name: 'Set-Cookie', value: 'b=2' },
  ],
  respondedAt: 1030,
};

async function show(handshake: Handshake | undefined) {
  const connection = { key: 'd#1', url: HANDSHAKE.url, handshake } as Connection;
  await act(() =>
    render(
      <HandshakeView connection={connection} onNotice={(message) => notices.push(message)} />,
      root,
    ),
  );
}

async function click(testId: string) {
  const button = root.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`);
  if (!button) throw new Error(`no ${testId}`);
  await act(async () => {
    button.click();
    // copyAndSay says what it did once the clipboard's promise settles: a task later.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe("the handshake's Copy buttons", () => {
  it('copy the request headers as "Name: value" lines, in order, and say so', async () => {
    await show(HANDSHAKE);
    await click('handshake-request-headers-copy');
    expect(copied).toEqual([
      'Origin: https://page.test\nSec-WebSocket-Protocol: chat.v2, other\nCookie: a=1; b=2',
    ]);
    expect(notices).toEqual(['Copied the request headers.']);
  });

  it('copy the response headers, a repeated header on a line each', async () => {
    await show(HANDSHAKE);
    await click('handshake-response-headers-copy');
    expect(copied).toEqual(['Upgrade: websocket\nSet-Cookie: a=1\nSet-Cookie: b=2']);
    expect(notices).toEqual(['Copied the response headers.']);
  });

  it('say why when the browser refuses to copy', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    // The fallback's execCommand is refused as well.
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    try {
      await show(HANDSHAKE);
      await click('handshake-request-headers-copy');
      expect(notices).toEqual(['Could not copy: the browser refused to copy']);
    } finally {
      delete (document as { execCommand?: unknown }).execCommand;
    }
  });

  it('are not offered for a list the browser did not report', async () => {
    const { responseHeaders: _, ...requestOnly } = HANDSHAKE;
    await show(requestOnly);
    expect(root.querySelector('[data-testid="handshake-request-headers-copy"]')).not.toBeNull();
    expect(root.querySelector('[data-testid="handshake-response-headers-copy"]')).toBeNull();
  });
});
