import { useState } from 'preact/hooks';
import { type HarSelection, harBlob, harFileName } from '../session/har/har-export';
import { HarImportError, type ImportedSession, parseHar } from '../session/har/har-import';
import { saveFile } from './clipboard';
import type { PanelState } from './panel-state';

type ExportScope = HarSelection['scope'];

let imports = 0;

/** What an import did, including what it had to make of the file (skipped, converted, missing). */
export function importNotice(imported: ImportedSession, fileName: string): string {
  const notes = [
    imported.skippedEntries > 0 ? `${imported.skippedEntries} non-WebSocket entries skipped` : '',
    imported.skippedMessages > 0 ? `${imported.skippedMessages} control frames skipped` : '',
    imported.convertedTimeEntries > 0
      ? `frame times of ${imported.convertedTimeEntries} connections were in milliseconds, as Playwright writes them, and were converted`
      : '',
    imported.untimedMessages > 0
      ? `${imported.untimedMessages} frames had no time and are shown at their connection's start`
      : '',
    imported.detachedEntries > 0
      ? `frames of ${imported.detachedEntries} connections are in separate files the HAR names, not read`
      : '',
  ].filter(Boolean);
  return (
    `Imported ${imported.connections.length} connections and ${imported.frames.length} frames from ${fileName}` +
    (notes.length ? ` (${notes.join('; ')}).` : '.')
  );
}

/** HAR export (session, connection or filtered frames), HAR import, and copy as code. */
export function SessionFiles({ state }: { state: PanelState; revision: number }) {
  const [scope, setScope] = useState<ExportScope>('session');
  const [busy, setBusy] = useState(false);
  const { session } = state;
  const selectedKey = state.filter.value.connectionKey;
  const selected = selectedKey ? session.connections.get(selectedKey) : undefined;
  const notify = (message: string) => {
    state.notice.value = message;
  };

  const exportHar = async () => {
    const selection: HarSelection =
      scope === 'connection'
        ? { scope, connectionKey: selectedKey ?? '' }
        : scope === 'frames'
          ? { scope, frames: state.filtered.matches }
          : { scope };
    if (selection.scope === 'connection' && !selected) {
      notify('Select a connection first to export just that one.');
      return;
    }
    setBusy(true);
    try {
      const blob = await harBlob(
        session,
        selection,
        () => new Promise((resolve) => setTimeout(resolve, 0)),
        (connection) => state.decoding.choiceFor(connection, session.frames).id,
      );
      const page = selected?.pageUrl ?? session.connectionList.at(-1)?.pageUrl;
      const name = harFileName(page);
      saveFile(name, blob, 'application/json');
      notify(`Saved ${name}.`);
    } catch (error) {
      notify(`Could not export: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const importHar = async (file: File) => {
    try {
      const imported = parseHar(await file.text(), `import-${++imports}`, file.name);
      session.addImported(imported);
      state.changed();
      notify(importNotice(imported, file.name));
    } catch (error) {
      const detail =
        error instanceof HarImportError
          ? `${error.problem}, at ${error.where}`
          : (error as Error).message;
      notify(`Could not import ${file.name}: ${detail}. Nothing else was changed.`);
    }
  };

  return (
    <div class="session-files">
      <select
        aria-label="What to export"
        value={scope}
        onChange={(event) => setScope((event.target as HTMLSelectElement).value as ExportScope)}
        data-testid="export-scope"
      >
        <option value="session">Whole session</option>
        <option value="connection">Selected connection</option>
        <option value="frames">Frames shown</option>
      </select>
      <button type="button" onClick={exportHar} disabled={busy} data-testid="export-har">
        {busy ? 'Exporting…' : 'Export HAR'}
      </button>
      <label
        class="button"
        title="Open a .har file from Sockscope, Chrome DevTools or another tool"
      >
        Import HAR…
        <input
          type="file"
          accept=".har,.json,application/json"
          class="visually-hidden"
          data-testid="import-har"
          onChange={(event) => {
            const input = event.target as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            if (file) void importHar(file);
          }}
        />
      </label>
    </div>
  );
}
