// @vitest-environment happy-dom
import { signal } from '@preact/signals';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveFile } from '../../src/panel/clipboard';
import type { PanelState } from '../../src/panel/panel-state';
import { RecordingExports } from '../../src/panel/RecordingExports';
import { RulesContext } from '../../src/panel/rules-context';
import { MAX_RULES } from '../../src/protocol/socket-rules';
import { parseRulesFile } from '../../src/rules/rules-file';
import { makeFrame } from '../../src/session/make-frame';
import { type FrameKind, newConnection } from '../../src/session/session-model';
import { controls, FakeRules, rule } from './rules-fixtures';

vi.mock('../../src/panel/clipboard', () => ({ saveFile: vi.fn() }));

const connection = {
  ...newConnection({
    documentId: 'doc',
    id: 1,
    frameId: 0,
    pageUrl: 'http://app.test/',
    requestedUrl: 'ws://app.test/chat',
    url: 'ws://app.test/chat',
    protocols: ['chat.v1'],
    createdAt: 0,
  }),
  protocol: 'chat.v1',
};
const frame = (kind: FrameKind, value: string) =>
  makeFrame({
    connectionKey: connection.key,
    kind,
    time: 0,
    origin: 'page',
    payload: { kind: 'text', text: value, size: value.length, originalSize: value.length },
  });

let root: HTMLElement;
let state: PanelState;
const { $, click, settle } = controls(() => root);

/** The part of the panel's state the buttons use. */
function fakeState(): PanelState {
  const frames = [
    frame('received', 'welcome'),
    frame('sent', 'hi'),
    frame('received', 'hello'),
    frame('received', 'how are you'),
  ];
  return {
    session: { frames },
    notice: signal<string | null>(null),
    rulesOpen: signal(false),
  } as unknown as PanelState;
}

async function show(store?: FakeRules) {
  state = fakeState();
  await act(() =>
    render(
      <RulesContext.Provider value={store}>
        <RecordingExports state={state} connection={connection} />
      </RulesContext.Provider>,
      root,
    ),
  );
}

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  vi.mocked(saveFile).mockClear();
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('Mock from recording', () => {
  it("adds the mock after the user's rules, says what it left out, and opens the Rules view", async () => {
    const store = new FakeRules();
    store.rules.value = [rule('mine')];
    await show(store);
    await click($('mock-from-recording'));
    await settle();
    const saved = store.saved[0]!;
    expect(saved.map((each) => each.name)).toEqual([
      'Rule mine',
      'app.test/chat: mock endpoint',
      'app.test/chat: greeting 1',
      'app.test/chat: reply 1.1',
      'app.test/chat: reply 1.2',
    ]);
    expect(saved[1]!.action).toEqual({ type: 'mock', protocol: 'chat.v1' });
    expect(state.notice.value).toBe(
      "Added a mock of this endpoint with 2 replies, and the frame the server sent before the page's first message, delivered as the socket opens, to the rules.",
    );
    expect(state.rulesOpen.value).toBe(true);
  });

  it('adds what fits in a nearly full list, and nothing to a full one', async () => {
    const store = new FakeRules();
    store.rules.value = Array.from({ length: MAX_RULES - 3 }, (_, i) => rule(`${i}`));
    await show(store);
    await click($('mock-from-recording'));
    await settle();
    expect(store.saved[0]!.slice(-3).map((each) => each.name)).toEqual([
      'app.test/chat: mock endpoint',
      'app.test/chat: greeting 1',
      'app.test/chat: reply 1.1',
    ]);
    expect(state.notice.value).toMatch(/1 more reply did not fit: the list holds at most 200/);
    await click($('mock-from-recording'));
    await settle();
    expect(store.saved).toHaveLength(1);
    expect(state.notice.value).toBe('The rules list is full (200 rules): no mock was added.');
  });

  it('says why the rules could not be saved, and leaves the Rules view closed', async () => {
    const store = new FakeRules();
    store.save = () => Promise.reject(new Error('quota exceeded'));
    await show(store);
    await click($('mock-from-recording'));
    await settle();
    expect(state.notice.value).toBe('Could not add the mock: quota exceeded');
    expect(state.rulesOpen.value).toBe(false);
  });

  it('is not offered where the panel keeps no rules; Export as test still is', async () => {
    await show(undefined);
    expect($('mock-from-recording')).toBeNull();
    expect($('export-as-test')).not.toBeNull();
  });
});

describe('Export as test', () => {
  it('saves the Playwright test and the mock as a rules file', async () => {
    const store = new FakeRules();
    await show(store);
    await click($('export-as-test'));
    const calls = vi.mocked(saveFile).mock.calls;
    expect(calls.map(([name, , type]) => [name, type])).toEqual([
      ['app.test-chat.spec.ts', 'application/octet-stream'],
      ['app.test-chat-rules.json', 'application/json'],
    ]);
    const test = calls[0]![1] as string;
    expect(test).toContain('const greeting: Message[] = [\n  "welcome",\n];');
    expect(test).toContain('sent: "hi",');
    const parsed = parseRulesFile(calls[1]![1] as string);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.rules.map((each) => each.action.type)).toEqual([
      'mock',
      'reply',
      'reply',
      'reply',
    ]);
    // An export adds nothing to the user's rules.
    expect(store.saved).toEqual([]);
    expect(state.notice.value).toBe(
      'Saved a Playwright test of ws://app.test/chat, and its mock as a rules file.',
    );
  });
});
