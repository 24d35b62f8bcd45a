import { useMemo } from 'preact/hooks';
import type { DecodedMessage, DecodeOutcome } from '../decoders/decoder';
import type { Highlighter } from '../session/match-ranges';
import type { Exchange } from '../session/protocol-decoding';
import type { Frame } from '../session/session-model';
import { displayValue } from './decoded-display';
import { formatDuration } from './format';
import { JsonTree } from './JsonTree';

/** A frame as its protocol reads it, with where it came from: for the details pane. */
export interface DecodedFrame {
  decoderLabel: string;
  outcome: DecodeOutcome;
  exchangeOf(message: DecodedMessage): Exchange | undefined;
}

interface Props {
  frame: Frame;
  decoded: DecodedFrame;
  highlight?: Highlighter | null;
  onCopy(text: string, what: string): void;
  /** Selects another frame (a request's reply, a reply's request). */
  onSelectFrame(frame: Frame): void;
}

/**
 * The Decoded view: each protocol message of the frame with its type and fields, and for
 * requests and replies the frames they pair with and the time between them.
 */
export function DecodedView({ frame, decoded, highlight, onCopy, onSelectFrame }: Props) {
  const { outcome } = decoded;
  if (outcome.kind === 'error') {
    return (
      <p class="warning" data-testid="decode-error">
        {decoded.decoderLabel} could not read this frame: {outcome.error}. The other views show it
        raw.
      </p>
    );
  }
  if (outcome.kind === 'partial') {
    return (
      <p class="hint decoded-partial" data-testid="decode-partial">
        {decoded.decoderLabel}: {outcome.note}. The message is decoded with the frame that completes
        it.
      </p>
    );
  }
  return (
    <div class="decoded" data-testid="decoded">
      {outcome.messages.map((message, i) => (
        <section key={i} class="decoded-message" data-testid="decoded-message">
          <header class="decoded-header">
            <strong data-testid="decoded-type">{message.type}</strong>
            {message.heartbeat && <span class="badge">heartbeat</span>}
            <span class="hint">{decoded.decoderLabel}</span>
            <Pairing
              frame={frame}
              message={message}
              exchange={decoded.exchangeOf(message)}
              onSelectFrame={onSelectFrame}
            />
          </header>
          <MessageTree message={message} onCopy={onCopy} highlight={highlight} />
        </section>
      ))}
    </div>
  );
}

/** A message's value as a tree, converted once per message (not per render). */
function MessageTree({
  message,
  onCopy,
  highlight,
}: {
  message: DecodedMessage;
  onCopy(text: string, what: string): void;
  highlight?: Highlighter | null;
}) {
  const value = useMemo(() => displayValue(message.value), [message]);
  return <JsonTree value={value} onCopy={onCopy} highlight={highlight} />;
}

function Pairing({
  frame,
  message,
  exchange,
  onSelectFrame,
}: {
  frame: Frame;
  message: DecodedMessage;
  exchange: Exchange | undefined;
  onSelectFrame(frame: Frame): void;
}) {
  if (!message.correlation || !exchange) return null;
  const link = (target: Frame, label: string) => (
    <button
      type="button"
      class="link"
      onClick={() => onSelectFrame(target)}
      data-testid="pair-link"
      title="Show that frame"
    >
      {label}
    </button>
  );
  if (message.correlation.role === 'request') {
    if (exchange.answers.length === 0) {
      return (
        <span class="pairing" data-testid="pairing">
          no reply yet
        </span>
      );
    }
    const first = exchange.answers[0]!;
    return (
      <span class="pairing" data-testid="pairing">
        {link(first, `reply after ${formatDuration(first.time - frame.time)}`)}
        {exchange.answers.length > 1 ? ` (+${exchange.answers.length - 1} more)` : ''}
      </span>
    );
  }
  if (!exchange.request) return null;
  return (
    <span class="pairing" data-testid="pairing">
      {link(
        exchange.request,
        `answers a request sent ${formatDuration(frame.time - exchange.request.time)} before`,
      )}
    </span>
  );
}
