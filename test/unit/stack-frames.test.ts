import { describe, expect, it } from 'vitest';
import {
  describeFrame,
  MAX_STACK_FRAMES,
  parseStack,
  type StackFrame,
} from '../../src/session/stack-frames';

function frame(
  functionName: string,
  url: string,
  lineNumber: number,
  columnNumber: number,
): StackFrame {
  return { functionName, url, lineNumber, columnNumber };
}

describe('parseStack: V8', () => {
  const V8_STACK = [
    'Error',
    '    at openChat (http://127.0.0.1:8080/app.js:12:14)',
    '    at async start (http://x/a.js:3:5)',
    '    at http://x/a.js:20:1',
    '    at new Foo (http://x/foo.js:7:9)',
    '    at <anonymous>',
  ].join('\n');

  it('reads named, async, anonymous and constructor frames, and drops the header and "<anonymous>"', () => {
    const frames = parseStack(V8_STACK);
    expect(frames).toHaveLength(4);
    expect(frames[0]).toEqual(frame('openChat', 'http://127.0.0.1:8080/app.js', 12, 14));
    // "async " is how V8 marks an awaited caller, not part of the name.
    expect(frames[1]).toEqual(frame('start', 'http://x/a.js', 3, 5));
    expect(frames[2]).toEqual(frame('', 'http://x/a.js', 20, 1));
    expect(frames[3]).toMatchObject({ url: 'http://x/foo.js', lineNumber: 7, columnNumber: 9 });
    expect(frames[3]!.functionName).toMatch(/\bFoo$/);
  });

  it('keeps the port in the URL and takes line and column from the end', () => {
    const [first] = parseStack(
      'Error\n    at connect (https://chat.example.com:8443/js/app.js:101:23)',
    );
    expect(first).toEqual(frame('connect', 'https://chat.example.com:8443/js/app.js', 101, 23));
  });

  it('keeps colons of a query string in the URL', () => {
    const frames = parseStack(
      [
        'Error',
        '    at load (http://x:81/a.js?t=12:30:00&v=1:2:3:4:5)',
        '    at http://x/b.js?at=1:2:60:7',
        '    at Module.run (webpack://app/./src/a.ts?a:b:9:10)',
      ].join('\n'),
    );
    expect(frames).toEqual([
      frame('load', 'http://x:81/a.js?t=12:30:00&v=1:2:3', 4, 5),
      frame('', 'http://x/b.js?at=1:2', 60, 7),
      frame('Module.run', 'webpack://app/./src/a.ts?a:b', 9, 10),
    ]);
  });

  it('keeps "@" of a CDN path in the URL', () => {
    expect(
      parseStack(
        [
          'Error',
          '    at load (https://cdn.example/@scope/pkg@1.2.3/index.js:5:6)',
          '    at https://esm.sh/@scope/pkg@1.2.3/es2022/pkg.mjs:7:8',
        ].join('\n'),
      ),
    ).toEqual([
      frame('load', 'https://cdn.example/@scope/pkg@1.2.3/index.js', 5, 6),
      frame('', 'https://esm.sh/@scope/pkg@1.2.3/es2022/pkg.mjs', 7, 8),
    ]);
  });

  it('keeps method, alias and node-internal frames with their whole names', () => {
    const frames = parseStack(
      [
        'Error: boom',
        '    at Chat.connect [as open] (http://x/a.js:1:2)',
        '    at Object.<anonymous> (file:///home/u/app.mjs:3:4)',
        '    at Module._compile (node:internal/modules/cjs/loader:1554:14)',
      ].join('\n'),
    );
    expect(frames).toEqual([
      frame('Chat.connect [as open]', 'http://x/a.js', 1, 2),
      frame('Object.<anonymous>', 'file:///home/u/app.mjs', 3, 4),
      frame('Module._compile', 'node:internal/modules/cjs/loader', 1554, 14),
    ]);
  });

  it('reads an eval frame with its position in the evaluated code, and the frames after it', () => {
    const lines = [
      'Error: e',
      '    at eval (eval at openChat (http://x/a.js:11:7), <anonymous>:1:20)',
      '    at openChat (http://x/a.js:11:7)',
    ];
    const frames = parseStack(lines.join('\n'));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ functionName: 'eval', lineNumber: 1, columnNumber: 20 });
    expect(frames[1]).toEqual(frame('openChat', 'http://x/a.js', 11, 7));
    // Copied back out, the eval frame reads as V8 printed it.
    expect(`    at ${describeFrame(frames[0]!)}`).toBe(lines[1]);
  });

  // V8 prints an awaited anonymous caller as "at async url:line:column" (no parentheses).
  it('reads an async anonymous frame without parentheses', () => {
    expect(parseStack('Error\n    at async http://x/a.js:3:5')).toEqual([
      frame('', 'http://x/a.js', 3, 5),
    ]);
  });

  it('tolerates CRLF line ends', () => {
    expect(
      parseStack('Error\r\n    at f (http://x/a.js:1:2)\r\n    at http://x/b.js:3:4\r\n'),
    ).toEqual([frame('f', 'http://x/a.js', 1, 2), frame('', 'http://x/b.js', 3, 4)]);
  });
});

