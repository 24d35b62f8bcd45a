import { useEffect, useRef, useState } from 'preact/hooks';
import { type ReplyComparison, type StepStatus, summaryOf } from '../session/conversation-plan';
import type { Connection, Frame } from '../session/session-model';
import type { DiffPart } from '../session/text-diff';
import {
  type ConversationReplay,
  DEFAULT_STEP_TIMEOUT_MS,
  type ReplayedStep,
  replayConversation,
} from './conversation-replayer';
import { formatDuration, hexBytes, previewPayload } from './format';
import type { PanelState } from './panel-state';
import './replay-conversation.css';

/** Characters of a reply shown: a 1 MiB reply is compared, not laid out whole. */
const SHOWN_CHARS = 2000;

const STATUS_TEXT: Record<StepStatus, string> = {
  same: 'Same',
  different: 'Differs',
  missing: 'Missing replies',
  extra: 'Extra replies',
  timeout: 'Timed out',
};

/** "Replay conversation", with the timeout per step it will use (beside the other actions). */
export function ReplayConversationButton(props: {
  state: PanelState;
  connection: Connection;
  onError(error: string | null): void;
}) {
  const { state, connection, onError } = props;
  const [seconds, setSeconds] = useState(String(DEFAULT_STEP_TIMEOUT_MS / 1000));
  const running = state.conversationReplay.value?.state === 'running';
  const start = () => {
    const value = Number(seconds);
    const valid = value > 0 && value <= 600;
    onError(valid ? null : 'The timeout per step is a number of seconds, above 0, at most 600.');
    if (valid) void replayConversation(state, connection, value * 1000);
  };
  return (
    <>
      <button
        type="button"
        disabled={running || connection.sent.count === 0}
        onClick={start}
        title={
          running
            ? 'A conversation replay is running'
            : 'Open a new socket to the same URL and protocols, send the sent frames one at a time, each after the replies to the one before, and compare the replies with the recorded ones'
        }
        data-testid="replay-conversation"
      >
        Replay conversation
      </button>
      <label>
        Timeout per step{' '}
        <input
          type="number"
          min="0.1"
          step="0.5"
          value={seconds}
          onInput={(event) => setSeconds((event.target as HTMLInputElement).value)}
          aria-label="Timeout per step, in seconds"
          data-testid="replay-timeout"
        />{' '}
        s
      </label>
    </>
  );
}

/**
 * A conversation replay beside its recording, step by step: the frame sent, the recorded replies
 * and the new ones, with what differs highlighted.
 */
export function ReplayConversation(props: { state: PanelState; replay: ConversationReplay }) {
  const { state, replay } = props;
  const view = useRef<HTMLElement>(null);
  // Started from the actions above it: brought into sight, as a dialog would be.
  useEffect(() => view.current?.scrollIntoView?.({ block: 'nearest' }), []);
  const running = replay.state === 'running';
  const close = () => {
    replay.stop();
    state.conversationReplay.value = null;
  };
  const summary = running
    ? `Replaying${replay.running ? ` ${stepName(replay.running.index)}` : ''}: ${replay.done.length} of ${replay.planned} steps done…`
    : replay.state === 'failed'
      ? 'The replay could not run.'
      : summaryOf(
          replay.done.map((step) => step.comparison.status),
          replay.planned,
        );
  return (
    <section
      ref={view}
      class="pane-section replay-view"
      aria-label="Conversation replay"
      data-testid="replay-view"
      data-state={replay.state}
    >
      <div class="replay-head">
        <h3>Replay conversation</h3>
        <span class="hint">
          {replay.newLabel ? `on the new connection ${replay.newLabel}; ` : ''}
          timeout per step {formatDuration(replay.timeoutMs)}
        </span>
        {running && (
          <button type="button" onClick={replay.stop} data-testid="replay-stop">
            Stop
          </button>
        )}
        <button type="button" onClick={close} data-testid="replay-close">
          Close
        </button>
      </div>
      <p role="status" class="replay-summary" data-testid="replay-summary">
        {summary}
      </p>
      {replay.error && (
        <p class="filter-error" role="alert" data-testid="replay-error">
          {replay.error}
        </p>
      )}
      <ol class="replay-steps">
        {replay.done.map((step) => (
          <Step key={step.index} step={step} />
        ))}
        {replay.running && (
          <li class="replay-step running" data-testid="replay-step-running">
            <StepHead index={replay.running.index} sent={replay.running.sent} />
            <span class="hint">
              {replay.running.seen} of {replay.running.expected} recorded{' '}
              {replay.running.expected === 1 ? 'reply' : 'replies'} so far…
            </span>
          </li>
        )}
      </ol>
    </section>
  );
}

