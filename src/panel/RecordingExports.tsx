import { useContext } from 'preact/hooks';
import { MAX_RULES } from '../protocol/socket-rules';
import { type RecordedMessage, recordingToPlaywright } from '../rules/recording-to-playwright';
import { rulesFileText } from '../rules/rules-file';
import { type MockFromRecording, mockFromRecording } from '../rules/rules-from-recording';
import type { Connection } from '../session/session-model';
import { saveFile } from './clipboard';
import {
  recordedFrames,
  recordedMessages,
  recordingFileName,
  recordingName,
} from './connection-recording';
import type { PanelState } from './panel-state';
import { RulesContext } from './rules-context';

interface Props {
  state: PanelState;
  connection: Connection;
}

/**
 * What a recorded connection (live or imported) can become: a mock of its server among the
 * user's rules ("Mock from recording", shown where the panel keeps rules), or a Playwright test
 * with the same mock as a rules file ("Export as test").
 */
export function RecordingExports({ state, connection }: Props) {
  const store = useContext(RulesContext);
  const say = (message: string) => {
    state.notice.value = message;
  };
  const recording = () => recordedMessages(connection, state.session.frames);
  const mockOf = (messages: RecordedMessage[], room: number) =>
    mockFromRecording(
      connection.url,
      connection.protocol,
      recordedFrames(messages),
      recordingName(connection.url),
      room,
    );

  const addMock = async () => {
    if (!store) return;
    const current = store.rules.value;
    const made = mockOf(recording(), MAX_RULES - current.length);
    if (made.rules.length === 0) {
      say(`The rules list is full (${MAX_RULES} rules): no mock was added.`);
      return;
    }
    try {
      await store.save([...current, ...made.rules]);
    } catch (error) {
      say(`Could not add the mock: ${(error as Error).message}`);
      return;
    }
    say(addedNotice(made));
    state.rulesOpen.value = true;
  };

  const exportTest = () => {
    const messages = recording();
    const test = recordingToPlaywright({
      socketUrl: connection.url,
      pageUrl: connection.pageUrl,
      messages,
    });
    // The file's type is no text type a browser could rename the file for (.ts is also video).
    saveFile(recordingFileName(connection.url, '.spec.ts'), test, 'application/octet-stream');
    const rules = mockOf(messages, MAX_RULES).rules;
    saveFile(
      recordingFileName(connection.url, '-rules.json'),
      rulesFileText(rules),
      'application/json',
    );
    say(`Saved a Playwright test of ${connection.url}, and its mock as a rules file.`);
  };

  return (
    <div class="copy-as-code recording-exports">
      {store && (
        <button
          type="button"
          onClick={() => void addMock()}
          title="Add rules that mock this endpoint: they answer what the page sends with what the server answered"
          data-testid="mock-from-recording"
        >
          Mock from recording
        </button>
      )}
      <button
        type="button"
        onClick={exportTest}
        title="Save a Playwright test that mocks this endpoint from the recording and checks what the page sends, with the mock as a rules file"
        data-testid="export-as-test"
      >
        Export as test
      </button>
    </div>
  );
}

/** What was added, and what of the recording the rules will not play, so nothing surprises. */
function addedNotice({ rules, leftOut }: MockFromRecording): string {
  const greetings = rules.filter((rule) => rule.action.type === 'reply' && rule.action.atOpen);
  const replies = rules.length - 1 - greetings.length;
  const greeted =
    greetings.length === 0
      ? ''
      : `, and ${greetings.length === 1 ? 'the frame' : `the ${greetings.length} frames`} the server sent before the page's first message, delivered as the socket opens`;
  const parts = [
    `Added a mock of this endpoint with ${replies} ${replies === 1 ? 'reply' : 'replies'}${greeted}, to the rules.`,
  ];
  if (leftOut > 0) {
    const more = `${leftOut} more ${leftOut === 1 ? 'reply' : 'replies'}`;
    parts.push(`${more} did not fit: the list holds at most ${MAX_RULES} rules.`);
  }
  return parts.join(' ');
}
