// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelState, type SettingsStorage } from '../../src/panel/panel-state';
import { SettingsDialog } from '../../src/panel/SettingsDialog';
import { DEFAULT_LIMITS, type Limits, MiB } from '../../src/protocol/limits';

class FakeStorage implements SettingsStorage {
  saved: Limits[] = [];
  fail = false;
  async load() {
    return undefined;
  }
  async save(limits: Limits) {
    if (this.fail) throw new Error('quota exceeded');
    this.saved.push(limits);
  }
}

let root: HTMLElement;
let state: PanelState;
let storage: FakeStorage;

const $ = (selector: string) => root.querySelector(selector) as HTMLElement | null;
const input = (key: string) => $(`[data-testid="setting-${key}"]`) as HTMLInputElement;
const unit = (key: string) => $(`[data-testid="setting-${key}-unit"]`) as HTMLSelectElement | null;

async function type(key: string, value: string) {
  await act(() => {
    const element = input(key);
    element.value = value;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
async function pick(key: string, value: string) {
  await act(() => {
    const element = unit(key)!;
    element.value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
async function click(testId: string) {
  await act(async () => {
    $(`[data-testid="${testId}"]`)!.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

async function open(limits: Limits = DEFAULT_LIMITS) {
  storage = new FakeStorage();
  state = new PanelState(storage, (callback) => callback());
  state.limits.value = limits;
  state.settingsOpen.value = true;
  await act(() => render(<SettingsDialog state={state} />, root));
}

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('SettingsDialog', () => {
  it('shows each size in the largest unit that keeps it whole, and the count in events', async () => {
    await open({ ...DEFAULT_LIMITS, backlogBytes: 1536 * 1024, payloadCap: 1000 });
    expect([input('payloadCap').value, unit('payloadCap')!.value]).toEqual(['1000', 'B']);
    expect([input('backlogBytes').value, unit('backlogBytes')!.value]).toEqual(['1536', 'KiB']);
    expect([input('panelMemoryBudget').value, unit('panelMemoryBudget')!.value]).toEqual([
      '512',
      'MiB',
    ]);
    expect(input('backlogEvents').value).toBe('100000');
    expect(unit('backlogEvents')).toBeNull();
  });

  it('names each unit once: labels carry no unit, and the count says events once', async () => {
    await open();
    for (const label of root.querySelectorAll('label')) {
      expect(label.textContent).not.toMatch(/\((KiB|MiB|events)\)/);
    }
    expect($('[data-testid="setting-field-backlogEvents"] .field')!.textContent).toBe(
      'Backlog per pageevents',
    );
  });

  it('says in one sentence what happens when each limit is reached', async () => {
    await open();
    const reached = (key: string) =>
      $(`[data-testid="setting-field-${key}"] .setting-reached`)!.textContent;
    expect(reached('payloadCap')).toMatch(/keeps its first bytes .* and its original size/);
    expect(reached('backlogEvents')).toMatch(/oldest are dropped and the panel says how many/);
    expect(reached('backlogBytes')).toMatch(/oldest events are dropped/);
    expect(reached('panelMemoryBudget')).toMatch(/oldest frames lose their payload; their rows/);
    expect(input('payloadCap').getAttribute('aria-describedby')).toBe('setting-payloadCap-reached');
  });

  it('saves the send-stack switch, off by default, and resets it', async () => {
    await open();
    const box = () => $('[data-testid="setting-sendStacks"]') as HTMLInputElement;
    expect(box().checked).toBe(false);
    await click('setting-sendStacks');
    await click('save-settings');
    expect(storage.saved).toEqual([{ ...DEFAULT_LIMITS, sendStacks: 1 }]);
    await open({ ...DEFAULT_LIMITS, sendStacks: 1 });
    expect(box().checked).toBe(true);
    await click('reset-settings');
    expect(box().checked).toBe(false);
  });

  it('saves a unit picked per field, and a unit typed in the box', async () => {
    await open();
    await type('payloadCap', '2');
    await pick('payloadCap', 'GiB');
    await type('backlogBytes', '1.5 mib');
    await type('backlogEvents', '50,000');
    await click('save-settings');
    expect(storage.saved).toEqual([
      {
        ...DEFAULT_LIMITS,
        payloadCap: 2 * 1024 * MiB,
        backlogBytes: 1.5 * MiB,
        backlogEvents: 50_000,
      },
    ]);
    expect(state.limits.value.backlogBytes).toBe(1.5 * MiB);
    expect(state.settingsOpen.value).toBe(false);
  });

  it('moves a typed unit to the menu when the box loses focus', async () => {
    await open();
    await type('payloadCap', '256 kib');
    await act(() => {
      input('payloadCap').dispatchEvent(new Event('blur'));
    });
    expect([input('payloadCap').value, unit('payloadCap')!.value]).toEqual(['256', 'KiB']);
  });

  it('shows an error next to each invalid field and saves nothing', async () => {
    await open();
    await type('payloadCap', '-3');
    await type('backlogBytes', '16 MB');
    await type('backlogEvents', '');
    await click('save-settings');
    expect(storage.saved).toEqual([]);
    expect(state.limits.value).toBe(DEFAULT_LIMITS);
    expect(state.settingsOpen.value).toBe(true);
    expect($('[data-testid="setting-payloadCap-error"]')!.textContent).toBe('Must be more than 0.');
    expect($('[data-testid="setting-backlogBytes-error"]')!.textContent).toMatch(/Use KiB, MiB/);
    expect($('[data-testid="setting-backlogEvents-error"]')!.textContent).toMatch(/Enter a number/);
    expect($('[data-testid="setting-panelMemoryBudget-error"]')).toBeNull();
    expect(input('payloadCap').getAttribute('aria-invalid')).toBe('true');
    expect(input('payloadCap').getAttribute('aria-describedby')).toContain(
      'setting-payloadCap-error',
    );
    expect($('[data-testid="settings-error"]')!.textContent).toMatch(/Nothing was saved/);

    await type('payloadCap', '8');
    expect($('[data-testid="setting-payloadCap-error"]')).toBeNull();
  });

  it('refuses a size too large to be meant', async () => {
    await open();
    await type('panelMemoryBudget', '2000 GiB');
    await click('save-settings');
    expect(storage.saved).toEqual([]);
    expect($('[data-testid="setting-panelMemoryBudget-error"]')!.textContent).toBe(
      'Too large: at most 1024 GiB.',
    );
  });

  it('resets the form to the defaults, which Save then keeps', async () => {
    await open({
      ...DEFAULT_LIMITS,
      payloadCap: 1024,
      backlogEvents: 5,
      backlogBytes: MiB,
      panelMemoryBudget: 3 * MiB,
    });
    await type('payloadCap', 'nonsense');
    await click('save-settings');
    expect($('[data-testid="setting-payloadCap-error"]')).not.toBeNull();
    await click('reset-settings');
    expect($('[data-testid="setting-payloadCap-error"]')).toBeNull();
    expect($('[data-testid="settings-error"]')).toBeNull();
    expect([input('payloadCap').value, unit('payloadCap')!.value]).toEqual(['16', 'MiB']);
    expect(input('backlogEvents').value).toBe('100000');
    expect([input('backlogBytes').value, unit('backlogBytes')!.value]).toEqual(['64', 'MiB']);
    expect(storage.saved).toEqual([]);
    await click('save-settings');
    expect(storage.saved).toEqual([{ ...DEFAULT_LIMITS }]);
  });

  it('says when storage refuses, and stays open', async () => {
    await open();
    storage.fail = true;
    await click('save-settings');
    expect($('[data-testid="settings-error"]')!.textContent).toBe('Could not save: quota exceeded');
    expect(state.settingsOpen.value).toBe(true);
  });

  it('closes on Escape without letting DevTools see it, and gives focus back to its opener', async () => {
    storage = new FakeStorage();
    state = new PanelState(storage, (callback) => callback());
    // As the toolbar does: a button opens it, and the dialog shows while settingsOpen is set.
    function Host() {
      return (
        <>
          <button
            type="button"
            data-testid="opener"
            onClick={() => (state.settingsOpen.value = true)}
          >
            Settings
          </button>
          {state.settingsOpen.value && <SettingsDialog state={state} />}
        </>
      );
    }
    const escapes: string[] = [];
    root.addEventListener('keydown', (event) => escapes.push(event.key));
    await act(() => render(<Host />, root));
    $('[data-testid="opener"]')!.focus();
    await click('opener');
    expect(document.activeElement).toBe(input('payloadCap'));
    await act(() => {
      input('payloadCap').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }),
      );
    });
    expect(state.settingsOpen.value).toBe(false);
    expect($('[data-testid="settings"]')).toBeNull();
    expect(document.activeElement).toBe($('[data-testid="opener"]'));
    expect(escapes).toEqual([]);
  });
});
