import { commandPayloadOf } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import {
  answered,
  type ConversationStep,
  compareStep,
  conversationSteps,
  type RequestOf,
  replayProblem,
  type StepComparison,
  type StepEnding,
  type StepReply,
  summaryOf,
} from '../session/conversation-plan';
import type { Connection, Frame } from '../session/session-model';
import type { PanelState } from './panel-state';

/** A step that has run: the recorded frame sent again, and its replies then and now. */
export interface ReplayedStep {
  /** Its place in the conversation: 0 is the opening (what the server said before any send). */
  index: number;
  sent: Frame | null;
  comparison: StepComparison;
}

/** A conversation replay, running or run: what the view shows (ReplayConversation.tsx). */
export interface ConversationReplay {
  run: number;
  /** The recorded connection, and the one the replay opened (once known). */
  sourceKey: string;
  newKey?: string;
  newLabel?: string;
  timeoutMs: number;
  /** Steps to run: every send, and the opening when the server said something there. */
  planned: number;
  done: ReplayedStep[];
  /** The step waiting for its replies. */
  running?: { index: number; sent: Frame | null; expected: number; seen: number };
  state: 'running' | 'finished' | 'stopped' | 'failed';
  /** Why it failed or ended early, for the user. */
  error?: string;
  stop(): void;
}

export const DEFAULT_STEP_TIMEOUT_MS = 3000;
/** The new socket may take longer to open than a reply to come (a slow handshake). */
const OPEN_TIMEOUT_MS = 10_000;
/** How often the session is looked at for the new connection's frames. */
const POLL_MS = 50;
/**
 * Once a step's replies came, how long more is waited before the next send: a reply more than
 * the recording had comes within it, and is told apart from the next step's.
 */
const SETTLE_MS = 150;

let runs = 0;

/**
 * Replays a recorded connection's conversation on a new socket in the page: opens it (the
 * `reconnect` command, with nothing to send), sends each recorded sent frame as `replayed`, and
 * waits for the new connection's replies (in the panel's session) before the next, comparing
 * them with the recorded ones. Its progress is `state.conversationReplay`.
 */
