import { commandPayloadOf } from '../session/command-input';
import { labelOf } from '../session/connection-labels';
import { frameMatchesFilter } from '../session/filter-membership';
import { base64Of } from '../session/frame-payload';
import type { Highlighter } from '../session/match-ranges';
import type { Frame } from '../session/session-model';
import { ConnectionPane } from './ConnectionPane';
import type { DecodedFrame } from './DecodedView';
import { FrameDetails } from './FrameDetails';
import { HeldFrameActions } from './HeldFrameActions';
import type { PanelState } from './panel-state';

interface Props {
  state: PanelState;
  /** Marks the filter's matches in the frame's text and JSON. */
  highlight: Highlighter | null;
  revision: number;
  now: number;
  onClose(): void;
}

/**
 * The details pane's content: the selected connection with its actions, a held frame with
 * forward, edit and drop, or the selected frame.
 */
export function DetailsRegion({ state, highlight, revision, now, onClose }: Props) {
  const { session, filtered } = state;
  if (state.detailsView.value === 'connection') {
    const key = state.filter.value.connectionKey;
    const connection = key === null ? undefined : session.connections.get(key);
    if (!connection) return null;
    return (
      <ConnectionPane
        state={state}
        connection={connection}
        revision={revision}
        now={now}
        onClose={onClose}
      />
    );
  }
  const heldKey = state.selectedHeld.value;
  if (heldKey !== null) {
    const held = session.held.get(heldKey);
    return held ? (
      <HeldFrameActions key={held.key} state={state} frame={held} onClose={onClose} />
    ) : null;
  }
  const frame = state.selectedFrame.value;
  if (!frame) return null;
  return (
    <FrameDetails
      key={frameIdentity(frame)}
      frame={frame}
      matchesFilter={frameMatchesFilter(filtered, frame)}
      highlight={highlight}
      decodedFrame={decodedFrameOf(state, frame)}
      onSelectFrame={(target) => state.selectFrame(target)}
      openSource={state.openSource}
      connection={session.connections.get(frame.connectionKey)}
      onClose={onClose}
      onNotice={(message) => {
        state.notice.value = message;
      }}
      onReplay={(replayed, edit) => {
        const connection = session.connections.get(replayed.connectionKey);
        const payload = replayed.payload;
        if (!connection || !payload) return;
        if (edit) {
          state.composer.value = {
            text: payload.kind === 'text' ? payload.text : base64Of(payload),
            encoding: payload.kind === 'text' ? 'text' : 'base64',
            origin: 'edited',
          };
          state.showConnection(connection.key);
          return;
        }
        void state.act(
          connection.documentId,
          {
            kind: 'send',
            connectionId: connection.id,
            payload: commandPayloadOf(payload),
            origin: 'replayed',
          },
          `Replayed the frame on ${labelOf(connection).text}.`,
        );
      }}
    />
  );
}

/** The selected frame as its protocol reads it, with every answer to it decoded. */
function decodedFrameOf(state: PanelState, frame: Frame): DecodedFrame | undefined {
  const { session, decoding } = state;
  const connection = session.connections.get(frame.connectionKey);
  if (!connection) return undefined;
  const outcome = decoding.outcomeOf(frame, connection, session.frames);
  if (!outcome) return undefined;
  decoding.decodeAll(connection, session.frames);
  return {
    decoderLabel: decoding.labelOf(decoding.choiceFor(connection, session.frames).id),
    outcome,
    exchangeOf: (message) => decoding.exchangeFor(message),
  };
}

/**
 * A frame's identity for the details pane's key: its position changes when an earlier frame is
 * placed before it (time order), and the pane must keep its state (open JSON nodes, hex selection).
 */
const frameIds = new WeakMap<Frame, number>();
let nextFrameId = 1;
function frameIdentity(frame: Frame): number {
  let id = frameIds.get(frame);
  if (id === undefined) {
    id = nextFrameId++;
    frameIds.set(frame, id);
  }
  return id;
}
