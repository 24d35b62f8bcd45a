import { useState } from 'preact/hooks';
import type { CommandPayload } from '../protocol/page-commands';
import { bytesToBase64 } from '../session/base64';
import {
  closeInputError,
  commandPayloadOf,
  type PayloadEncoding,
  parsePayloadInput,
} from '../session/command-input';
import type { Connection } from '../session/session-model';
import type { PanelState } from './panel-state';
import { ReplayConversation, ReplayConversationButton } from './ReplayConversation';

interface Props {
  state: PanelState;
  connection: Connection;
  revision: number;
}

/**
 * Acting on the selected connection: compose or deliver a frame, close it, reconnect and replay,
 * replay its conversation (shown below, while it concerns this connection or the one it opened).
 */
export function ConnectionActions({ state, connection }: Props) {
  const draft = state.composer.value;
  const [code, setCode] = useState('1000');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const replay = state.conversationReplay.value;
  const live = connection.state === 'open' && !connection.imported;
  const ended = connection.state === 'closed' || connection.state === 'failed';
  // From the current draft, not this render's: two changes before a render (the encoding, then
  // the text) must not undo each other.
  const setDraft = (change: Partial<typeof draft>) => {
    state.composer.value = { ...state.composer.value, ...change };
  };

  const payload = (): CommandPayload | undefined => {
    const parsed = parsePayloadInput(draft.encoding, draft.text);
    if ('error' in parsed) {
      setError(parsed.error);
      return undefined;
    }
    setError(null);
    return parsed;
  };

  const send = async () => {
    const parsed = payload();
    if (!parsed) return;
    const ok = await state.act(
      connection.documentId,
      { kind: 'send', connectionId: connection.id, payload: parsed, origin: draft.origin },
      `Sent a ${draft.origin} frame on #${connection.id}.`,
    );
    if (ok) setDraft({ origin: 'composed' });
  };

  const deliver = async () => {
    const parsed = payload();
    if (!parsed) return;
    await state.act(
      connection.documentId,
      { kind: 'deliver', connectionId: connection.id, payload: parsed },
      `Delivered a frame to the page on #${connection.id}.`,
    );
  };

  const close = async () => {
    const closeCode = Number(code);
    const problem = closeInputError(closeCode, reason);
    setError(problem);
    if (problem) return;
    await state.act(
      connection.documentId,
      { kind: 'close', connectionId: connection.id, code: closeCode, reason },
      `Closed #${connection.id} with ${closeCode}.`,
    );
  };

  const reconnect = async () => {
    const sent = state.filtered.matches.filter(
      (frame) =>
        frame.connectionKey === connection.key &&
        frame.kind === 'sent' &&
        frame.payload &&
        frame.origin !== 'dropped',
    );
    const payloads = sent.map((frame) => commandPayloadOf(frame.payload!));
    await state.act(
      connection.documentId,
      { kind: 'reconnect', connectionId: connection.id, payloads },
      `Opened a new connection to ${connection.url} and replayed ${payloads.length} frames.`,
    );
  };

  const loadFile = async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    state.composer.value = { text: bytesToBase64(bytes), encoding: 'base64', origin: draft.origin };
  };

  return (
    <section
      class="connection-actions"
      aria-label="Act on the connection"
      data-testid="connection-actions"
    >
      <div class="composer">
        <textarea
          aria-label="Frame to send or deliver"
          placeholder={
            draft.encoding === 'text'
              ? 'Text frame'
              : draft.encoding === 'hex'
                ? 'Bytes as hex: 01 02 ff'
                : 'Bytes as base64'
          }
          value={draft.text}
          rows={4}
          onInput={(event) => setDraft({ text: (event.target as HTMLTextAreaElement).value })}
          data-testid="composer-text"
        />
        <div class="composer-controls">
          <select
            aria-label="Payload encoding"
            value={draft.encoding}
            onChange={(event) =>
              setDraft({ encoding: (event.target as HTMLSelectElement).value as PayloadEncoding })
            }
            data-testid="composer-encoding"
          >
            <option value="text">Text</option>
            <option value="hex">Binary (hex)</option>
            <option value="base64">Binary (base64)</option>
          </select>
          <label class="button">
            From file…
            <input
              type="file"
              class="visually-hidden"
              onChange={(event) => {
                const file = (event.target as HTMLInputElement).files?.[0];
                if (file) void loadFile(file);
              }}
              data-testid="composer-file"
            />
          </label>
          <button
            type="button"
            disabled={!live}
            title={
              live ? 'Send to the server on this socket' : `The connection is ${connection.state}`
            }
            onClick={send}
            data-testid="send-to-server"
          >
            {draft.origin === 'edited' ? 'Send edited' : 'Send to server'}
          </button>
          <button
            type="button"
            disabled={!live}
            title="Make the page receive it as if the server had sent it"
            onClick={deliver}
            data-testid="deliver-to-page"
          >
            Deliver to page
          </button>
          {!live && (
            <span class="hint">
              {ended
                ? 'The connection has ended: replay and compose are off.'
                : connection.handshakeOnly || connection.worker !== undefined
                  ? 'The page hook does not see this socket: it cannot be acted on.'
                  : connection.imported
                    ? 'Imported: not a live connection.'
                    : `The connection is ${connection.state}.`}
            </span>
          )}
        </div>
      </div>
      <div class="close-controls">
        <label>
          Code{' '}
          <input
            type="number"
            value={code}
            onInput={(event) => setCode((event.target as HTMLInputElement).value)}
            aria-label="Close code"
            data-testid="close-code"
          />
        </label>
        <label>
          Reason{' '}
          <input
            value={reason}
            onInput={(event) => setReason((event.target as HTMLInputElement).value)}
            aria-label="Close reason"
            data-testid="close-reason"
          />
        </label>
        <button type="button" disabled={!live} onClick={close} data-testid="close-connection">
          Close connection
        </button>
        {ended && !connection.imported && (
          <button
            type="button"
            onClick={reconnect}
            title="Open a new socket to the same URL and protocols and send the sent frames shown, in order"
            data-testid="reconnect-replay"
          >
            Reconnect and replay
          </button>
        )}
        {/* Only a socket the page hook saw can be opened again in the page. */}
        {!connection.imported && !connection.handshakeOnly && connection.worker === undefined && (
          <ReplayConversationButton state={state} connection={connection} onError={setError} />
        )}
      </div>
      {error && (
        <p class="filter-error" role="alert" data-testid="action-error">
          {error}
        </p>
      )}
      {replay && (replay.sourceKey === connection.key || replay.newKey === connection.key) && (
        <ReplayConversation state={state} replay={replay} />
      )}
    </section>
  );
}