export async function replayConversation(
  state: PanelState,
  source: Connection,
  timeoutMs = DEFAULT_STEP_TIMEOUT_MS,
): Promise<void> {
  const { session } = state;
  const run = ++runs;
  let stopped = false;
  const current = () => state.conversationReplay.value;
  const update = (change: Partial<ConversationReplay>) => {
    // A closed view, or a newer replay, is left alone.
    if (current()?.run === run) state.conversationReplay.value = { ...current()!, ...change };
  };
  const recorded = plan(state, source);
  state.conversationReplay.value = {
    run,
    sourceKey: source.key,
    timeoutMs,
    planned: recorded.length - (recorded[0]!.replies.length > 0 ? 0 : 1),
    done: [],
    state: 'running',
    stop: () => {
      stopped = true;
    },
  };
  const fail = (error: string) => {
    update({ state: 'failed', error, running: undefined });
    state.notice.value = `Could not replay the conversation: ${error}`;
  };
  const problem = session.paused
    ? 'Recording is paused: the new replies would not be seen.'
    : replayProblem(recorded);
  if (problem) return fail(problem);

  const before = new Set(session.connections.keys());
  const opened = await state.runCommand(source.documentId, {
    kind: 'reconnect',
    connectionId: source.id,
    payloads: [],
  });
  if (!opened.ok) return fail(opened.error ?? 'the page did not open a socket');
  // The hook posts the events a command caused before its answer: the new socket is known now.
  const fresh = [...session.connections.values()].filter(
    (each) => each.documentId === source.documentId && !before.has(each.key),
  );
  const target = fresh.sort((a, b) => b.id - a.id)[0];
  if (!target) return fail('the new connection did not show in the log.');
  const key = target.key;
  update({ newKey: key, newLabel: labelOf(target, session.currentPageStartedAt).text });

  const connection = () => session.connections.get(key);
  const ended = () => {
    const now = connection();
    return !now || now.state === 'closed' || now.state === 'failed';
  };
  const observed = (): ConversationStep[] => {
    const now = connection();
    return now ? conversationSteps(framesOf(state, now), requestOfIn(state, now)) : [];
  };
  const repliesOf = (index: number) => observed()[index]?.replies ?? [];
  /** Waits until `done`, the time runs out, the connection ends or the user stops. */
  const wait = async (done: () => boolean, ms: number): Promise<StepEnding> => {
    const deadline = performance.now() + ms;
    for (;;) {
      if (done()) return 'answered';
      if (stopped || ended()) return 'ended';
      if (performance.now() >= deadline) return 'timeout';
      await sleep(POLL_MS);
    }
  };

  const opening = await wait(() => connection()?.state === 'open', OPEN_TIMEOUT_MS);
  if (stopped) return update({ state: 'stopped', running: undefined });
  if (opening === 'timeout')
    return fail(`the new connection did not open within ${OPEN_TIMEOUT_MS / 1000} s.`);
  if (opening === 'ended')
    return fail(`the new connection ${connection()?.state ?? 'left the log'} before it opened.`);
  const done: ReplayedStep[] = [];
  let early: string | undefined;
  for (let index = 0; index < recorded.length; index++) {
    const step = recorded[index]!;
    if (stopped) break;
    if (step.sent) {
      const sent = await state.runCommand(source.documentId, {
        kind: 'send',
        connectionId: target.id,
        payload: commandPayloadOf(step.sent.payload!),
        origin: 'replayed',
      });
      if (!sent.ok) {
        early = `Step ${index} could not be sent: ${sent.error ?? 'unknown error'}`;
        break;
      }
    }
    const expected = step.replies;
    const isAnswered = () => {
      const seen = repliesOf(index);
      if (current()?.running?.seen !== seen.length || current()?.running?.index !== index) {
        const running = { index, sent: step.sent, expected: expected.length, seen: seen.length };
        update({ running });
      }
      return answered(expected, seen);
    };
    let ending = await wait(isAnswered, timeoutMs);
    if (ending === 'answered') await wait(() => false, SETTLE_MS);
    else if (ending === 'ended' && !stopped) early = endedWhy(connection(), index);
    if (ending === 'ended' && answered(expected, repliesOf(index))) ending = 'answered';
    const replies: StepReply[] = repliesOf(index);
    // An opening the recording did not have, with nothing new either, is no step.
    if (index > 0 || expected.length > 0 || replies.length > 0) {
      done.push({ index, sent: step.sent, comparison: compareStep(expected, replies, ending) });
      // An opening that was not planned (nothing said there in the recording) is one step more.
      const unplanned = index === 0 && expected.length === 0 ? 1 : 0;
      update({ done: [...done], planned: (current()?.planned ?? 0) + unplanned });
    }
    if (early) break;
  }
  const statuses = done.map((step) => step.comparison.status);
  const summary = summaryOf(statuses, current()?.planned ?? done.length);
  update({ state: stopped ? 'stopped' : 'finished', running: undefined, error: early });
  const on = current()?.newLabel ?? 'a new connection';
  state.notice.value = `${stopped ? 'Stopped the conversation replay' : 'Replayed the conversation'} on ${on}: ${summary}.`;
}

/** The recorded conversation, paired as the connection's decoder pairs it. */
function plan(state: PanelState, connection: Connection): ConversationStep[] {
  return conversationSteps(framesOf(state, connection), requestOfIn(state, connection));
}

/** A connection's frames, in log order; the log is in time order, none is before its start. */
function framesOf(state: PanelState, connection: Connection): Frame[] {
  const { frames } = state.session;
  const mine: Frame[] = [];
  for (let i = frames.length - 1; i >= 0 && frames[i]!.time >= connection.createdAt; i--) {
    if (frames[i]!.connectionKey === connection.key) mine.push(frames[i]!);
  }
  return mine.reverse();
}

/** Which request a reply answers, where the connection's decoder pairs them (the latency column's). */
function requestOfIn(state: PanelState, connection: Connection): RequestOf {
  state.decoding.decodeAll(connection, state.session.frames);
  return (frame) => {
    const pairing = state.decoding.pairingOf(frame, connection);
    return pairing?.role === 'reply' ? pairing.request : undefined;
  };
}

function endedWhy(connection: Connection | undefined, index: number): string {
  if (!connection) return 'The new connection left the log (cleared).';
  const code = connection.close ? ` with ${connection.close.code}` : '';
  return `The new connection ${connection.state === 'failed' ? 'failed' : `closed${code}`} during step ${index}.`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
