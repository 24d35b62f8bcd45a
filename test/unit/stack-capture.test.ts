import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { takeStack } from '../../src/capture/stack-capture';
import { MAX_STACK_TEXT } from '../../src/protocol/limits';
import { parseStack } from '../../src/session/stack-frames';

/**
 * takeStack runs here in node's V8, which formats stacks as Chrome does. Globals are patched only
 * inside a test and always put back, since the module captured its built-ins at load.
 *
 * Vitest itself sets `Error.prepareStackTrace` (to source-map stacks), where takeStack rightly
 * takes nothing: each test runs without it, as a page that sets none, and it is put back after.
 */

const THIS_FILE = /stack-capture\.test\.ts:\d+:\d+/;

// The page's `new WebSocket()` is `construct`; the hook passes it as `above`.
function construct(): string {
  return takeStack(construct);
}

function pageCaller(): string {
  return construct();
}

type PrepareStackTrace = (error: Error, frames: unknown[]) => unknown;

/** `Error` with the property a page may set (node's types declare it always present). */
const ErrorStatics = Error as unknown as { prepareStackTrace?: unknown };

let runnersPrepare: PropertyDescriptor | undefined;

beforeEach(() => {
  runnersPrepare = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  delete ErrorStatics.prepareStackTrace;
});

afterEach(() => {
  if (runnersPrepare) Object.defineProperty(Error, 'prepareStackTrace', runnersPrepare);
  else delete ErrorStatics.prepareStackTrace;
  runnersPrepare = undefined;
});

