import { afterEach, describe, expect, it } from 'vitest';
import { PARSE_LIMITS, parseCaptureEvent } from '../../src/relay/parse-hook-messages';
import type { FakeWebSocket } from './fake-websocket';
import { setUpPage } from './hooked-page';

/**
 * What the hook records of a page's close(code, reason) when the page passes values the browser
 * converts (WebIDL: `[Clamp] unsigned short code`, `USVString reason`).
 */
const toStringDescriptor = Object.getOwnPropertyDescriptor(Function.prototype, 'toString')!;

describe('close() arguments', () => {
  afterEach(() => {
    Object.defineProperty(Function.prototype, 'toString', toStringDescriptor);
  });

  it.each([
    // [what the page passes, what the browser converts it to]
    [
      'a numeric string code and an object reason',
      ['4001', { toString: (): string => 'bye' }],
      4001,
      'bye',
    ],
    ['a fractional code ([Clamp] rounds it)', [4000.6, 'bye'], 4001, 'bye'],
    ['an object code with valueOf', [{ valueOf: (): number => 3001 }, 'bye'], 3001, 'bye'],
  ])('records the close request as the browser read it: %s', (_, args, code, reason) => {
    const page = setUpPage();
    const ws = new page.WebSocket('ws://example.test/') as unknown as FakeWebSocket;
    ws.serverOpens();
    (ws.close as (...args: unknown[]) => void)(...(args as unknown[]));
    const request = page.events.find((event) => event.type === 'close-requested');
    // What the relay makes of it (a record it refuses never reaches the panel).
    const relayed = request && parseCaptureEvent(request, { ...PARSE_LIMITS, maxPayload: 1024 });
    expect(relayed).toMatchObject({ type: 'close-requested', code, reason });
  });
});
