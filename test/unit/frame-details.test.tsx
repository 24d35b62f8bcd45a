// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameDetails } from '../../src/panel/FrameDetails';
import type { Handshake } from '../../src/protocol/handshake';
import { frameMatchesFilter } from '../../src/session/filter-membership';
import type { Connection, Frame } from '../../src/session/session-model';

let root: HTMLElement;
const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;

beforeEach(() => {
  root = document.createElement('div');
  root.style.height = '600px';
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const connection = {
  key: 'd#3',
  id: 3,
  url: 'wss://feed.example.test/a/very/long/path?with=query',
  state: 'open',
} as Connection;

function textFrame(text: string, extra: Partial<Frame> = {}): Frame {
  const size = new TextEncoder().encode(text).length;
  return {
    index: 4,
    connectionKey: 'd#3',
    kind: 'received',
    time: new Date(2026, 0, 2, 10, 11, 12, 345).getTime(),
    payload: { kind: 'text', text, size, originalSize: size },
    ...extra,
  };
}

async function show(frame: Frame, matchesFilter?: boolean, of: Connection = connection) {
  await act(() =>
    render(
      <FrameDetails
        frame={frame}
        connection={of}
        onClose={() => undefined}
        onNotice={() => undefined}
        onReplay={() => undefined}
        matchesFilter={matchesFilter}
      />,
      root,
    ),
  );
}

describe('the details header', () => {
  it('names the connection, direction, time and size on one line', async () => {
    await show(textFrame('hello'));
    const title = $('[data-testid="details-title"]')!;
    expect($('[data-testid="details-direction"]')!.textContent).toBe('↓ Received');
    // Named as every list names it (no `#3`), the whole URL in the title.
    expect($('[data-testid="details-connection"]')!.textContent).toBe(
      'feed.example.test/a/very/long/path?with=query',
    );
    expect($('[data-testid="details-time"]')!.textContent).toBe('10:11:12.345');
    expect($('[data-testid="details-size"]')!.textContent).toBe('5 B');
    // The whole description is the title, so what an ellipsis cuts stays readable.
    expect(title.title).toBe(
      '↓ Received · feed.example.test/a/very/long/path?with=query · wss://feed.example.test/a/very/long/path?with=query · 10:11:12.345 · 5 B',
    );
    // One line at any width: the title (which shrinks, with an ellipsis) and the close button;
    // the payload's actions are in the bar below, which may wrap.
    const header = $('.details-header')!;
    expect([...header.children]).toEqual([title, $('[data-testid="close-details"]')]);
    expect($('.details-actions [data-testid="copy-payload"]')).not.toBeNull();
  });

  it('says a sent frame went up, and a truncated size says so', async () => {
    await show(
      textFrame('abc', {
        kind: 'sent',
        payload: { kind: 'text', text: 'abc', size: 3, originalSize: 4096 },
      }),
    );
    expect($('[data-testid="details-direction"]')!.textContent).toBe('↑ Sent');
    expect($('[data-testid="details-size"]')!.textContent).toBe(
      '3 B of 4.0 KB (truncated by the payload cap)',
    );
  });

  it("shows the connection's session label and its marks, as the lists do", async () => {
    const imported = {
      ...connection,
      imported: 'session.har',
      label: { text: 'feed.example.test/a #2', title: '', marks: ['imported'] },
    } as Connection;
    await show(textFrame('hello'), undefined, imported);
    expect($('[data-testid="details-connection"] [data-testid="imported-mark"]')).not.toBeNull();
    expect($('[data-testid="details-connection"]')!.textContent).toBe(
      'imported feed.example.test/a #2',
    );
    expect($('[data-testid="details-title"]')!.title).toContain(
      '[imported] feed.example.test/a #2',
    );
  });
});

describe('a selected frame the filter hides', () => {
  it('is shown as matching by default', async () => {
    await show(textFrame('hello'));
    expect($('[data-testid="details-filtered-out"]')).toBeNull();
    expect($('[data-testid="details"]')!.dataset.matchesFilter).toBe('true');
  });

  it('says it does not match the filter', async () => {
    await show(textFrame('hello'), false);
    expect($('[data-testid="details-filtered-out"]')!.textContent).toContain(
      'This frame does not match the filter',
    );
    expect($('[data-testid="details"]')!.dataset.matchesFilter).toBe('false');
    expect($('[data-testid="details"]')!.classList.contains('filtered-out')).toBe(true);
  });

  it('frameMatchesFilter finds a frame among the matches by index', () => {
    const frames = Array.from({ length: 10 }, (_, index) => textFrame('x', { index }));
    const matches = frames.filter((frame) => frame.index % 3 === 0);
    const done = { matches, scanned: 10, busy: false };
    expect(frames.filter((frame) => frameMatchesFilter(done, frame)).map((f) => f.index)).toEqual([
      0, 3, 6, 9,
    ]);
    expect(frameMatchesFilter({ matches: [], scanned: 0, busy: false }, frames[0]!)).toBe(false);
    // A re-scan that has not reached a frame yet does not call it hidden.
    const scanning = { matches: matches.slice(0, 2), scanned: 5, busy: true };
    expect(frameMatchesFilter(scanning, frames[4]!)).toBe(false);
    expect(frameMatchesFilter(scanning, frames[7]!)).toBe(true);
  });
});

describe("an error frame's details", () => {
  const errorFrame: Frame = {
    index: 5,
    connectionKey: 'd#3',
    kind: 'error',
    time: new Date(2026, 0, 2, 10, 11, 12, 345).getTime(),
  };
  const sentence = () =>
    [...root.querySelectorAll('.details-close')]
      .map((element) => element.textContent ?? '')
      .find((text) => text.includes('error event'));
  const failedWith = (handshake: Partial<Handshake>): Connection => ({
    ...connection,
    state: 'failed',
    handshake: {
      requestId: 'r1',
      frameId: 0,
      url: connection.url,
      startedAt: 1000,
      ...handshake,
    },
  });

  it("says the handshake's refusal, not that the browser gives no detail", async () => {
    await show(
      errorFrame,
      undefined,
      failedWith({ status: 403, statusLine: 'HTTP/1.1 403 Forbidden' }),
    );
    expect(sentence()).toBe(
      'The socket fired an error event: its handshake failed (403 Forbidden).',
    );
  });

  it("says the browser's network error of a handshake that got no response", async () => {
    await show(errorFrame, undefined, failedWith({ error: 'NS_ERROR_CONNECTION_REFUSED' }));
    expect(sentence()).toBe(
      'The socket fired an error event: its handshake failed (connection refused).',
    );
  });

  it('says the browser gives no detail without a handshake, or one that gives no cause', async () => {
    const noDetail = 'The socket fired an error event (the browser gives no detail).';
    await show(errorFrame);
    expect(sentence()).toBe(noDetail);
    // Chrome's every failed handshake: net::ERR_FAILED, no status.
    await show(errorFrame, undefined, failedWith({ error: 'net::ERR_FAILED' }));
    expect(sentence()).toBe(noDetail);
    // A socket that opened and later failed: its handshake was a success.
    await show(
      errorFrame,
      undefined,
      failedWith({ status: 101, statusLine: 'HTTP/1.1 101 Switching Protocols' }),
    );
    expect(sentence()).toBe(noDetail);
  });
});
