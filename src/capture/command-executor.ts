import type { CommandResult, PageCommand } from '../protocol/page-commands';
import type { Recorder } from './install-recorder';

/**
 * Carries out the panel's commands on the page's own sockets. Each names one socket by its id;
 * a socket that has gone away, or a browser that refuses (an invalid close code, say), gives an
 * error result in words the panel can show.
 */
export function executeCommand(
  recorder: Recorder,
  commandId: number,
  command: PageCommand,
): CommandResult {
  try {
    run(recorder, command);
    return { commandId, ok: true };
  } catch (error) {
    return {
      commandId,
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

function run(recorder: Recorder, command: PageCommand): void {
  switch (command.kind) {
    case 'intercept':
      recorder.gate.configure(command.outgoing, command.incoming);
      return;
    case 'release':
      if (!recorder.gate.release(command.heldId, command.action, command.payload)) {
        throw new Error(`frame ${command.heldId} is no longer held`);
      }
      return;
    case 'release-all':
      recorder.gate.releaseAll();
      return;
    case 'reconnect': {
      const description = recorder.describe(command.connectionId);
      if (!description)
        throw new Error(`connection #${command.connectionId} is unknown in this page`);
      const socket = recorder.open(description.url, description.protocols);
      const frames = command.payloads.map((payload) =>
        recorder.dataFor(socket, payload, 'outgoing'),
      );
      socket.addEventListener(
        'open',
        () => {
          for (const data of frames) recorder.sendAs(socket, data, 'replayed');
        },
        { once: true },
      );
      return;
    }
    default:
      break;
  }
  const socket = recorder.socketById(command.connectionId);
  if (!socket) throw new Error(`connection #${command.connectionId} has closed or gone away`);
  const readyState = recorder.intrinsics.readyState(socket);
  switch (command.kind) {
    case 'send':
      if (readyState !== 1)
        throw new Error(
          `connection #${command.connectionId} is not open (${STATE_NAMES[readyState]})`,
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