function stepName(index: number): string {
  return index === 0 ? 'the opening' : `step ${index}`;
}

function StepHead(props: { index: number; sent: Frame | null; status?: StepStatus }) {
  const { index, sent, status } = props;
  return (
    <div class="replay-step-head">
      <strong>{index === 0 ? 'Opening' : `Step ${index}`}</strong>
      {status && <span class={`replay-status ${status}`}>{STATUS_TEXT[status]}</span>}
      {sent?.payload ? (
        <code class="replay-sent" title="Sent again, as recorded">
          ↑ {previewPayload(sent.payload)}
        </code>
      ) : (
        <span class="hint">what the server said before anything was sent</span>
      )}
    </div>
  );
}

function Step({ step }: { step: ReplayedStep }) {
  const { status, replies } = step.comparison;
  return (
    <li class="replay-step" data-testid="replay-step" data-status={status}>
      <StepHead index={step.index} sent={step.sent} status={status} />
      <div class="replay-replies" role="table" aria-label={`Replies of ${stepName(step.index)}`}>
        <div role="row" class="replay-reply header">
          <span role="columnheader">Recorded</span>
          <span role="columnheader">New</span>
        </div>
        {replies.length === 0 && <span class="hint replay-note">No reply, then or now.</span>}
        {replies.map((reply, i) => (
          <Reply key={i} reply={reply} />
        ))}
      </div>
    </li>
  );
}

function Reply({ reply }: { reply: ReplyComparison }) {
  const { recorded, replayed, diff } = reply;
  const mark = !replayed ? 'missing' : !recorded ? 'extra' : reply.equal ? 'same' : 'different';
  const note = reply.note ?? (diff?.kind === 'too-large' ? 'Too large to compare in detail.' : '');
  const cell = (frame: Frame | undefined, parts: DiffPart[] | undefined, absent: string) => (
    <span role="cell">
      {frame ? (
        <Parts parts={parts ?? plain(frame)} />
      ) : (
        <span class="replay-absent">{absent}</span>
      )}
    </span>
  );
  return (
    <div role="row" class={`replay-reply ${mark}`} data-reply={mark} title={note || undefined}>
      {cell(recorded, diff?.kind === 'diff' ? diff.before : undefined, 'none recorded (extra)')}
      {cell(replayed, diff?.kind === 'diff' ? diff.after : undefined, 'none came (missing)')}
      {note && <span class="hint replay-note">{note}</span>}
    </div>
  );
}

/** A payload as compared, with nothing marked: text as it is, binary as hex. */
function plain({ payload }: Frame): DiffPart[] {
  if (!payload) return [];
  // One character more than is shown, so that the view knows to say it is cut.
  const text =
    payload.kind === 'text'
      ? payload.text.slice(0, SHOWN_CHARS + 1)
      : hexBytes(payload.bytes.subarray(0, SHOWN_CHARS / 3 + 1));
  return [{ kind: 'same', text }];
}

/** One side of a diff, its removed or added runs marked, cut after {@link SHOWN_CHARS}. */
function Parts({ parts }: { parts: DiffPart[] }) {
  let left = SHOWN_CHARS;
  let cut = false;
  const shown: DiffPart[] = [];
  for (const part of parts) {
    cut = left <= 0 || part.text.length > left;
    if (left <= 0) break;
    shown.push(cut ? { ...part, text: part.text.slice(0, left) } : part);
    left -= part.text.length;
  }
  return (
    <code class="replay-payload">
      {shown.map((part, i) =>
        part.kind === 'same' ? (
          part.text
        ) : part.kind === 'elided' ? (
          <span key={i} class="replay-elided">{` …${part.text}… `}</span>
        ) : (
          <mark
            key={i}
            class={`replay-diff ${part.kind}`}
            data-testid={part.kind === 'removed' ? 'replay-diff-removed' : 'replay-diff-added'}
          >
            {part.text}
          </mark>
        ),
      )}
      {cut && <span class="hint"> …</span>}
    </code>
  );
}
