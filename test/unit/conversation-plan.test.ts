import { describe, expect, it } from 'vitest';
import {
  answered,
  compareStep,
  conversationSteps,
  replayProblem,
  type StepReply,
  summaryOf,
} from '../../src/session/conversation-plan';
import { makeFrame } from '../../src/session/make-frame';
import type { Frame } from '../../src/session/session-model';
import { modelBinary } from './session-fixtures';

let clock = 0;
const text = (value: string) => ({
  kind: 'text' as const,
  text: value,
  size: value.length,
  originalSize: value.length,
});
const sent = (value: string, fields: Partial<Frame> = {}): Frame => ({
  ...makeFrame({ connectionKey: 'd#1', kind: 'sent', time: ++clock, payload: text(value) }),
  readyState: 1,
  origin: 'page',
  ...fields,
});
const received = (value: string, fields: Partial<Frame> = {}): Frame => ({
  ...makeFrame({ connectionKey: 'd#1', kind: 'received', time: ++clock, payload: text(value) }),
  origin: 'page',
  ...fields,
});
/** Each step as its sent text (null for the opening) and its replies' texts (paired ones marked). */
const shape = (frames: Frame[], requestOf?: (frame: Frame) => Frame | undefined) =>
  conversationSteps(frames, requestOf).map((step) => [
    step.sent?.payload?.kind === 'text' ? step.sent.payload.text : null,
    step.replies.map(({ frame, paired }) =>
      frame.payload?.kind === 'text' ? `${frame.payload.text}${paired ? ' (paired)' : ''}` : '?',
    ),
  ]);
const replies = (...frames: Frame[]): StepReply[] =>
  frames.map((frame) => ({ frame, paired: false }));

describe('conversationSteps', () => {
  it('gives each send the received frames that followed it, until the next send', () => {
    const frames = [
      received('hello'),
      sent('a'),
      received('a1'),
      received('a2'),
      sent('b'),
      sent('c'),
      received('c1'),
    ];
    expect(shape(frames)).toEqual([
      [null, ['hello']],
      ['a', ['a1', 'a2']],
      ['b', []],
      ['c', ['c1']],
    ]);
  });

  it('leaves out what never crossed the network: dropped, unsent, delivered and mocked frames', () => {
    const frames = [
      sent('a'),
      sent('dropped before it left', { origin: 'dropped' }),
      sent('sent while closing', { readyState: 2 }),
      received('delivered by the user', { origin: 'delivered' }),
      received('a rule mocked it', { origin: 'mocked' }),
      received('held and dropped, but the server sent it', { origin: 'dropped' }),
      { ...received('closed'), kind: 'closed' as const, payload: undefined },
    ];
    expect(shape(frames)).toEqual([
      [null, []],
      ['a', ['held and dropped, but the server sent it']],
    ]);
  });

  it("uses the decoder's pairing where it has one, and position for the rest", () => {
    const first = sent('{"id":1}');
    const second = sent('{"id":2}');
    const answerToSecond = received('{"id":2,"result":"b"}');
    const answerToFirst = received('{"id":1,"result":"a"}');
    const notice = received('{"method":"tick"}');
    const requestOf = (frame: Frame) =>
      frame === answerToFirst ? first : frame === answerToSecond ? second : undefined;
    expect(shape([first, second, answerToSecond, answerToFirst, notice], requestOf)).toEqual([
      [null, []],
      ['{"id":1}', ['{"id":1,"result":"a"} (paired)']],
      ['{"id":2}', ['{"id":2,"result":"b"} (paired)', '{"method":"tick"}']],
    ]);
  });

  it('places a reply paired with a request outside the conversation by its position', () => {
    const unseen = sent('not on this connection', { origin: 'dropped' });
    const frames = [sent('a'), received('late answer')];
    expect(shape(frames, () => unseen)).toEqual([
      [null, []],
      ['a', ['late answer']],
    ]);
  });
});

describe('answered', () => {
  it('waits for as many paired replies and as many positional ones as the recording had', () => {
    const [p1, p2, q1] = [received('p1'), received('p2'), received('q1')];
    const expected = [
      { frame: p1, paired: true },
      { frame: q1, paired: false },
    ];
    expect(answered(expected, [])).toBe(false);
    expect(answered(expected, [{ frame: q1, paired: false }])).toBe(false);
    // Two unpaired frames are not the answer a paired request waits for.
    expect(answered(expected, replies(p1, q1))).toBe(false);
    expect(
      answered(expected, [
        { frame: p2, paired: true },
        { frame: q1, paired: false },
      ]),
    ).toBe(true);
    expect(answered([], [])).toBe(true);
  });
});

