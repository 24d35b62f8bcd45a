// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveFile } from '../../src/panel/clipboard';
import { PanelState } from '../../src/panel/panel-state';
import { RulesDialog } from '../../src/panel/rules/RulesDialog';
import { MAX_RULES, type SocketRule } from '../../src/protocol/socket-rules';
import { parseRulesFile, rulesFileText } from '../../src/rules/rules-file';
import { controls, FakeRules, rule } from './rules-fixtures';

vi.mock('../../src/panel/clipboard', () => ({ saveFile: vi.fn() }));

let root: HTMLElement;
let state: PanelState;
let store: FakeRules;
const { $, $$, settle, names, click, type, pick, importFile } = controls(() => root);

async function open(rules: SocketRule[] = []) {
  store = new FakeRules();
  store.rules.value = rules;
  state = new PanelState(undefined, (callback) => callback());
  state.rulesOpen.value = true;
  await act(() => render(<RulesDialog state={state} store={store} />, root));
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

describe('RulesDialog', () => {
  it('adds a rule made in the form, and lists it with its summary', async () => {
    await open();
    expect($('rules-empty')).not.toBeNull();
    await click($('rule-add'));
    expect($('rule-form')).not.toBeNull();
    expect(document.activeElement).toBe($('rule-name'));
    await type('rule-name', 'Pong');
    await type('rule-url', 'wss://*.test/*');
    await pick('rule-direction', 'outgoing');
    await pick('rule-match-kind', 'text');
    await type('rule-match-text', 'ping');
    await pick('rule-action-type', 'reply');
    await type('rule-template', 'pong');
    await type('rule-delay', '5');
    await click($('rule-save'));
    expect($('rule-form')).toBeNull();
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]![0]).toMatchObject({
      name: 'Pong',
      urlPattern: 'wss://*.test/*',
      direction: 'outgoing',
      payload: { kind: 'text', text: 'ping' },
      action: { type: 'reply', template: 'pong', delayMs: 5 },
    });
    expect($$('rule-row')).toHaveLength(1);
    expect($('rule-summary')!.textContent).toBe(
      'wss://*.test/*, outgoing, text "ping" → reply after 5 ms',
    );
    expect(document.activeElement).toBe($('rule-edit'));
  });

  it('refuses an invalid regular expression, says why, and saves nothing', async () => {
    await open();
    await click($('rule-add'));
    await type('rule-name', 'Broken');
    await pick('rule-match-kind', 'regex');
    await type('rule-match-pattern', '(unclosed');
    await pick('rule-action-type', 'drop');
    await click($('rule-save'));
    const error = $('rule-form-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/Broken/);
    expect($('rule-form')).not.toBeNull();
    expect(store.saved).toEqual([]);
  });

  it('refuses a number field holding no number', async () => {
    await open();
    await click($('rule-add'));
    await type('rule-name', 'Slow');
    await pick('rule-action-type', 'delay');
    await type('rule-delay', 'soon');
    await click($('rule-save'));
    expect($('rule-form-error')!.textContent).toBe(
      'Rule "Slow": the delay must be a number, not "soon".',
    );
    expect(store.saved).toEqual([]);
  });

  it('edits a rule in place, keeping its id and place', async () => {
    await open([rule('a'), rule('b'), rule('c')]);
    await click($$('rule-edit')[1]!);
    expect(($('rule-name') as HTMLInputElement).value).toBe('Rule b');
    await pick('rule-action-type', 'close');
    await type('rule-close-code', '4001');
    await type('rule-close-reason', 'bye');
    await type('rule-after-matches', '2');
    await click($('rule-save'));
    expect(store.rules.value.map((each) => each.id)).toEqual(['a', 'b', 'c']);
    expect(store.rules.value[1]!.action).toEqual({
      type: 'close',
      code: 4001,
      reason: 'bye',
      afterMatches: 2,
    });
    expect(document.activeElement).toBe($$('rule-edit')[1]);
  });

  it('turns a rule off and on', async () => {
    await open([rule('a'), rule('b')]);
    const box = () => $$('rule-enabled')[1] as HTMLInputElement;
    await act(() => {
      box().checked = false;
      box().dispatchEvent(new Event('change', { bubbles: true }));
    });
    await settle();
    expect(store.rules.value.map((each) => each.enabled)).toEqual([true, false]);
    expect(box().checked).toBe(false);
    await click(box());
    expect(store.rules.value.map((each) => each.enabled)).toEqual([true, true]);
  });

  it('moves rules up and down, the focus following the moved rule', async () => {
    await open([rule('a'), rule('b'), rule('c')]);
    expect(($$('rule-up')[0] as HTMLButtonElement).disabled).toBe(true);
    expect(($$('rule-down')[2] as HTMLButtonElement).disabled).toBe(true);
    await click($$('rule-up')[2]!);
    expect(names()).toEqual(['Rule a', 'Rule c', 'Rule b']);
    expect(document.activeElement).toBe($$('rule-up')[1]);
    await click($$('rule-up')[1]!);
    expect(names()).toEqual(['Rule c', 'Rule a', 'Rule b']);
    // At the top its up button is disabled: the focus goes to its down button.
    expect(document.activeElement).toBe($$('rule-down')[0]);
    await click($$('rule-down')[0]!);
    expect(names()).toEqual(['Rule a', 'Rule c', 'Rule b']);
    expect(store.saved).toHaveLength(3);
  });

  it('deletes a rule', async () => {
    await open([rule('a'), rule('b')]);
    await click($$('rule-delete')[0]!);
    expect(names()).toEqual(['Rule b']);
    expect(document.activeElement).toBe($('rule-delete'));
    await click($('rule-delete'));
    expect(store.rules.value).toEqual([]);
    expect(document.activeElement).toBe($('rule-add'));
  });

  it('shows why a file could not be imported and keeps the rules', async () => {
    await open([rule('a')]);
    await importFile('{ not json', 'bad.json');
    const error = $('rules-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toMatch(/^Could not import bad\.json: /);
    expect(store.saved).toEqual([]);
    expect(names()).toEqual(['Rule a']);
  });

  it('adds imported rules after the others, and refuses more than MAX_RULES', async () => {
    await open([rule('a')]);
    await importFile(rulesFileText([rule('a', { name: 'Again' }), rule('x')]));
    expect($('rules-error')).toBeNull();
    expect(names()).toEqual(['Rule a', 'Again', 'Rule x']);
    const ids = store.rules.value.map((each) => each.id);
    expect(new Set(ids).size).toBe(3);
    const many = Array.from({ length: MAX_RULES - 2 }, (_, index) => rule(`m${index}`));
    await importFile(rulesFileText(many), 'many.json');
    expect($('rules-error')!.textContent).toMatch(/^Could not import many\.json: /);
    expect(store.rules.value).toHaveLength(3);
  });

  it('exports the rules as a file that imports as the same rules', async () => {
    const rules = [
      rule('a', { payload: { kind: 'regex', pattern: '^p(\\d)', flags: 'i' } }),
      rule('b', {
        enabled: false,
        direction: 'incoming',
        action: { type: 'reply', template: '{"n":$1}', delayMs: 10 },
      }),
    ];
    await open(rules);
    await click($('rules-export'));
    const [name, text] = vi.mocked(saveFile).mock.calls[0]!;
    expect(name).toBe('sockscope-rules.json');
    expect(parseRulesFile(text as string)).toEqual({ rules });
  });

  it('closes on Escape, which goes no further; Escape in the form leaves the form only', async () => {
    await open([rule('a')]);
    const outside = vi.fn();
    root.addEventListener('keydown', outside);
    const pressEscape = async () => {
      await act(() => {
        document.activeElement!.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
        );
      });
      await settle();
    };
    await click($('rule-edit'));
    await pressEscape();
    expect($('rule-form')).toBeNull();
    expect(state.rulesOpen.value).toBe(true);
    expect(document.activeElement).toBe($('rule-edit'));
    await pressEscape();
    expect(state.rulesOpen.value).toBe(false);
    expect(outside).not.toHaveBeenCalled();
  });

  it('explains where and in what order rules apply', async () => {
    await open();
    expect($('rules-dialog')!.textContent).toMatch(
      /in every tab, with DevTools closed too, from the page's first socket, in list order/,
    );
  });
});
