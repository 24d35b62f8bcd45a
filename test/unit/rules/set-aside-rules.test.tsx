// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelState } from '../../../src/panel/panel-state';
import { RulesDialog } from '../../../src/panel/rules/RulesDialog';
import { type RulesStorageApi, RulesStore } from '../../../src/panel/rules/rules-store';
import { RULES_STORAGE_KEY } from '../../../src/protocol/socket-rules';
import { readStoredRules } from '../../../src/rules/rules-storage';
import { controls, rule } from '../rules-fixtures';

/**
 * A stored rule this version refuses (a URL pattern no socket could match, saved before that was
 * checked) is not applied, but neither is it lost: the Rules dialog says which and why, every
 * save keeps it in storage, and Fix… lets the user correct it into the list.
 */

type Listener = Parameters<RulesStorageApi['onChanged']['addListener']>[0];

/** Extension storage in memory: a write tells every listener, as the browser does. */
class FakeStorage implements RulesStorageApi {
  data: Record<string, unknown> = {};
  readonly listeners = new Set<Listener>();
  local = {
    get: async (key: string) => ({ [key]: structuredClone(this.data[key]) }),
    set: async (items: Record<string, unknown>) => {
      Object.assign(this.data, structuredClone(items));
      const changes = Object.fromEntries(
        Object.entries(items).map(([key, value]) => [key, { newValue: structuredClone(value) }]),
      );
      for (const listener of this.listeners) listener(changes, 'local');
    },
  };
  onChanged = {
    addListener: (listener: Listener) => this.listeners.add(listener),
    removeListener: (listener: Listener) => this.listeners.delete(listener),
  };
}

const OLD_PATTERN = rule('b', { name: 'chat', urlPattern: 'http://127.0.0.1:*/chat' });
const JUNK = { id: 'junk', name: 'not a rule' };
const REFUSED = /^Rule "chat": urlPattern must start with ws:\/\/, wss:\/\/ or \*/;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const storedIds = (storage: FakeStorage) =>
  (storage.data[RULES_STORAGE_KEY] as Array<{ id: string }>).map(({ id }) => id);

describe('stored rules this version refuses', () => {
  it('are set aside with the reason, and the one with only a bad URL pattern can be edited', () => {
    const { rules, setAside } = readStoredRules([rule('a'), OLD_PATTERN, JUNK]);
    expect(rules.map(({ id }) => id)).toEqual(['a']);
    expect(setAside.map(({ stored }) => stored)).toEqual([OLD_PATTERN, JUNK]);
    expect(setAside[0]!.reason).toMatch(REFUSED);
    expect(setAside[0]!.editable).toEqual(OLD_PATTERN);
    expect(setAside[1]!.reason).toMatch(/^Rule "not a rule": /);
    expect(setAside[1]!.editable).toBeNull();
    // One whose id a valid rule has would replace it once fixed: it gets its own.
    const clash = readStoredRules([rule('b'), OLD_PATTERN]).setAside[0]!.editable!;
    expect(clash.id).not.toBe('b');
  });

  it('stay in storage when the list is saved, until fixed', async () => {
    const storage = new FakeStorage();
    storage.data[RULES_STORAGE_KEY] = [rule('a'), OLD_PATTERN, JUNK];
    const store = new RulesStore(storage);
    store.start();
    await tick();
    expect(store.setAside.value).toHaveLength(2);
    await store.save([rule('a'), rule('c')]);
    expect(storage.data[RULES_STORAGE_KEY]).toEqual([rule('a'), rule('c'), OLD_PATTERN, JUNK]);
    expect(store.setAside.value).toHaveLength(2);
    const entry = store.setAside.value[0]!;
    await store.fix(entry, { ...entry.editable!, urlPattern: 'ws://127.0.0.1:*/chat' });
    expect(storedIds(storage)).toEqual(['a', 'c', 'b', 'junk']);
    expect(store.rules.value.map(({ urlPattern, id }) => [id, urlPattern])).toEqual([
      ['a', ''],
      ['c', ''],
      ['b', 'ws://127.0.0.1:*/chat'],
    ]);
    expect(store.setAside.value.map(({ stored }) => stored)).toEqual([JUNK]);
  });

  describe('in the Rules dialog', () => {
    let root: HTMLElement;
    const { $, $$, click, type, names } = controls(() => root);
    beforeEach(() => {
      root = document.createElement('div');
      document.body.append(root);
    });
    afterEach(() => {
      render(null, root);
      root.remove();
    });

    it('are named with the reason, and Fix… corrects one into the list', async () => {
      const storage = new FakeStorage();
      storage.data[RULES_STORAGE_KEY] = [rule('a'), OLD_PATTERN, JUNK];
      const store = new RulesStore(storage);
      store.start();
      await tick();
      const state = new PanelState(undefined, (callback) => callback());
      state.rulesOpen.value = true;
      await act(() => render(<RulesDialog state={state} store={store} />, root));
      expect(names()).toEqual(['Rule a']);
      const shown = $$('rule-set-aside').map((item) => item.textContent);
      expect(shown).toHaveLength(2);
      expect(shown[0]).toMatch(REFUSED);
      expect(shown[1]).toMatch(/^Rule "not a rule": /);
      expect($$('rule-set-aside-fix')).toHaveLength(1);

      await click($('rule-set-aside-fix'));
      expect(($('rule-url') as HTMLInputElement).value).toBe('http://127.0.0.1:*/chat');
      await click($('rule-save'));
      expect($('rule-form-error')!.textContent).toMatch(REFUSED);
      await type('rule-url', 'ws://127.0.0.1:*/chat');
      await click($('rule-save'));
      expect($('rule-form')).toBeNull();
      expect(names()).toEqual(['Rule a', 'chat']);
      expect($$('rule-set-aside')).toHaveLength(1);
      expect(storedIds(storage)).toEqual(['a', 'b', 'junk']);
    });
  });
});
