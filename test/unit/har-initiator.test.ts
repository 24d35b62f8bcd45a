import { describe, expect, it } from 'vitest';
import { harInitiator, initiatorOf } from '../../src/session/har/har-initiator';
import { MAX_STACK_FRAMES, parseStack, type StackFrame } from '../../src/session/stack-frames';

function frame(
  functionName: string,
  url: string,
  lineNumber: number,
  columnNumber: number,
): StackFrame {
  return { functionName, url, lineNumber, columnNumber };
}

function callFrame(
  functionName: string,
  url: string,
  lineNumber: number,
  columnNumber: number,
  scriptId = '42',
) {
  return { functionName, scriptId, url, lineNumber, columnNumber };
}

const FRAMES: StackFrame[] = [
  frame('openChat', 'http://127.0.0.1:8080/app.js', 12, 14),
  frame('', 'http://x/a.js?t=12:30', 20, 1),
  frame('start', 'http://x/a.js', 1, 1),
];

describe('harInitiator', () => {
  it("writes Chrome's script initiator, 0-based, with an empty scriptId", () => {
    expect(harInitiator(FRAMES)).toEqual({
      type: 'script',
      stack: {
        callFrames: [
          callFrame('openChat', 'http://127.0.0.1:8080/app.js', 11, 13, ''),
          callFrame('', 'http://x/a.js?t=12:30', 19, 0, ''),
          callFrame('start', 'http://x/a.js', 0, 0, ''),
        ],
      },
    });
  });

  it('does not change the frames it was given', () => {
    const frames = FRAMES.map((f) => ({ ...f }));
    harInitiator(frames);
    expect(frames).toEqual(FRAMES);
  });
});

describe('initiatorOf', () => {
  it('reads a Chrome recording, 1-based, in order', () => {
    const chrome = {
      type: 'script',
      stack: {
        callFrames: [
          callFrame('openChat', 'http://127.0.0.1:8080/app.js', 11, 13),
          callFrame('', 'http://x/a.js', 19, 0, '43'),
        ],
        parent: {
          description: 'await',
          callFrames: [callFrame('main', 'http://x/main.js', 4, 2, '44')],
        },
      },
    };
    expect(initiatorOf(chrome)).toEqual([
      frame('openChat', 'http://127.0.0.1:8080/app.js', 12, 14),
      frame('', 'http://x/a.js', 20, 1),
    ]);
  });

  it('gives back what harInitiator wrote, also through JSON', () => {
    expect(initiatorOf(harInitiator(FRAMES))).toEqual(FRAMES);
    expect(initiatorOf(JSON.parse(JSON.stringify(harInitiator(FRAMES))))).toEqual(FRAMES);
  });

  it('round-trips a parsed V8 stack', () => {
    const frames = parseStack(
      'Error\n    at openChat (http://127.0.0.1:8080/app.js:12:14)\n    at async start (http://x/a.js:3:5)\n    at http://x/a.js:20:1',
    );
    expect(frames).toHaveLength(3);
    expect(initiatorOf(JSON.parse(JSON.stringify(harInitiator(frames))))).toEqual(frames);
  });

  it('gives none for a parser, other or absent initiator', () => {
    expect(
      initiatorOf({ type: 'parser', url: 'http://127.0.0.1:8080/', lineNumber: 20 }),
    ).toBeUndefined();
    expect(
      initiatorOf({ type: 'parser', url: 'http://x/', lineNumber: 3, columnNumber: 9 }),
    ).toBeUndefined();
    expect(initiatorOf({ type: 'other' })).toBeUndefined();
    expect(initiatorOf(undefined)).toBeUndefined();
    expect(initiatorOf(null)).toBeUndefined();
    expect(initiatorOf('script')).toBeUndefined();
    expect(initiatorOf(42)).toBeUndefined();
    expect(initiatorOf([])).toBeUndefined();
  });

  it('gives none for a stack that is not one', () => {
    expect(initiatorOf({ type: 'script' })).toBeUndefined();
    expect(initiatorOf({ type: 'script', stack: null })).toBeUndefined();
    expect(initiatorOf({ type: 'script', stack: 'at f (x.js:1:1)' })).toBeUndefined();
    expect(initiatorOf({ type: 'script', stack: {} })).toBeUndefined();
    expect(initiatorOf({ type: 'script', stack: { callFrames: {} } })).toBeUndefined();
    expect(
      initiatorOf({ type: 'script', stack: { callFrames: { 0: callFrame('f', 'x', 1, 1) } } }),
    ).toBeUndefined();
    expect(initiatorOf({ type: 'script', stack: { callFrames: [] } })).toBeUndefined();
  });

  it('skips malformed call frames and keeps the rest', () => {
    const good = callFrame('ok', 'http://x/ok.js', 4, 5);
    const initiator = {
      type: 'script',
      stack: {
        callFrames: [
          null,
          'at f (http://x/a.js:1:1)',
          42,
          [],
          {},
          { functionName: 'f', lineNumber: 1, columnNumber: 1 },
          { functionName: 'f', url: 5, lineNumber: 1, columnNumber: 1 },
          { functionName: 'f', url: 'http://x/a.js', lineNumber: '1', columnNumber: 1 },
          { functionName: 'f', url: 'http://x/a.js', lineNumber: 1 },
          { functionName: 'f', url: 'http://x/a.js', columnNumber: 1 },
          good,
          { functionName: 7, url: 'http://x/b.js', lineNumber: 0, columnNumber: 0 },
          { url: 'http://x/c.js', lineNumber: 2, columnNumber: 3 },
        ],
      },
    };
    expect(initiatorOf(initiator)).toEqual([
      frame('ok', 'http://x/ok.js', 5, 6),
      frame('', 'http://x/b.js', 1, 1),
      frame('', 'http://x/c.js', 3, 4),
    ]);
  });

  it('skips negative, fractional and non-finite positions', () => {
    const bad = [-1, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1e300];
    const callFrames = [
      ...bad.map((n) => callFrame('line', 'http://x/a.js', n, 0)),
      ...bad.map((n) => callFrame('column', 'http://x/a.js', 0, n)),
      callFrame('zero', 'http://x/a.js', 0, 0),
    ];
    expect(initiatorOf({ type: 'script', stack: { callFrames } })).toEqual([
      frame('zero', 'http://x/a.js', 1, 1),
    ]);
    expect(
      initiatorOf({
        type: 'script',
        stack: { callFrames: bad.map((n) => callFrame('f', 'x', n, n)) },
      }),
    ).toBeUndefined();
  });

  it(`keeps at most ${MAX_STACK_FRAMES} frames`, () => {
    const callFrames = Array.from({ length: MAX_STACK_FRAMES + 20 }, (_, i) =>
      callFrame(`f${i}`, 'http://x/a.js', i, 0),
    );
    const frames = initiatorOf({ type: 'script', stack: { callFrames } });
    expect(frames).toHaveLength(MAX_STACK_FRAMES);
    expect(frames![0]).toEqual(frame('f0', 'http://x/a.js', 1, 1));
    expect(frames!.at(-1)).toEqual(
      frame(`f${MAX_STACK_FRAMES - 1}`, 'http://x/a.js', MAX_STACK_FRAMES, 1),
    );
  });
});
