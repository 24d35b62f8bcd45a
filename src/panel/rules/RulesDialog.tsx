import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { MAX_RULES, type SocketRule } from '../../protocol/socket-rules';
import { newRule, type SetAsideRule } from '../../rules/rules-storage';
import type { PanelState } from '../panel-state';
import { useReturnFocus } from '../use-return-focus';
import { RuleForm } from './RuleForm';
import { RuleList, rowControl } from './RuleList';
import { RulesFiles } from './RulesFiles';
import { moved, withEnabled, withImported, withoutRule, withRule } from './rules-edit';
import type { RulesSource } from './rules-store';
import './rules.css';

interface Props {
  state: PanelState;
  store: RulesSource;
}

const ADD = '[data-testid="rule-add"]';

/**
 * The rules the page hook applies to sockets and frames: listed in the order they apply, edited
 * one at a time, exported and imported. Every change is saved at once, for every page.
 */
export function RulesDialog({ state, store }: Props) {
  const rules = store.rules.value;
  const [editing, setEditing] = useState<{
    rule: SocketRule;
    isNew: boolean;
    /** The stored entry set aside that this rule, once valid, replaces. */
    fixing?: SetAsideRule;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  /** A control to focus once the list shows the change that moved or removed the focused one. */
  const [focusNext, setFocusNext] = useState<string | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useReturnFocus(dialog);
  useLayoutEffect(() => {
    if (!focusNext) return;
    const target = dialog.current?.querySelector<HTMLElement>(focusNext);
    if (!target) return;
    target.focus();
    setFocusNext(null);
  }, [focusNext, rules, editing]);

  const close = () => {
    state.rulesOpen.value = false;
  };
  /** Saves the list; says why not if it could not be saved. */
  const save = async (next: SocketRule[], focus?: string) => {
    try {
      await store.save(next);
      setError(null);
      if (focus) setFocusNext(focus);
      return true;
    } catch (failure) {
      setError(`Could not save the rules: ${(failure as Error).message}`);
      return false;
    }
  };
  const cancelEdit = () => {
    setFocusNext(!editing || editing.isNew ? ADD : rowControl(editing.rule.id, 'rule-edit'));
    setEditing(null);
  };
  const saveRule = async (rule: SocketRule) => {
    const current = store.rules.value;
    const isNew = !current.some((each) => each.id === rule.id);
    if (isNew && current.length >= MAX_RULES) {
      throw new Error(`the list already has ${MAX_RULES} rules, the most kept`);
    }
    if (editing?.fixing && store.fix) await store.fix(editing.fixing, rule);
    else await store.save(withRule(current, rule));
    setError(null);
    setStatus(null);
    setEditing(null);
    setFocusNext(rowControl(rule.id, 'rule-edit'));
  };
  const remove = (id: string) => {
    const index = rules.findIndex((rule) => rule.id === id);
    const neighbour = rules[index + 1] ?? rules[index - 1];
    void save(withoutRule(rules, id), neighbour ? rowControl(neighbour.id, 'rule-delete') : ADD);
  };
  const move = (id: string, by: -1 | 1) => {
    const next = moved(rules, id, by);
    const at = next.findIndex((rule) => rule.id === id);
    // The button pressed, unless the rule reached the end it moved to and that one is disabled.
    const button =
      by < 0
        ? at === 0
          ? 'rule-down'
          : 'rule-up'
        : at === next.length - 1
          ? 'rule-up'
          : 'rule-down';
    void save(next, rowControl(id, button));
  };
  const importRules = (imported: SocketRule[], fileName: string) => {
    const merged = withImported(store.rules.value, imported);
    if ('error' in merged) {
      setStatus(null);
      setError(`Could not import ${fileName}: ${merged.error}`);
      return;
    }
    void save(merged.rules).then((saved) => {
      if (saved) setStatus(`Added ${imported.length} rules from ${fileName} after the others.`);
    });
  };
  const full = rules.length >= MAX_RULES;
  const readError = store.error?.value;
  const setAside = store.setAside?.value ?? [];

  return (
    <div class="dialog-backdrop">
      <div
        ref={dialog}
        class="dialog rules-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="rules-title"
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          // DevTools would toggle its drawer: the key goes no further than this dialog.
          event.stopPropagation();
          event.preventDefault();
          if (editing) cancelEdit();
          else close();
        }}
        data-testid="rules-dialog"
      >
        <h2 id="rules-title">Rules</h2>
        <p class="hint rules-help">
          Rules apply in the page, in every tab, with DevTools closed too, from the page's first
          socket, in list order. Every matching reply is sent; of the other rules, the first that
          matches decides what happens to a frame. Frames a rule touched are marked in the log.
        </p>
        {(error || readError) && (
          <p class="filter-error rules-error" role="alert" data-testid="rules-error">
            {error ?? readError}
          </p>
        )}
        <p class="rules-status" role="status" data-testid="rules-status">
          {status}
        </p>
        {setAside.length > 0 && !editing && (
          <div class="rules-set-aside" data-testid="rules-set-aside">
            <p class="filter-error">
              Not applied: {setAside.length === 1 ? 'a stored rule' : 'stored rules'} this version
              refuses. Kept in storage until fixed.
            </p>
            <ul>
              {setAside.map((entry, index) => (
                <li key={index} data-testid="rule-set-aside">
                  <span>{entry.reason}</span>
                  {entry.editable && (
                    <button
                      type="button"
                      disabled={full}
                      onClick={() =>
                        setEditing({ rule: entry.editable!, isNew: true, fixing: entry })
                      }
                      data-testid="rule-set-aside-fix"
                    >
                      Fix…
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        {editing ? (
          <RuleForm
            key={editing.rule.id}
            rule={editing.rule}
            isNew={editing.isNew}
            onSave={saveRule}
            onCancel={cancelEdit}
          />
        ) : (
          <>
            <RuleList
              rules={rules}
              onEnable={(id, enabled) => void save(withEnabled(rules, id, enabled))}
              onEdit={(id) => {
                const rule = rules.find((each) => each.id === id);
                if (rule) setEditing({ rule, isNew: false });
              }}
              onDelete={remove}
              onMove={move}
            />
            <div class="dialog-buttons">
              <button
                type="button"
                disabled={full}
                title={full ? `${MAX_RULES} rules is the most kept` : undefined}
                onClick={() => setEditing({ rule: newRule(), isNew: true })}
                data-testid="rule-add"
              >
                Add rule
              </button>
              <RulesFiles
                rules={rules}
                onImport={importRules}
                onError={(message) => {
                  setStatus(null);
                  setError(message);
                }}
              />
              <button type="button" class="rules-close" onClick={close} data-testid="rules-close">
                Close
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
