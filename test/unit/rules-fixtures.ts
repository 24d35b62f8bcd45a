import { signal } from '@preact/signals';
import { act } from 'preact/test-utils';
import type { RulesSource } from '../../src/panel/rules/rules-store';
import type { SocketRule } from '../../src/protocol/socket-rules';

/** The rules store, in memory: what each save wrote. */
export class FakeRules implements RulesSource {
  readonly rules = signal<readonly SocketRule[]>([]);
  saved: SocketRule[][] = [];
  async save(rules: readonly SocketRule[]) {
    this.saved.push([...rules]);
    this.rules.value = rules;
  }
}

/** A valid rule (drop everything) named after its id. */
export function rule(id: string, change: Partial<SocketRule> = {}): SocketRule {
  return {
    id,
    name: `Rule ${id}`,
    enabled: true,
    urlPattern: '',
    direction: 'any',
    payload: { kind: 'any' },
    action: { type: 'drop' },
    ...change,
  };
}

/** The test's hands on rendered controls under `root()`, found by data-testid. */
export function controls(root: () => HTMLElement) {
  const $ = (testId: string) =>
    root().querySelector(`[data-testid="${testId}"]`) as HTMLElement | null;
  const $$ = (testId: string) =>
    [...root().querySelectorAll(`[data-testid="${testId}"]`)] as HTMLElement[];
  const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
  return {
    $,
    $$,
    settle,
    /** The names in the rule list, in order. */
    names: () => $$('rule-row').map((row) => row.querySelector('.rule-name')!.textContent),
    async click(element: HTMLElement | null) {
      await act(() => element!.click());
      await settle();
    },
    /** Types into a text field as a user would: its value, then an input event. */
    async type(testId: string, value: string) {
      await act(() => {
        const field = $(testId) as HTMLInputElement;
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      });
    },
    /** Picks a menu's option, or sets a checkbox through its value and a change event. */
    async pick(testId: string, value: string) {
      await act(() => {
        const field = $(testId) as HTMLSelectElement;
        field.value = value;
        field.dispatchEvent(new Event('change', { bubbles: true }));
      });
    },
    /** Chooses a file in the Import file input. */
    async importFile(text: string, name = 'rules.json') {
      const input = $('rules-import') as HTMLInputElement;
      Object.defineProperty(input, 'files', {
        value: [new File([text], name, { type: 'application/json' })],
        configurable: true,
      });
      await act(() => {
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await settle();
      await settle();
    },
  };
}
