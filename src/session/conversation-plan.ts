import type { Frame, FramePayload } from './session-model';
import { type DiffResult, diffBytes, diffText } from './text-diff';

/** A received frame in a step: given to it by the decoder's pairing, or by its position. */
export interface StepReply {
  frame: Frame;
  paired: boolean;
}

/**
 * One send and what the server answered to it. The first step of a conversation is the opening
 * (`sent` null): what the server said before anything was sent (a greeting, say).
 */
export interface ConversationStep {
  sent: Frame | null;
  replies: StepReply[];
}

/** The sent frame a received frame answers, as the connection's decoder pairs them, if it does. */
export type RequestOf = (received: Frame) => Frame | undefined;

/**
 * Whether a frame crossed the network: a send that reached the socket open, or a frame the
 * server sent. Not a frame the user dropped before it left, nor one delivered to the page by
 * the user or a rule (the server never said it).
 */
export function crossedTheWire(frame: Frame): boolean {
  if (!frame.payload) return false;
  if (frame.kind === 'sent')
    return frame.origin !== 'dropped' && (frame.readyState === undefined || frame.readyState === 1);
  return frame.kind === 'received' && frame.origin !== 'delivered' && frame.origin !== 'mocked';
}

/**
 * One connection's frames, in log order, as steps: each send with the received frames that
 * answer it. A received frame the decoder pairs with a send goes to that send's step, wherever
 * it came; any other goes to the latest send before it (the count of replies that followed).
 */
export function conversationSteps(
  frames: readonly Frame[],
  requestOf: RequestOf = () => undefined,
): ConversationStep[] {
  const steps: ConversationStep[] = [{ sent: null, replies: [] }];
  const stepOf = new Map<Frame, ConversationStep>();
  for (const frame of frames) {
    if (!crossedTheWire(frame)) continue;
    if (frame.kind === 'sent') {
      const step: ConversationStep = { sent: frame, replies: [] };
      steps.push(step);
      stepOf.set(frame, step);
      continue;
    }
    const request = requestOf(frame);
    const paired = request === undefined ? undefined : stepOf.get(request);
    (paired ?? steps.at(-1)!).replies.push({ frame, paired: paired !== undefined });
  }
  return steps;
}

/** Whether the replies seen so far are all a step waits for: as many paired, as many by position. */
export function answered(expected: readonly StepReply[], seen: readonly StepReply[]): boolean {
  const paired = (replies: readonly StepReply[]) => replies.filter((reply) => reply.paired).length;
  const wantPaired = paired(expected);
  const seenPaired = paired(seen);
  return seenPaired >= wantPaired && seen.length - seenPaired >= expected.length - wantPaired;
}

/** Why a conversation cannot be replayed faithfully, in words for the user; null when it can. */
export function replayProblem(steps: readonly ConversationStep[]): string | null {
  const sent = steps.flatMap((step) => (step.sent ? [step.sent] : []));
  if (sent.length === 0) return 'Nothing was sent on this connection: there is no conversation.';
  const evicted = sent.filter((frame) => frame.payloadEvicted).length;
  if (evicted > 0)
    return `${evicted} sent ${evicted === 1 ? 'frame has' : 'frames have'} lost ${evicted === 1 ? 'its' : 'their'} payload to the panel's memory budget: the conversation cannot be sent again.`;
  const cut = sent.filter(({ payload }) => payload && payload.size < payload.originalSize).length;
  if (cut > 0)
    return `${cut} sent ${cut === 1 ? 'frame was' : 'frames were'} cut at the payload cap: raise it in Settings to replay the conversation as it was.`;
  return null;
}

export type StepStatus = 'same' | 'different' | 'missing' | 'extra' | 'timeout';

/** How a step's wait ended: its replies came, its time ran out, or the connection or the run did. */
export type StepEnding = 'answered' | 'timeout' | 'ended';

/** A recorded reply beside the new one in its place; either may be absent (missing, extra). */
export interface ReplyComparison {
  recorded?: Frame;
  replayed?: Frame;
  /** Both present and alike. */
  equal: boolean;
  /** Both present, of one kind (text, binary) and comparable: where they differ. */
  diff?: DiffResult;
  /** Why they could not be compared in detail. */
  note?: string;
}

export interface StepComparison {
  status: StepStatus;
  replies: ReplyComparison[];
}

/** A step's recorded replies beside the new ones, in order, and what that makes the step. */
export function compareStep(
  recorded: readonly StepReply[],
  replayed: readonly StepReply[],
  ending: StepEnding,
): StepComparison {
  const replies: ReplyComparison[] = [];
  for (let i = 0; i < Math.max(recorded.length, replayed.length); i++) {
    const before = recorded[i]?.frame;
    const after = replayed[i]?.frame;
    replies.push(
      before && after
        ? { recorded: before, replayed: after, ...comparePayloads(before, after) }
        : { recorded: before, replayed: after, equal: false },
    );
  }
  const status: StepStatus =
    replayed.length < recorded.length
      ? ending === 'timeout'
        ? 'timeout'
        : 'missing'
      : replies.some((reply) => reply.recorded && reply.replayed && !reply.equal)
        ? 'different'
        : replayed.length > recorded.length
          ? 'extra'
          : 'same';
  return { status, replies };
}

/** Two payloads compared: text by tokens, binary byte by byte (shown as hex). */
export function comparePayloads(
  recorded: Frame,
  replayed: Frame,
): Pick<ReplyComparison, 'equal' | 'diff' | 'note'> {
  const before = recorded.payload;
  const after = replayed.payload;
  if (!before || !after || recorded.payloadEvicted || replayed.payloadEvicted)
    return {
      equal: false,
      note: "A payload was dropped to stay within the panel's memory budget.",
    };
  if (before.kind !== after.kind)
    return { equal: false, note: `The recording has ${before.kind}, the replay ${after.kind}.` };
  const diff = diffOf(before, after);
  // Kept parts alike, yet one was longer before the payload cap cut it.
  if (diff.kind === 'equal' && before.originalSize !== after.originalSize)
    return { equal: false, note: 'Alike as far as kept, but of other lengths (the payload cap).' };
  return { equal: diff.kind === 'equal', diff };
}

function diffOf(before: FramePayload, after: FramePayload): DiffResult {
  if (before.kind === 'text' && after.kind === 'text') return diffText(before.text, after.text);
  if (before.kind === 'binary' && after.kind === 'binary')
    return diffBytes(before.bytes, after.bytes);
  return { kind: 'too-large' };
}

const STATUS_WORDS: Record<Exclude<StepStatus, 'same'>, [string, string]> = {
  different: ['differs', 'differ'],
  timeout: ['timed out', 'timed out'],
  missing: ['lacks replies', 'lack replies'],
  extra: ['has extra replies', 'have extra replies'],
};

/** "3 of 4 steps match; 1 differs", with the steps not run (a stopped replay) said too. */
export function summaryOf(statuses: readonly StepStatus[], planned: number): string {
  const total = Math.max(planned, statuses.length);
  const count = (status: StepStatus) => statuses.filter((each) => each === status).length;
  const same = count('same');
  const parts = [
    `${same} of ${total} ${total === 1 ? 'step' : 'steps'} ${same === 1 ? 'matches' : 'match'}`,
  ];
  for (const status of ['different', 'timeout', 'missing', 'extra'] as const) {
    const n = count(status);
    if (n > 0) parts.push(`${n} ${STATUS_WORDS[status][n === 1 ? 0 : 1]}`);
  }
  if (statuses.length < total) parts.push(`${total - statuses.length} not run`);
  return parts.join('; ');
}
