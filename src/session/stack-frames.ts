/** One frame of a stack: where a call was made, 1-based line and column as browsers print them. */
export interface StackFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** At most this many frames are kept of one stack. */
export const MAX_STACK_FRAMES = 50;

// V8: "    at name (url:1:2)", "    at url:1:2", "    at async name (url:1:2)", "at new Name (…)".
const V8_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;
// SpiderMonkey: "name@url:1:2", "@url:1:2", "async*name@url:1:2" (an awaiting caller).
const SPIDERMONKEY_FRAME = /^(.*?)@(.+?):(\d+):(\d+)\s*$/;

/**
 * The frames of a stack as V8 or SpiderMonkey prints it (`Error().stack`). Lines that name no
 * place (V8's "Error" header, "at <anonymous>", native frames) are left out.
 */
export function parseStack(text: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of text.split('\n')) {
    const match = V8_FRAME.exec(line) ?? SPIDERMONKEY_FRAME.exec(line);
    if (!match) continue;
    const [, name = '', url = '', lineNumber = '0', columnNumber = '0'] = match;
    frames.push({
      // As Chrome's own call frames name them: "Foo" for "new Foo", no async marks.
      functionName: name.replace(/^(?:async\*|async |new )/, ''),
      url,
      lineNumber: Number(lineNumber),
      columnNumber: Number(columnNumber),
    });
    if (frames.length === MAX_STACK_FRAMES) break;
  }
  return frames;
}

/** "name (url:line:column)", or "url:line:column" for an anonymous frame. */
export function describeFrame(frame: StackFrame): string {
  const place = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
  return frame.functionName ? `${frame.functionName} (${place})` : place;
}
