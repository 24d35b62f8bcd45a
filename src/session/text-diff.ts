/**
 * A small diff for comparing two payloads in the panel: text by tokens (runs of letters, of
 * digits, of spaces; any other character alone), bytes one by one, with Myers' algorithm. The
 * work is bounded, so a 1 MiB payload cannot hang the panel: beyond the bound the answer is
 * only "they differ".
 */

/** `elided`: a long run both share, left out but for its length (the text says it). */
export type DiffKind = 'same' | 'removed' | 'added' | 'elided';

/** A run of the diff: `removed` is only in the first input, `added` only in the second. */
export interface DiffPart {
  kind: DiffKind;
  text: string;
}

/**
 * Each input as runs: `before` of same and removed text, `after` of same and added (the two
 * sides shown next to each other).
 */
export type DiffResult =
  | { kind: 'equal' }
  | { kind: 'diff'; before: DiffPart[]; after: DiffPart[] }
  /** Too large to compare in detail within the bound: they differ, nothing more is said. */
  | { kind: 'too-large' };

/** Snake and edit steps Myers may take; about a few milliseconds of work. */
export const DIFF_WORK_LIMIT = 1_000_000;
/** Edits at most: the trace kept for the backtrack grows with their square. */
export const DIFF_EDIT_LIMIT = 1_000;
/** Differing text beyond the common start and end, in characters, that is tokenized at all. */
export const DIFF_MIDDLE_LIMIT = 100_000;
/** Characters kept of a shared run next to a change; the rest of a long one is elided. */
export const DIFF_CONTEXT = 80;
/** How far a cut moves back to a token boundary: further, a long token is cut where it differs. */
const SNAP_LIMIT = 64;

/** One token of an edit script: an index into the first input (same, removed) or the second. */
export type Op = { kind: 'same' | 'removed' | 'added'; index: number };

/**
 * Myers' shortest edit script between `a` and `b`, as one op per token (index into `a` for
 * same and removed, into `b` for added), or null beyond the bounds.
 */
export function diffTokens<T>(
  a: ArrayLike<T>,
  b: ArrayLike<T>,
  workLimit = DIFF_WORK_LIMIT,
  editLimit = DIFF_EDIT_LIMIT,
): Op[] | null {
  const n = a.length;
  const m = b.length;
  // trace[d][k + d] is the furthest x on diagonal k after d edits.
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= n + m; d++) {
    if (d > editLimit) return null;
    const prev = trace[d - 1];
    const row = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (!prev) x = 0;
      else if (k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!))
        x = prev[k + 1 + d - 1]!;
      else x = prev[k - 1 + d - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
        work++;
      }
      row[k + d] = x;
      if (++work > workLimit) return null;
      if (x >= n && y >= m) {
        trace.push(row);
        return backtrack(trace, n, m);
      }
    }
    trace.push(row);
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const prev = trace[d - 1];
    let prevX = 0;
    let prevY = 0;
    if (prev) {
      const k = x - y;
      const down = k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!);
      const prevK = down ? k + 1 : k - 1;
      prevX = prev[prevK + d - 1]!;
      prevY = prevX - prevK;
    }
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: 'same', index: x });
    }
    if (!prev) break;
    if (x === prevX) ops.push({ kind: 'added', index: --y });
    else ops.push({ kind: 'removed', index: --x });
  }
  return ops.reverse();
}

/** Letters, digits and spaces run together; every other character is a token of its own. */
const TOKEN = /\p{L}+|\p{N}+|\s+|./gsu;

/** 1 letter, 2 digit, 3 space, 0 anything else (a token alone), -1 past the end. */
function classOf(char: string | undefined): number {
  if (char === undefined) return -1;
  if (/[a-z]/i.test(char) || (char > '\x7f' && /\p{L}/u.test(char))) return 1;
  if (/\p{N}/u.test(char)) return 2;
  return /\s/.test(char) ? 3 : 0;
}

/** Whether a cut at `at` would split a token of `text` (letters, say, or a number). */
function runsOn(text: string, at: number): boolean {
  const kind = classOf(text[at - 1]);
  return kind > 0 && kind === classOf(text[at]);
}

