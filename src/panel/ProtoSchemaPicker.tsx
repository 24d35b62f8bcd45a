import { decodeAsPattern } from '../session/decode-as';
import { schemaFromFiles } from '../session/proto-schemas';
import type { Connection } from '../session/session-model';
import type { PanelState } from './panel-state';

/**
 * For a connection read as "Protobuf (schema)": load `.proto` files or a descriptor set (kept for
 * every later panel), and choose the message type of its sent and received frames.
 */
export function ProtoSchemaPicker({
  state,
  connection,
}: {
  state: PanelState;
  connection: Connection;
}) {
  const loaded = state.protoSchema.value;
  const mapping = state.protoMappings.value[decodeAsPattern(connection.url)] ?? {};
  const load = async (list: FileList) => {
    const files = await Promise.all(
      [...list].map(async (file) => ({
        name: file.name,
        text: await file.text(),
        bytes: new Uint8Array(await file.arrayBuffer()),
      })),
    );
    const result = schemaFromFiles(files);
    if ('error' in result) {
      state.notice.value = `Could not load the protobuf schema: ${result.error}`;
      return;
    }
    state.setProtoSchema(result);
    state.notice.value = `Loaded ${result.messageTypes.length} message types from ${result.source}.`;
  };
  return (
    <div class="proto-schema" data-testid="proto-schema">
      <label
        class="button"
        title="Several .proto files, or one descriptor set (protoc --descriptor_set_out)"
      >
        {loaded ? 'Replace schema…' : 'Load .proto files or a descriptor set…'}
        <input
          type="file"
          multiple
          accept=".proto,.desc,.pb,.protoset,.bin"
          class="visually-hidden"
          data-testid="proto-files"
          onChange={(event) => {
            const input = event.target as HTMLInputElement;
            if (input.files && input.files.length > 0) void load(input.files);
            input.value = '';
          }}
        />
      </label>
      {loaded && (
        <>
          <span class="hint" data-testid="proto-source">
            {loaded.messageTypes.length} types from {loaded.source}
          </span>
          {(['sent', 'received'] as const).map((direction) => (
            <label key={direction}>
              {direction === 'sent' ? 'Sent as' : 'Received as'}{' '}
              <select
                value={mapping[direction] ?? ''}
                onChange={(event) =>
                  state.setProtoMapping(
                    connection,
                    direction,
                    (event.target as HTMLSelectElement).value,
                  )
                }
                data-testid={`proto-type-${direction}`}
              >
                <option value="">wire format (no type)</option>
                {loaded.messageTypes.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button
            type="button"
            onClick={() => state.setProtoSchema(null)}
            data-testid="proto-forget"
          >
            Forget schema
          </button>
        </>
      )}
    </div>
  );
}
