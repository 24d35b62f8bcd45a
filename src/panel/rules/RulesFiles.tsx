import type { SocketRule } from '../../protocol/socket-rules';
import { parseRulesFile, rulesFileText } from '../../rules/rules-file';
import { saveFile } from '../clipboard';

export const RULES_FILE_NAME = 'sockscope-rules.json';

interface Props {
  rules: readonly SocketRule[];
  /** A file's rules, read and checked, to add to the list. */
  onImport(imported: SocketRule[], fileName: string): void;
  /** Why a file could not be read; the list is unchanged. */
  onError(message: string): void;
}

/** Export the rules to a file, and import a file's rules (added after the list's). */
export function RulesFiles({ rules, onImport, onError }: Props) {
  const importFile = async (file: File) => {
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      onError(`Could not read ${file.name}: ${(error as Error).message}`);
      return;
    }
    const parsed = parseRulesFile(text);
    if ('error' in parsed) onError(`Could not import ${file.name}: ${parsed.error}`);
    else onImport(parsed.rules, file.name);
  };
  return (
    <>
      <button
        type="button"
        disabled={rules.length === 0}
        title={`Save the rules as ${RULES_FILE_NAME}`}
        onClick={() => saveFile(RULES_FILE_NAME, rulesFileText(rules), 'application/json')}
        data-testid="rules-export"
      >
        Export
      </button>
      <label class="button" title="Add the rules of a file exported from Sockscope">
        Import…
        <input
          type="file"
          accept=".json,application/json"
          class="visually-hidden"
          onChange={(event) => {
            const input = event.target as HTMLInputElement;
            const file = input.files?.[0];
            input.value = '';
            if (file) void importFile(file);
          }}
          data-testid="rules-import"
        />
      </label>
    </>
  );
}