/** A cut at `at` would split a character made of two UTF-16 units. */
function isLowSurrogate(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * How long the texts' common start and end are, in characters: they cost no diff work, so a
 * long payload with a small change stays cheap.
 */
function commonEnds(a: string, b: string): { start: number; end: number } {
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a[start] === b[start]) start++;
  let end = 0;
  while (end < shorter - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  // Cut back to token boundaries, within reach: a changed number shows whole.
  const splits = (atA: number, atB: number, snap: number) =>
    isLowSurrogate(a, atA) || (snap < SNAP_LIMIT && (runsOn(a, atA) || runsOn(b, atB)));
  for (let snap = 0; start > 0 && splits(start, start, snap); snap++) start--;
  for (let snap = 0; end > 0 && splits(a.length - end, b.length - end, snap); snap++) end--;
  return { start, end };
}

/** Compares two texts by tokens. */
export function diffText(before: string, after: string): DiffResult {
  if (before === after) return { kind: 'equal' };
  const { start, end } = commonEnds(before, after);
  const middleA = before.slice(start, before.length - end);
  const middleB = after.slice(start, after.length - end);
  if (middleA.length + middleB.length > DIFF_MIDDLE_LIMIT) return { kind: 'too-large' };
  const tokensA = middleA.match(TOKEN) ?? [];
  const tokensB = middleB.match(TOKEN) ?? [];
  const ops = diffTokens(tokensA, tokensB);
  if (!ops) return { kind: 'too-large' };
  const join = (tokens: string[]) => (from: number, to: number) => tokens.slice(from, to).join('');
  const a = join(tokensA);
  return sidesOf(ops, start, before.length - end, {
    shared: (from, to) => before.slice(from, to),
    total: before.length,
    a,
    b: join(tokensB),
    run: (from, to) => {
      const text = a(from, to);
      return [text.length, (x, y) => text.slice(x, y)];
    },
    unit: 'characters',
    context: DIFF_CONTEXT,
    gap: '',
  });
}

/** Compares two byte arrays byte by byte; each side reads as hex ("0a ff"). */
export function diffBytes(before: Uint8Array, after: Uint8Array): DiffResult {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before[start] === after[start]) start++;
  if (start === before.length && start === after.length) return { kind: 'equal' };
  let end = 0;
  while (end < shorter - start && before.at(-1 - end) === after.at(-1 - end)) end++;
  const middleA = before.subarray(start, before.length - end);
  const middleB = after.subarray(start, after.length - end);
  // Each byte reads as three characters: the same bound as text's, in what is shown.
  if ((middleA.length + middleB.length) * 3 > DIFF_MIDDLE_LIMIT) return { kind: 'too-large' };
  const ops = diffTokens(middleA, middleB);
  if (!ops) return { kind: 'too-large' };
  const hex = (bytes: Uint8Array) => (from: number, to: number) =>
    Array.from(bytes.subarray(from, to), hexOf).join(' ');
  const a = hex(middleA);
  return sidesOf(ops, start, before.length - end, {
    shared: hex(before),
    total: before.length,
    a,
    b: hex(middleB),
    run: (from, to) => [to - from, (x, y) => a(from + x, from + y)],
    unit: 'bytes',
    // About as many characters as text's: a byte reads as three.
    context: Math.floor(DIFF_CONTEXT / 3),
    gap: ' ',
  });
}

function hexOf(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

type Read = (from: number, to: number) => string;

/** How {@link sidesOf} shows ranges of the inputs: in the unit named, tokens in the middles. */
interface Reading {
  /** The first input (`total` units), for its common start and end. */
  shared: Read;
  total: number;
  a: Read;
  b: Read;
  /** A run of the middles both share: its length in units, and a reader of it. */
  run(from: number, to: number): [number, Read];
  unit: string;
  context: number;
  /** Between two runs of a side (a space between bytes), outside any highlight. */
  gap: string;
}

/**
 * Both sides of a diff from the edit script of the middles (the first input's `start` to `end`
 * between its common start and end), long shared runs elided away from the changes.
 */
function sidesOf(ops: Op[], start: number, end: number, reading: Reading): DiffResult {
  const before: DiffPart[] = [];
  const after: DiffPart[] = [];
  const put = (side: DiffPart[], kind: DiffKind, text: string) => {
    if (!text) return;
    if (side.length > 0) push(side, 'same', reading.gap);
    push(side, kind, text);
  };
  /** A shared run; `at` < 0 for the common start (only its end is near a change), > 0 the end. */
  const shared = (from: number, to: number, read: Read, at = 0) => {
    const head = at < 0 ? 0 : Math.min(to - from, reading.context);
    const tail = at > 0 ? 0 : Math.min(to - from - head, reading.context);
    const hidden = to - from - head - tail;
    const parts: Array<[DiffKind, string]> =
      hidden <= reading.context
        ? [['same', read(from, to)]]
        : [
            ['same', read(from, from + head)],
            ['elided', `${hidden} ${reading.unit} alike`],
            ['same', read(to - tail, to)],
          ];
    for (const [kind, text] of parts) for (const side of [before, after]) put(side, kind, text);
  };
  shared(0, start, reading.shared, -1);
  for (let i = 0; i < ops.length; ) {
    const { kind, index } = ops[i]!;
    let j = i + 1;
    while (j < ops.length && ops[j]!.kind === kind) j++;
    const last = ops[j - 1]!.index + 1;
    if (kind === 'same') shared(0, ...reading.run(index, last));
    else if (kind === 'removed') put(before, 'removed', reading.a(index, last));
    else put(after, 'added', reading.b(index, last));
    i = j;
  }
  shared(end, reading.total, reading.shared, 1);
  return { kind: 'diff', before, after };
}

/** Appends text to the last part when it is of the same kind. */
function push(parts: DiffPart[], kind: DiffKind, text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last?.kind === kind && kind !== 'elided') last.text += text;
  else parts.push({ kind, text });
}