describe('parseStack: SpiderMonkey', () => {
  it('reads named and anonymous frames', () => {
    expect(
      parseStack('openChat@http://127.0.0.1:8080/app.js:12:14\n@http://x/a.js:20:1\n'),
    ).toEqual([
      frame('openChat', 'http://127.0.0.1:8080/app.js', 12, 14),
      frame('', 'http://x/a.js', 20, 1),
    ]);
  });

  it('keeps nested-function names, query colons and "@" in the URL', () => {
    expect(
      parseStack(
        [
          'start/<@http://x:8080/a.js?t=12:30:3:5',
          'Chat.prototype.open@http://user@host/b.js:7:8',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      frame('start/<', 'http://x:8080/a.js?t=12:30', 3, 5),
      frame('Chat.prototype.open', 'http://user@host/b.js', 7, 8),
    ]);
  });

  // SpiderMonkey marks an awaited caller "async*name@url:l:c" (its ErrorStack.js test:
  // /^async\*middle@/, /^async\*@/).
  it('reads async callers without the "async*" mark', () => {
    expect(
      parseStack(
        'inner@http://x/a.js:1:2\nasync*middle@http://x/a.js:3:4\nasync*@http://x/a.js:5:6',
      ),
    ).toEqual([
      frame('inner', 'http://x/a.js', 1, 2),
      frame('middle', 'http://x/a.js', 3, 4),
      frame('', 'http://x/a.js', 5, 6),
    ]);
  });

  it('reads an eval frame with its position in the evaluated code', () => {
    const frames = parseStack('@http://x/a.js line 2 > eval:1:5\nopenChat@http://x/a.js:2:3\n');
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ functionName: '', lineNumber: 1, columnNumber: 5 });
    expect(frames[1]).toEqual(frame('openChat', 'http://x/a.js', 2, 3));
  });
});

describe('parseStack: what names no place', () => {
  it('returns no frame for empty or garbage text', () => {
    expect(parseStack('')).toEqual([]);
    expect(
      parseStack(
        [
          'Error',
          'Error: could not connect',
          'TypeError: x is not a function',
          '    at <anonymous>',
          '    at Array.map (<anonymous>)',
          '    at async Promise.all (index 0)',
          '    at native',
          '    at f (http://x/a.js:1)',
          '    at f (http://x/a.js:a:b)',
          '    at f (http://x/a.js:1:2) and more',
          'at',
          'f@',
          '@',
          'f@http://x/a.js',
          'just some words: 1:2',
          '    ',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('skips garbage lines between frames and keeps the order', () => {
    expect(
      parseStack(
        [
          'Error',
          '    at a (http://x/a.js:1:1)',
          'garbage',
          '    at Array.forEach (<anonymous>)',
          'b@http://x/b.js:2:2',
          '    at http://x/c.js:3:3',
        ].join('\n'),
      ),
    ).toEqual([
      frame('a', 'http://x/a.js', 1, 1),
      frame('b', 'http://x/b.js', 2, 2),
      frame('', 'http://x/c.js', 3, 3),
    ]);
  });
});

describe('parseStack: limits', () => {
  it(`keeps the first ${MAX_STACK_FRAMES} frames`, () => {
    expect(MAX_STACK_FRAMES).toBe(50);
    const lines = ['Error'];
    for (let i = 1; i <= MAX_STACK_FRAMES + 10; i++)
      lines.push(`    at f${i} (http://x/a.js:${i}:1)`);
    const frames = parseStack(lines.join('\n'));
    expect(frames).toHaveLength(MAX_STACK_FRAMES);
    expect(frames[0]).toEqual(frame('f1', 'http://x/a.js', 1, 1));
    expect(frames.at(-1)).toEqual(
      frame(`f${MAX_STACK_FRAMES}`, 'http://x/a.js', MAX_STACK_FRAMES, 1),
    );
  });

  it('counts only frames toward the limit, not skipped lines', () => {
    const lines: string[] = [];
    for (let i = 1; i <= MAX_STACK_FRAMES; i++)
      lines.push('    at <anonymous>', `f${i}@x.js:${i}:2`);
    const frames = parseStack(lines.join('\n'));
    expect(frames).toHaveLength(MAX_STACK_FRAMES);
    expect(frames.at(-1)).toEqual(frame(`f${MAX_STACK_FRAMES}`, 'x.js', MAX_STACK_FRAMES, 2));
  });
});

describe('parseStack: a real V8 stack', () => {
  it("names this test's own function and file", () => {
    function openChatInTest(): string {
      return new Error('x').stack ?? '';
    }
    const frames = parseStack(openChatInTest());
    expect(frames.length).toBeGreaterThan(1);
    const own = frames[0]!;
    expect(own.functionName).toBe('openChatInTest');
    expect(own.url).toMatch(/stack-frames\.test\.ts$/);
    expect(own.lineNumber).toBeGreaterThan(0);
    expect(own.columnNumber).toBeGreaterThan(0);
    for (const each of frames) {
      expect(each.url).not.toMatch(/^(async |\s)/);
      expect(Number.isSafeInteger(each.lineNumber)).toBe(true);
    }
  });
});

describe('describeFrame', () => {
  it('names a function and its place, as V8 prints it', () => {
    expect(describeFrame(frame('openChat', 'http://127.0.0.1:8080/app.js', 12, 14))).toBe(
      'openChat (http://127.0.0.1:8080/app.js:12:14)',
    );
  });

  it('gives only the place of an anonymous frame', () => {
    expect(describeFrame(frame('', 'http://x/a.js?t=1:2', 20, 1))).toBe('http://x/a.js?t=1:2:20:1');
  });

  it('describes what parseStack read back to the same frame', () => {
    const text = [
      'Error',
      '    at openChat (http://127.0.0.1:8080/app.js:12:14)',
      '    at http://x/a.js?t=12:30:20:1',
    ].join('\n');
    const frames = parseStack(text);
    expect(frames.map((f) => `    at ${describeFrame(f)}`)).toEqual(text.split('\n').slice(1));
    expect(parseStack(frames.map((f) => `    at ${describeFrame(f)}`).join('\n'))).toEqual(frames);
  });
});
