import { MAX_RULES, type SocketRule } from '../protocol/socket-rules';
import { RULE_LIMITS, validateRule } from './validate-rule';

/**
 * The rule list as extension storage keeps it (under RULES_STORAGE_KEY). Storage is read back
 * as untrusted: another version of the extension, or a hand edit, may have written it.
 */

/**
 * A stored entry that is no valid rule, now (a check this version added, such as a URL pattern
 * no socket could match, or a hand edit): not applied, and kept in storage as it was, so that
 * the user can see why and fix it.
 */
export interface SetAsideRule {
  /** The entry as storage holds it. */
  stored: unknown;
  /** Why it is not applied, naming the rule (validateRule's words). */
  reason: string;
  /** The rule to fix in the form, when all that is wrong is its URL pattern; else null. */
  editable: SocketRule | null;
}

/** A stored list: its valid rules, in order, at most MAX_RULES, and the entries set aside. */
export function readStoredRules(stored: unknown): {
  rules: SocketRule[];
  setAside: SetAsideRule[];
} {
  if (!Array.isArray(stored)) return { rules: [], setAside: [] };
  const rules: SocketRule[] = [];
  const setAside: SetAsideRule[] = [];
  for (const entry of stored) {
    const checked = validateRule(entry);
    if ('error' in checked) {
      setAside.push({ stored: entry, reason: checked.error, editable: editableOf(entry) });
    } else if (rules.length < MAX_RULES) rules.push(checked.rule);
  }
  const valid = withUniqueIds(rules);
  const ids = new Set(valid.map(({ id }) => id));
  for (const each of setAside) {
    // Fixed, it joins the list: under an id of its own.
    if (each.editable && ids.has(each.editable.id)) each.editable.id = newRuleId();
  }
  return { rules: valid, setAside };
}

/** The valid rules of a stored list, in order, at most MAX_RULES; anything else is skipped. */
export function rulesFromStorage(stored: unknown): SocketRule[] {
  return readStoredRules(stored).rules;
}

/** The entry as a rule with its URL pattern as stored, if that pattern is all that is wrong. */
function editableOf(entry: unknown): SocketRule | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const { urlPattern } = entry as { urlPattern?: unknown };
  if (typeof urlPattern !== 'string' || urlPattern.length > RULE_LIMITS.urlPattern) return null;
  const checked = validateRule({ ...entry, urlPattern: '' });
  return 'rule' in checked ? { ...checked.rule, urlPattern } : null;
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
