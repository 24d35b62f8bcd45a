import { MAX_RULES, type SocketRule } from '../protocol/socket-rules';
import { validateRule } from './validate-rule';

/**
 * The rule list as extension storage keeps it (under RULES_STORAGE_KEY). Storage is read back
 * as untrusted: another version of the extension, or a hand edit, may have written it.
 */

/** The valid rules of a stored list, in order, at most MAX_RULES; anything else is skipped. */
export function rulesFromStorage(stored: unknown): SocketRule[] {
  if (!Array.isArray(stored)) return [];
  const rules: SocketRule[] = [];
  for (const entry of stored) {
    if (rules.length === MAX_RULES) break;
    const checked = validateRule(entry);
    if ('rule' in checked) rules.push(checked.rule);
  }
  return withUniqueIds(rules);
}

/** 128 random bits as hex: no two rules of any list, file or device share one. */
export function newRuleId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A rule to edit: harmless until changed (a one-second delay of what the page sends). */
export function newRule(): SocketRule {
  return {
    id: newRuleId(),
    name: 'New rule',
    enabled: true,
    urlPattern: '',
    direction: 'outgoing',
    payload: { kind: 'any' },
    action: { type: 'delay', delayMs: 1000 },
  };
}

/**
 * The rules with a fresh id for each one whose id an earlier rule has: the panel edits, moves
 * and deletes by id, and one id for two rules would make one edit touch both.
 */
export function withUniqueIds(rules: readonly SocketRule[]): SocketRule[] {
  const seen = new Set<string>();
  return rules.map((rule) => {
    const unique = seen.has(rule.id) ? { ...rule, id: newRuleId() } : rule;
    seen.add(unique.id);
    return unique;
  });
}