describe('replayProblem', () => {
  it('refuses a conversation with nothing sent, or sends it cannot repeat as they were', () => {
    expect(replayProblem(conversationSteps([received('only')]))).toMatch(/Nothing was sent/);
    const evicted = sent('', { payloadEvicted: true });
    expect(replayProblem(conversationSteps([sent('a'), evicted]))).toMatch(
      /1 sent frame has lost its payload/,
    );
    const cut = sent('abc', { payload: { ...text('abc'), originalSize: 10 } });
    expect(replayProblem(conversationSteps([cut, cut]))).toMatch(/2 sent frames were cut/);
    expect(replayProblem(conversationSteps([sent('a'), received('b')]))).toBeNull();
  });
});

describe('compareStep', () => {
  it('says same for equal replies, and different with the differing digits marked', () => {
    expect(compareStep(replies(received('x')), replies(received('x')), 'answered').status).toBe(
      'same',
    );
    const { status, replies: compared } = compareStep(
      replies(received('count:3')),
      replies(received('count:7')),
      'answered',
    );
    expect(status).toBe('different');
    const diff = compared[0]!.diff!;
    if (diff.kind !== 'diff') throw new Error(diff.kind);
    expect(diff.before.filter((part) => part.kind === 'removed')).toEqual([
      { kind: 'removed', text: '3' },
    ]);
    expect(diff.after.filter((part) => part.kind === 'added')).toEqual([
      { kind: 'added', text: '7' },
    ]);
  });

  it('compares binary replies byte by byte, and a text reply to a binary one as differing', () => {
    const bytes = (values: number[]) => received('', { payload: modelBinary(values) });
    expect(compareStep(replies(bytes([1, 2])), replies(bytes([1, 2])), 'answered').status).toBe(
      'same',
    );
    const differs = compareStep(replies(bytes([1, 2])), replies(bytes([1, 3])), 'answered');
    expect(differs.status).toBe('different');
    const kinds = compareStep(replies(bytes([1])), replies(received('1')), 'answered');
    expect(kinds.status).toBe('different');
    expect(kinds.replies[0]!.note).toMatch(/binary, the replay text/);
  });

  it('marks missing replies as timed out or missing by how the wait ended', () => {
    const recorded = replies(received('a'), received('b'));
    const got = replies(received('a'));
    expect(compareStep(recorded, got, 'timeout').status).toBe('timeout');
    expect(compareStep(recorded, got, 'ended').status).toBe('missing');
    const missing = compareStep(recorded, got, 'ended').replies[1]!;
    expect(missing.recorded).toBeDefined();
    expect(missing.replayed).toBeUndefined();
  });

  it('marks extra replies, unless one differs, which says more', () => {
    const extra = compareStep(
      replies(received('a')),
      replies(received('a'), received('b')),
      'answered',
    );
    expect(extra.status).toBe('extra');
    expect(extra.replies[1]!.recorded).toBeUndefined();
    expect(
      compareStep(replies(received('a')), replies(received('z'), received('b')), 'answered').status,
    ).toBe('different');
  });

  it('tells replies alike as far as the payload cap kept them, but of other lengths', () => {
    const cut = (length: number) =>
      received('', { payload: { ...text('abc'), originalSize: length } });
    const compared = compareStep(replies(cut(10)), replies(cut(12)), 'answered');
    expect(compared.status).toBe('different');
    expect(compared.replies[0]!.note).toMatch(/payload cap/);
  });
});

describe('summaryOf', () => {
  it('counts matching steps, then each other outcome, then steps not run', () => {
    expect(summaryOf(['same', 'same', 'different', 'same'], 4)).toBe(
      '3 of 4 steps match; 1 differs',
    );
    expect(summaryOf(['same', 'timeout', 'timeout', 'extra', 'different', 'different'], 6)).toBe(
      '1 of 6 steps matches; 2 differ; 2 timed out; 1 has extra replies',
    );
    expect(summaryOf(['same', 'missing'], 5)).toBe(
      '1 of 5 steps matches; 1 lacks replies; 3 not run',
    );
    expect(summaryOf(['same'], 1)).toBe('1 of 1 step matches');
  });
});
