import { MAX_STACK_FRAMES, type StackFrame } from '../stack-frames';

/** Chrome's HAR `_initiator` of a request a script made: its stack, 0-based lines and columns. */
export interface HarInitiator {
  type: 'script';
  stack: {
    callFrames: Array<{
      functionName: string;
      scriptId: string;
      url: string;
      lineNumber: number;
      columnNumber: number;
    }>;
  };
}

export function harInitiator(frames: StackFrame[]): HarInitiator {
  return {
    type: 'script',
    stack: {
      callFrames: frames.map((frame) => ({
        functionName: frame.functionName,
        scriptId: '',
        url: frame.url,
        lineNumber: frame.lineNumber - 1,
        columnNumber: frame.columnNumber - 1,
      })),
    },
  };
}

/**
 * The stack an entry's `_initiator` gives (Chrome's recordings and Sockscope's own), of any
 * initiator type that has one (not Chrome's async `parent` stacks); none when it has no frames.
 */
export function initiatorOf(value: unknown): StackFrame[] | undefined {
  const stack = field(field(value, 'stack'), 'callFrames');
  if (!Array.isArray(stack)) return undefined;
  const frames: StackFrame[] = [];
  for (const callFrame of stack.slice(0, MAX_STACK_FRAMES)) {
    const url = field(callFrame, 'url');
    const line = field(callFrame, 'lineNumber');
    const column = field(callFrame, 'columnNumber');
    if (typeof url !== 'string' || !isPosition(line) || !isPosition(column)) continue;
    const name = field(callFrame, 'functionName');
    frames.push({
      functionName: typeof name === 'string' ? name : '',
      url,
      lineNumber: line + 1,
      columnNumber: column + 1,
    });
  }
  return frames.length > 0 ? frames : undefined;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
