import { MAX_RULES, type SocketRule } from '../../protocol/socket-rules';
import { newRuleId } from '../../rules/rules-storage';

/** The list with `rule` in place of the one with its id, or added at the end if none has it. */
export function withRule(rules: readonly SocketRule[], rule: SocketRule): SocketRule[] {
  const index = rules.findIndex((each) => each.id === rule.id);
  if (index < 0) return [...rules, rule];
  return rules.map((each, at) => (at === index ? rule : each));
}

export function withoutRule(rules: readonly SocketRule[], id: string): SocketRule[] {
  return rules.filter((rule) => rule.id !== id);
}

export function withEnabled(
  rules: readonly SocketRule[],
  id: string,
  enabled: boolean,
): SocketRule[] {
  return rules.map((rule) => (rule.id === id ? { ...rule, enabled } : rule));
}

/** The list with the rule `id` moved `by` places (-1 up, 1 down); unchanged at either end. */
export function moved(rules: readonly SocketRule[], id: string, by: -1 | 1): SocketRule[] {
  const from = rules.findIndex((rule) => rule.id === id);
  const to = from + by;
  if (from < 0 || to < 0 || to >= rules.length) return [...rules];
  const next = [...rules];
  [next[from], next[to]] = [next[to]!, next[from]!];
  return next;
}

/**
 * Imported rules after the existing ones, each with an id of its own (a file exported from
 * this list again would repeat them); refused beyond MAX_RULES.
 */
export function withImported(
  rules: readonly SocketRule[],
  imported: readonly SocketRule[],
): { rules: SocketRule[] } | { error: string } {
  const total = rules.length + imported.length;
  if (total > MAX_RULES) {
    return {
      error: `The file has ${imported.length} rules and the list ${rules.length}: together more than the ${MAX_RULES} rules kept. Nothing was imported.`,
    };
  }
  const ids = new Set(rules.map((rule) => rule.id));
  const added = imported.map((rule) => {
    const id = ids.has(rule.id) ? newRuleId() : rule.id;
    ids.add(id);
    return id === rule.id ? rule : { ...rule, id };
  });
  return { rules: [...rules, ...added] };
}
