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

/** Each input as runs: `before` of same and removed text, `after` of same and added. */
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
      let x = !prev ? 0 : down(prev, k, d) ? prev[k + d]! : prev[k - 2 + d]! + 1;
      let y = x - k;
      for (; x < n && y < m && a[x] === b[y]; x++, y++) work++;
      row[k + d] = x;
      if (++work > workLimit) return null;
      if (x >= n && y >= m) return backtrack([...trace, row], n, m);
    }
    trace.push(row);
  }
  return null;
}

/** Whether the furthest path to diagonal k after d edits comes from k + 1 (an insertion). */
function down(prev: Int32Array, k: number, d: number): boolean {
  return k === -d || (k !== d && prev[k - 1 + d - 1]! < prev[k + 1 + d - 1]!);
}

function backtrack(trace: Int32Array[], n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const prev = trace[d - 1];
    const prevK = prev && (down(prev, x - y, d) ? x - y + 1 : x - y - 1);
    const prevX = prev ? prev[prevK! + d - 1]! : 0;
    const prevY = prev ? prevX - prevK! : 0;
    for (; x > prevX && y > prevY; y--) ops.push({ kind: 'same', index: --x });
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

/** The inputs' common start and end: no diff work for them keeps a small change in 1 MiB cheap. */
function commonEnds<T>(a: ArrayLike<T>, b: ArrayLike<T>): [start: number, end: number] {
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a[start] === b[start]) start++;
  let end = 0;
  while (end < shorter - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [start, end];
}

/** A text's tokens, and where each starts (then where the text ends), in characters. */
function tokenize(text: string): [string[], number[]] {
  const found = [...text.matchAll(TOKEN)];
  return [found.map((match) => match[0]), [...found.map((match) => match.index), text.length]];
}

/** Compares two texts by tokens. */
export function diffText(before: string, after: string): DiffResult {
  if (before === after) return { kind: 'equal' };
  let [start, end] = commonEnds(before, after);
  // Cut back to token boundaries, within reach: a changed number shows whole.
  const splits = (atA: number, atB: number, snap: number) =>
    isLowSurrogate(before, atA) ||
    (snap < SNAP_LIMIT && (runsOn(before, atA) || runsOn(after, atB)));
  for (let snap = 0; start > 0 && splits(start, start, snap); snap++) start--;
  for (let snap = 0; end > 0 && splits(before.length - end, after.length - end, snap); snap++)
    end--;
  const middleA = before.slice(start, before.length - end);
  const middleB = after.slice(start, after.length - end);
  if (middleA.length + middleB.length > DIFF_MIDDLE_LIMIT) return { kind: 'too-large' };
  const [tokensA, offA] = tokenize(middleA);
  const [tokensB, offB] = tokenize(middleB);
  const ops = diffTokens(tokensA, tokensB);
  if (!ops) return { kind: 'too-large' };
  const runs = runsOf(ops, start, before.length, end, (kind, i) =>
    kind === 'added' ? offB[i]! : offA[i]!,
  );
  const read = (text: string) => (from: number, to: number) => text.slice(from, to);
  return sidesOf(runs, [read(before), read(after)], 'characters', DIFF_CONTEXT, '');
}

/** Compares two byte arrays byte by byte; each side reads as hex ("0a ff"). */
export function diffBytes(before: Uint8Array, after: Uint8Array): DiffResult {
  const [start, end] = commonEnds(before, after);
  if (start === before.length && start === after.length) return { kind: 'equal' };
  const middleA = before.subarray(start, before.length - end);
  const middleB = after.subarray(start, after.length - end);
  // Each byte reads as three characters: the same bound as text's, in what is shown.
  if ((middleA.length + middleB.length) * 3 > DIFF_MIDDLE_LIMIT) return { kind: 'too-large' };
  const ops = diffTokens(middleA, middleB);
  if (!ops) return { kind: 'too-large' };
  const hex = (bytes: Uint8Array) => (from: number, to: number) =>
    Array.from(bytes.subarray(from, to), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const runs = runsOf(ops, start, before.length, end, (_, i) => i);
  // About as many characters of context as text's: a byte reads as three.
  return sidesOf(runs, [hex(before), hex(after)], 'bytes', Math.floor(DIFF_CONTEXT / 3), ' ');
}

type Read = (from: number, to: number) => string;
/** A run of a diff: its kind, and where it is in the first input (the second for `added`). */
type Run = [kind: Op['kind'], from: number, to: number];

/** The runs of the common start, of the middles' edit script, and of the common end. */
function runsOf(
  ops: Op[],
  start: number,
  total: number,
  end: number,
  offset: (kind: Op['kind'], index: number) => number,
): Run[] {
  const runs: Run[] = [['same', 0, start]];
  for (let i = 0; i < ops.length; ) {
    const { kind, index } = ops[i]!;
    let j = i + 1;
    while (j < ops.length && ops[j]!.kind === kind) j++;
    runs.push([kind, start + offset(kind, index), start + offset(kind, ops[j - 1]!.index + 1)]);
    i = j;
  }
  runs.push(['same', total - end, total]);
  return runs;
}

/**
 * Both sides of a diff, read from the inputs. A long shared run keeps `context` units next to a
 * change (none before the first run, none after the last); the rest of it is elided.
 */
function sidesOf(
  runs: Run[],
  [readA, readB]: [Read, Read],
  unit: string,
  context: number,
  gap: string,
) {
  const before: DiffPart[] = [];
  const after: DiffPart[] = [];
  const put = (side: DiffPart[], kind: DiffKind, text: string) => {
    if (!text) return;
    // Between two runs of a side (a space between bytes), outside any highlight.
    if (side.length > 0) push(side, 'same', gap);
    push(side, kind, text);
  };
  for (const [i, [kind, from, to]] of runs.entries()) {
    if (kind !== 'same') {
      put(
        kind === 'removed' ? before : after,
        kind,
        (kind === 'removed' ? readA : readB)(from, to),
      );
      continue;
    }
    const head = i === 0 ? 0 : Math.min(to - from, context);
    const tail = i === runs.length - 1 ? 0 : Math.min(to - from - head, context);
    const hidden = to - from - head - tail;
    const parts: Array<[DiffKind, string]> =
      hidden <= context
        ? [['same', readA(from, to)]]
        : [
            ['same', readA(from, from + head)],
            ['elided', `${hidden} ${unit} alike`],
            ['same', readA(to - tail, to)],
          ];
    for (const [kind, text] of parts) for (const side of [before, after]) put(side, kind, text);
  }
  return { kind: 'diff' as const, before, after };
}

/** Appends text to the last part when it is of the same kind. */
function push(parts: DiffPart[], kind: DiffKind, text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last?.kind === kind && kind !== 'elided') last.text += text;
  else parts.push({ kind, text });
}