/** Defines `prepareStackTrace` on `target` for the length of `run`, then removes it. */
function withPrepareStackTrace(target: object, prepare: PrepareStackTrace, run: () => void): void {
  const saved = Object.getOwnPropertyDescriptor(target, 'prepareStackTrace');
  Object.defineProperty(target, 'prepareStackTrace', {
    value: prepare,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  try {
    run();
  } finally {
    if (saved) Object.defineProperty(target, 'prepareStackTrace', saved);
    else delete (target as { prepareStackTrace?: unknown }).prepareStackTrace;
  }
}

it("runs without the test runner's prepareStackTrace", () => {
  expect(Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')).toBeUndefined();
});

describe('takeStack', () => {
  it('gives the stack below `above`: the caller and this file, not `construct`', () => {
    const stack = pageCaller();
    expect(stack).not.toBe('');
    expect(stack).toMatch(/\bpageCaller\b/);
    expect(stack).toMatch(THIS_FILE);
    expect(stack).not.toMatch(/\bconstruct\b/);
    expect(stack).not.toMatch(/\btakeStack\b/);
    expect(stack).not.toMatch(/stack-capture\.ts/);
    const frames = parseStack(stack);
    expect(frames[0]!.functionName).toBe('pageCaller');
    expect(frames[0]!.url).toMatch(/stack-capture\.test\.ts$/);
  });

  it('starts at the caller when `above` is takeStack itself', () => {
    function direct(): string {
      return takeStack(takeStack);
    }
    const frames = parseStack(direct());
    expect(frames[0]!.functionName).toBe('direct');
  });

  it('takes at most MAX_STACK_TEXT characters', () => {
    expect(pageCaller().length).toBeLessThanOrEqual(MAX_STACK_TEXT);
    const savedLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 10_000;
    try {
      function aRecursiveCallerWithAFairlyLongNameToFillTheStack(depth: number): string {
        return depth === 0
          ? pageCaller()
          : aRecursiveCallerWithAFairlyLongNameToFillTheStack(depth - 1);
      }
      const stack = aRecursiveCallerWithAFairlyLongNameToFillTheStack(400);
      expect(stack).toHaveLength(MAX_STACK_TEXT);
      // The innermost frames are kept: the text is cut at its end.
      expect(stack.startsWith('Error\n    at pageCaller (')).toBe(true);
      expect(stack).toContain('at aRecursiveCallerWithAFairlyLongNameToFillTheStack (');
    } finally {
      Error.stackTraceLimit = savedLimit;
    }
  });

  it("keeps the page's Error.stackTraceLimit", () => {
    const savedLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 2;
    try {
      const frames = parseStack(pageCaller());
      expect(frames).toHaveLength(2);
      expect(frames[0]!.functionName).toBe('pageCaller');
    } finally {
      Error.stackTraceLimit = savedLimit;
    }
  });
});

describe('takeStack where the page customises stack formatting', () => {
  const targets: Array<[string, object]> = [
    ['Error', Error],
    ['Function.prototype', Function.prototype],
    ['Object.prototype', Object.prototype],
  ];

  it.each(targets)('gives nothing and never calls prepareStackTrace set on %s', (_, target) => {
    const prepare = vi.fn<PrepareStackTrace>(() => 'forged');
    withPrepareStackTrace(target, prepare, () => {
      expect(pageCaller()).toBe('');
    });
    expect(prepare).not.toHaveBeenCalled();
    // Put back, a stack is taken again.
    expect(pageCaller()).toMatch(/\bpageCaller\b/);
  });

  it('gives nothing when prepareStackTrace is set by plain assignment on Error', () => {
    const saved = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
    const prepare = vi.fn<PrepareStackTrace>(() => 'forged');
    ErrorStatics.prepareStackTrace = prepare;
    try {
      expect(pageCaller()).toBe('');
    } finally {
      if (saved) Object.defineProperty(Error, 'prepareStackTrace', saved);
      else delete ErrorStatics.prepareStackTrace;
    }
    expect(prepare).not.toHaveBeenCalled();
  });

  it('gives nothing when prepareStackTrace is an accessor, and never runs it', () => {
    const get = vi.fn(() => () => 'forged');
    Object.defineProperty(Error, 'prepareStackTrace', { get, configurable: true });
    try {
      expect(pageCaller()).toBe('');
    } finally {
      delete ErrorStatics.prepareStackTrace;
    }
    expect(get).not.toHaveBeenCalled();
  });

  it("gives nothing when Error's prototype chain was changed", () => {
    const prepare = vi.fn<PrepareStackTrace>(() => 'forged');
    const inserted = Object.create(Function.prototype, {
      prepareStackTrace: { value: prepare, configurable: true },
    });
    Object.setPrototypeOf(Error, inserted);
    try {
      expect(pageCaller()).toBe('');
    } finally {
      Object.setPrototypeOf(Error, Function.prototype);
    }
    expect(prepare).not.toHaveBeenCalled();
    expect(pageCaller()).toMatch(/\bpageCaller\b/);
  });
});

describe('takeStack under getters on Object.prototype', () => {
  const names = ['get', 'value', 'stack'] as const;
  const calls: string[] = [];

  /**
   * Puts the page's getters on Object.prototype for the length of `run` only: while they are
   * there, every descriptor literal (the runner's own) would inherit `get` and `value`.
   */
  function withPageGetters<T>(run: () => T): T {
    for (const name of names) {
      const descriptor = Object.create(null) as PropertyDescriptor;
      descriptor.get = () => {
        calls.push(name);
        return 'forged';
      };
      descriptor.configurable = true;
      Object.defineProperty(Object.prototype, name, descriptor);
    }
    try {
      return run();
    } finally {
      removePageGetters();
    }
  }

  function removePageGetters(): void {
    for (const name of names) {
      if (Object.hasOwn(Object.prototype, name)) {
        delete (Object.prototype as Record<string, unknown>)[name];
      }
    }
  }

  afterEach(() => {
    removePageGetters();
    calls.length = 0;
  });

  it('the getters are live while installed (the test can see a call)', () => {
    const plain: Record<string, unknown> = {};
    expect(withPageGetters(() => plain.value)).toBe('forged');
    expect(calls).toEqual(['value']);
  });

  it("still takes the stack and calls none of the page's getters", () => {
    const stack = withPageGetters(() => pageCaller());
    expect(calls).toEqual([]);
    expect(stack).not.toBe('forged');
    expect(stack).toMatch(/\bpageCaller\b/);
    expect(stack).toMatch(THIS_FILE);
    expect(stack).not.toMatch(/\bconstruct\b/);
    const [first] = parseStack(stack);
    expect(first!.functionName).toBe('pageCaller');
    expect(first!.url).toMatch(/stack-capture\.test\.ts$/);
  });
});
