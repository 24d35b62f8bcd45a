import { useEffect, useRef } from 'preact/hooks';
import { type ReplyComparison, type StepStatus, summaryOf } from '../session/conversation-plan';
import type { FramePayload } from '../session/session-model';
import type { DiffPart } from '../session/text-diff';
import type { ConversationReplay, ReplayedStep } from './conversation-replayer';
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

/**
 * A conversation replay beside its recording, step by step: the frame sent, the recorded replies
 * and the new ones, with what differs highlighted.
 */
export function ReplayConversation({
  state,
  replay,
}: {
  state: PanelState;
  replay: ConversationReplay;
}) {
  const view = useRef<HTMLElement>(null);
  // Started from the actions above it: brought into sight, as a dialog would be.
  useEffect(() => view.current?.scrollIntoView?.({ block: 'nearest' }), []);
  const running = replay.state === 'running';
  const close = () => {
    replay.stop();
    state.conversationReplay.value = null;
  };
  const summary = running
    ? `Replaying${replay.running ? ` ${stepName(replay.running.index)}` : ''}, ${replay.done.length} of ${replay.planned} steps done…`
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
            <StepHead index={replay.running.index} payload={replay.running.sent?.payload} />
            <span class="hint">
              {replay.running.seen} of {replay.running.expected}{' '}
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

function StepHead({ index, payload }: { index: number; payload?: FramePayload }) {
  return (
    <div class="replay-step-head">
      <strong>{index === 0 ? 'Opening' : `Step ${index}`}</strong>
      {payload ? (
        <code class="replay-sent" title="Sent again">
          ↑ {previewPayload(payload)}
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
      <StepHead index={step.index} payload={step.sent?.payload} />
      <span class={`replay-status ${status}`}>{STATUS_TEXT[status]}</span>
      <div class="replay-replies" role="table" aria-label={`Replies of ${stepName(step.index)}`}>
        <div role="row" class="replay-reply header">
          <span role="columnheader">Recorded</span>
          <span role="columnheader">New</span>
        </div>
        {replies.length === 0 && (
          <div role="row" class="replay-reply">
            <span role="cell" class="hint">
              no reply
            </span>
            <span role="cell" class="hint">
              no reply
            </span>
          </div>
        )}
        {replies.map((reply, i) => (
          <Reply key={i} reply={reply} />
        ))}
      </div>
    </li>
  );
}

function Reply({ reply }: { reply: ReplyComparison }) {
  const mark = !reply.replayed
    ? 'missing'
    : !reply.recorded
      ? 'extra'
      : reply.equal
        ? 'same'
        : 'different';
  const diff = reply.diff?.kind === 'diff' ? reply.diff : undefined;
  return (
    <div role="row" class={`replay-reply ${mark}`} data-reply={mark}>
      <span role="cell">
        {diff ? (
          <Parts parts={diff.before} />
        ) : reply.recorded?.payload ? (
          <Plain payload={reply.recorded.payload} />
        ) : (
          <span class="replay-absent">none recorded (extra)</span>
        )}
      </span>
      <span role="cell">
        {diff ? (
          <Parts parts={diff.after} />
        ) : reply.replayed?.payload ? (
          <Plain payload={reply.replayed.payload} />
        ) : (
          <span class="replay-absent">none came (missing)</span>
        )}
        {(reply.note || reply.diff?.kind === 'too-large') && (
          <span class="hint replay-note">
            {reply.note ?? 'Too large to compare in detail: they differ.'}
          </span>
        )}
      </span>
    </div>
  );
}

/** A payload as compared: text as it is, binary as hex. */
function Plain({ payload }: { payload: FramePayload }) {
  const text =
    payload.kind === 'text'
      ? payload.text.slice(0, SHOWN_CHARS)
      : hexBytes(payload.bytes.subarray(0, SHOWN_CHARS / 3));
  const more = payload.kind === 'text' ? payload.text.length : payload.bytes.length * 3;
  return (
    <code class="replay-payload">
      {text}
      {more > SHOWN_CHARS && <span class="hint"> …</span>}
    </code>
  );
}

/** One side of a diff, its removed or added runs highlighted, cut after {@link SHOWN_CHARS}. */
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
