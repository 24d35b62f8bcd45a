import type { SocketRule } from '../../protocol/socket-rules';
import { ruleSummary } from './rule-summary';

interface Props {
  rules: readonly SocketRule[];
  onEnable(id: string, enabled: boolean): void;
  onEdit(id: string): void;
  onDelete(id: string): void;
  onMove(id: string, by: -1 | 1): void;
}

/** The row controls a caller may focus after a change (the list re-renders under them). */
export type RowControl = 'rule-enabled' | 'rule-edit' | 'rule-delete' | 'rule-up' | 'rule-down';

/** The selector of one row's control, for focusing it after the list changed. */
export const rowControl = (id: string, control: RowControl) =>
  `[data-rule-id="${CSS.escape(id)}"] [data-testid="${control}"]`;

/**
 * The rules in the order they apply: each with its switch, name and what it does, and buttons to
 * edit, delete and move it.
 */
export function RuleList({ rules, onEnable, onEdit, onDelete, onMove }: Props) {
  if (rules.length === 0) {
    return (
      <p class="rules-empty hint" data-testid="rules-empty">
        No rules yet: Add rule makes one, Import reads a file of them.
      </p>
    );
  }
  return (
    <ol class="rule-list" aria-label="Rules, in the order they apply">
      {rules.map((rule, index) => {
        const name = rule.name || `Rule ${index + 1}`;
        const summary = ruleSummary(rule);
        return (
          <li
            key={rule.id}
            class={rule.enabled ? 'rule-row' : 'rule-row disabled'}
            data-rule-id={rule.id}
            data-testid="rule-row"
          >
            <input
              type="checkbox"
              checked={rule.enabled}
              aria-label={`Enable ${name}`}
              title={rule.enabled ? 'On: applies to every page' : 'Off'}
              onChange={(event) => onEnable(rule.id, (event.target as HTMLInputElement).checked)}
              data-testid="rule-enabled"
            />
            <span class="rule-text">
              <span class="rule-name">{name}</span>
              <span class="rule-summary" title={summary} data-testid="rule-summary">
                {summary}
              </span>
            </span>
            <span class="rule-buttons">
              <button
                type="button"
                aria-label={`Edit ${name}`}
                onClick={() => onEdit(rule.id)}
                data-testid="rule-edit"
              >
                Edit
              </button>
              <button
                type="button"
                aria-label={`Delete ${name}`}
                onClick={() => onDelete(rule.id)}
                data-testid="rule-delete"
              >
                Delete
              </button>
              <button
                type="button"
                aria-label={`Move ${name} up`}
                title="Move up: applies earlier"
                disabled={index === 0}
                onClick={() => onMove(rule.id, -1)}
                data-testid="rule-up"
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move ${name} down`}
                title="Move down: applies later"
                disabled={index === rules.length - 1}
                onClick={() => onMove(rule.id, 1)}
                data-testid="rule-down"
              >
                ↓
              </button>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
