import { decodeAsPattern } from '../session/decode-as';
import type { Connection } from '../session/session-model';
import type { PanelState } from './panel-state';

/**
 * "Decode as": the protocol the connection's frames are read with. Automatic detection unless the
 * user chose, and a choice holds for every connection to the same URL (without its query).
 */
export function DecodeAs({ state, connection }: { state: PanelState; connection: Connection }) {
  const choice = state.decoding.choiceFor(connection, state.session.frames);
  const stored = state.decodeAs.value[decodeAsPattern(connection.url)];
  const detected = choice.source === 'detected' ? state.decoding.labelOf(choice.id) : 'none found';
  return (
    <label class="decode-as">
      Decode as{' '}
      <select
        value={stored ?? 'auto'}
        onChange={(event) =>
          state.setDecodeAs(connection, (event.target as HTMLSelectElement).value)
        }
        title={`Remembered for ${decodeAsPattern(connection.url)}`}
        data-testid="decode-as"
      >
        <option value="auto">Automatic ({stored === undefined ? detected : 'detect'})</option>
        <option value="none">None (raw frames)</option>
        {state.decoding.definitions.map((definition) => (
          <option key={definition.id} value={definition.id}>
            {definition.label}
          </option>
        ))}
        <option value="protobuf-schema">Protobuf (with a schema)…</option>
      </select>
    </label>
  );
}
