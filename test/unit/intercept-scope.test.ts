import { describe, expect, it } from 'vitest';
import { PanelState } from '../../src/panel/panel-state';
import type { PageCommand } from '../../src/protocol/page-commands';
import { applyEvents } from './record-helpers';
import { created, sequence } from './session-fixtures';

/** A panel with two documents (the page and a frame), each with one socket. */
function panelWithTwoDocuments() {
  const state = new PanelState(undefined, (callback) => callback());
  const { session } = state;
  session.addDocument({ documentId: 'top', url: 'https://app.test/', startedAt: 1, frameId: 0 });
  session.addDocument({ documentId: 'frame', url: 'https://app.test/f', startedAt: 2, frameId: 7 });
  applyEvents(session, 'top', sequence([created(1, 'wss://app.test/feed')]));
  applyEvents(session, 'frame', sequence([created(2, 'wss://app.test/chat')]));
  const commands: Array<[string, PageCommand]> = [];
  state.runCommand = async (documentId, command) => {
    commands.push([documentId, command]);
    return { ok: true, commandId: commands.length };
  };
  return { state, commands };
}

const rulesSent = (commands: Array<[string, PageCommand]>) =>
  Object.fromEntries(
    commands.map(([documentId, command]) => {
      const intercept = command as Extract<PageCommand, { kind: 'intercept' }>;
      const { enabled, connectionIds } = intercept.outgoing;
      // A document that holds nothing: which ids it would hold does not matter.
      return [documentId, enabled ? connectionIds : 'off'];
    }),
  );

describe('intercept scope', () => {
  it('holds only the selected connection by default, in its own document', async () => {
    const { state, commands } = panelWithTwoDocuments();
    expect(state.intercept.value.selectedOnly).toBe(true);
    state.selectConnection('frame#2');
    await state.applyIntercept({ ...state.intercept.value, outgoing: true });
    expect(rulesSent(commands)).toEqual({ top: 'off', frame: [2] });
    expect(state.notice.value).toContain('Intercepting outgoing frames on');
  });

  it('holds every connection of every document when "All connections" is chosen', async () => {
    const { state, commands } = panelWithTwoDocuments();
    state.selectConnection('frame#2');
    await state.applyIntercept({ ...state.intercept.value, outgoing: true, selectedOnly: false });
    expect(rulesSent(commands)).toEqual({ top: [], frame: [] });
    expect(state.notice.value).toBe('Intercepting outgoing frames.');
  });

  it('holds nothing, and says so, when scoped to a selection with none selected', async () => {
    const { state, commands } = panelWithTwoDocuments();
    await state.applyIntercept({ ...state.intercept.value, outgoing: true });
    expect(rulesSent(commands)).toEqual({ top: 'off', frame: 'off' });
    expect(state.notice.value).toBe('Intercept holds nothing until a connection is selected.');
  });
});
