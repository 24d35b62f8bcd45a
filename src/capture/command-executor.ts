import type { CommandResult, PageCommand } from '../protocol/page-commands';
import type { Recorder } from './install-recorder';
import { CaptureFailure, describeError, nullArray, nullRecord } from './page-builtins';
import { copyOwnData } from './relay-message';

/**
 * Carries out the panel's commands on the page's own sockets. Each names one socket by its id;
 * a socket that has gone away, or a browser that refuses (an invalid close code, say), gives an
 * error result in words the panel can show.
 *
 * Page-world code (see page-builtins.ts): the command is read from a null-prototype copy (a
 * field it lacks must not reach a getter the page put on Object.prototype), and errors are
 * described without the page's Error, String or getters.
 */
export function executeCommand(
  recorder: Recorder,
  commandId: number,
  command: PageCommand,
): CommandResult {
  try {
    run(recorder, copyOwnData(command) as PageCommand);
    // Every field present: the relay may read the page's copy in place (Firefox).
    return { commandId, ok: true, error: undefined };
  } catch (error) {
    return { commandId, ok: false, error: describeError(error) };
  }
}

/** Listener options for a replay: `once`, and nothing a page getter could add. */
const ONCE: AddEventListenerOptions = nullRecord();
ONCE.once = true;

function run(recorder: Recorder, command: PageCommand): void {
  switch (command.kind) {
    case 'intercept':
      recorder.gate.configure(command.outgoing, command.incoming);
      return;
    case 'release':
      if (!recorder.gate.release(command.heldId, command.action, command.payload)) {
        throw new CaptureFailure(`Error: frame ${command.heldId} is no longer held`);
      }
      return;
    case 'release-all':
      recorder.gate.releaseAll();
      return;
    case 'reconnect': {
      const description = recorder.describe(command.connectionId);
      if (!description)
        throw new CaptureFailure(
          `Error: connection #${command.connectionId} is unknown in this page`,
        );
      const socket = recorder.open(description.url, description.protocols);
      const { payloads } = command;
      const frames = nullArray<unknown>();
      for (let i = 0; i < payloads.length; i++) {
        frames[i] = recorder.dataFor(socket, payloads[i]!, 'outgoing');
      }
      const count = payloads.length;
      recorder.intrinsics.addEventListener(
        socket,
        'open',
        () => {
          for (let i = 0; i < count; i++) recorder.sendAs(socket, frames[i], 'replayed');
        },
        ONCE,
      );
      return;
    }
    default:
      break;
  }
  const socket = recorder.socketById(command.connectionId);
  if (!socket)
    throw new CaptureFailure(`Error: connection #${command.connectionId} has closed or gone away`);
  const readyState = recorder.intrinsics.readyState(socket);
  switch (command.kind) {
    case 'send':
      if (readyState !== 1)
        throw new CaptureFailure(
          `Error: connection #${command.connectionId} is not open (${STATE_NAMES[readyState]})`,
        );
      recorder.sendAs(
        socket,
        recorder.dataFor(socket, command.payload, 'outgoing'),
        command.origin,
      );
      return;
    case 'deliver':
      recorder.deliver(socket, recorder.dataFor(socket, command.payload, 'incoming'), 'delivered');
      return;
    case 'close':
      recorder.closeAs(socket, command.code, command.reason);
      return;
  }
}

const STATE_NAMES = ['connecting', 'open', 'closing', 'closed'];
