// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/panel/App';
import { PanelState } from '../../src/panel/panel-state';
import { type RulesStorageApi, RulesStore } from '../../src/panel/rules/rules-store';
import { RULES_STORAGE_KEY } from '../../src/protocol/socket-rules';
import { controls, FakeRules, rule } from './rules-fixtures';

type Listener = Parameters<RulesStorageApi['onChanged']['addListener']>[0];

/** Extension storage in memory: a write tells every listener, as the browser does. */
class FakeStorage implements RulesStorageApi {
  data: Record<string, unknown> = {};
  fail = false;
  readonly listeners = new Set<Listener>();
  local = {
    get: async (key: string) => ({ [key]: this.data[key] }),
    set: async (items: Record<string, unknown>) => {
      if (this.fail) throw new Error('quota exceeded');
      this.write(items);
    },
  };
  onChanged = {
    addListener: (listener: Listener) => this.listeners.add(listener),
    removeListener: (listener: Listener) => this.listeners.delete(listener),
  };
  /** A write by anyone: this panel, another one, the extension's other pages. */
  write(items: Record<string, unknown>, area = 'local') {
    Object.assign(this.data, items);
    const changes = Object.fromEntries(
      Object.entries(items).map(([key, newValue]) => [key, { newValue }]),
    );
    for (const listener of this.listeners) listener(changes, area);
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const ids = (store: RulesStore) => store.rules.value.map((each) => each.id);

describe('RulesStore', () => {
  it('reads the saved rules, leaving out what is not a valid rule', async () => {
    const storage = new FakeStorage();
    storage.data[RULES_STORAGE_KEY] = [rule('a'), { id: 'b' }, rule('c')];
    const store = new RulesStore(storage);
    store.start();
    await tick();
    expect(ids(store)).toEqual(['a', 'c']);
  });

  it("follows another panel's changes until stopped", async () => {
    const storage = new FakeStorage();
    const store = new RulesStore(storage);
    const stop = store.start();
    await tick();
    storage.write({ [RULES_STORAGE_KEY]: [rule('x')] });
    expect(ids(store)).toEqual(['x']);
    storage.write({ [RULES_STORAGE_KEY]: [rule('y')] }, 'sync');
    storage.write({ other: [rule('z')] });
    expect(ids(store)).toEqual(['x']);
    stop();
    storage.write({ [RULES_STORAGE_KEY]: [] });
    expect(ids(store)).toEqual(['x']);
  });

  it('writes the whole list; a failed write rejects and leaves the list as it was', async () => {
    const storage = new FakeStorage();
    const store = new RulesStore(storage);
    store.start();
    await tick();
    await store.save([rule('a'), rule('b')]);
    expect(storage.data[RULES_STORAGE_KEY]).toEqual([rule('a'), rule('b')]);
    storage.fail = true;
    await expect(store.save([rule('c')])).rejects.toThrow('quota exceeded');
    expect(ids(store)).toEqual(['a', 'b']);
  });
});

describe('the toolbar Rules button', () => {
  let root: HTMLElement;
  const { $, click } = controls(() => root);
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    render(null, root);
    root.remove();
  });

  it('counts the rules that are on, and opens the Rules dialog', async () => {
    const state = new PanelState(undefined, (callback) => callback());
    const store = new FakeRules();
    await act(() => render(<App state={state} tabId={1} rules={store} />, root));
    const button = () => $('open-rules')!;
    expect(button().textContent).toBe('Rules');
    expect(button().getAttribute('aria-label')).toBe('Rules');
    await act(() => {
      store.rules.value = [rule('a'), rule('b', { enabled: false }), rule('c')];
    });
    expect(button().textContent).toBe('Rules (2)');
    await click(button());
    expect(state.rulesOpen.value).toBe(true);
    expect($('rules-dialog')).not.toBeNull();
    await click($('rules-close'));
    expect($('rules-dialog')).toBeNull();
  });

  it('is not there when the panel has no rules store', async () => {
    const state = new PanelState(undefined, (callback) => callback());
    await act(() => render(<App state={state} tabId={1} />, root));
    expect($('open-settings')).not.toBeNull();
    expect($('open-rules')).toBeNull();
  });
});
