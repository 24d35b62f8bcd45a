import { MAX_RULES, type SocketRule } from '../protocol/socket-rules';
import { withUniqueIds } from './rules-storage';
import { checkRule } from './validate-rule';

/**
 * Rules files, to share rules between browsers and people. The format and version fields let a
 * later Sockscope read an older file or refuse a newer one in words; a bare array of rules is
 * read too (hand-written files, or the stored list copied out).
 */

export const RULES_FILE_FORMAT = 'sockscope-rules';
export const RULES_FILE_VERSION = 1;

export type ParsedRulesFile = { rules: SocketRule[] } | { error: string };

export function rulesFileText(rules: readonly SocketRule[]): string {
  const file = { format: RULES_FILE_FORMAT, version: RULES_FILE_VERSION, rules };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Every rule checked; ids already used in the file are replaced, so none is lost on import. */
export function parseRulesFile(text: string): ParsedRulesFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `Not a rules file: ${(error as Error).message}` };
  }
  const list = rulesOf(parsed);
  if ('error' in list) return list;
  if (list.rules.length > MAX_RULES) {
    return { error: `The file has ${list.rules.length} rules, more than the ${MAX_RULES} kept.` };
  }
  const rules: SocketRule[] = [];
  for (const [index, entry] of list.rules.entries()) {
    const checked = checkRule(entry);
    if (!('rule' in checked)) {
      const named = checked.name === null ? '' : ` ("${checked.name}")`;
      return { error: `Rule ${index + 1}${named}: ${checked.problem}.` };
    }
    rules.push(checked.rule);
  }
  return { rules: withUniqueIds(rules) };
}

/**
 * The list of a parsed file. JSON.parse makes own data properties only, but a missing one would
 * be looked up on Object.prototype: hence Object.hasOwn.
 */
function rulesOf(file: unknown): { rules: unknown[] } | { error: string } {
  if (Array.isArray(file)) return { rules: file };
  if (typeof file !== 'object' || file === null) {
    return { error: 'Not a rules file: it holds neither an object nor a list of rules.' };
  }
  const own = (key: string) =>
    Object.hasOwn(file, key) ? (file as Record<string, unknown>)[key] : undefined;
  const [format, version, rules] = [own('format'), own('version'), own('rules')];
  if (format !== RULES_FILE_FORMAT) {
    return { error: `Not a rules file: its "format" is not "${RULES_FILE_FORMAT}".` };
  }
  if (version !== RULES_FILE_VERSION) {
    return typeof version === 'number' && version > RULES_FILE_VERSION
      ? {
          error: `The file is version ${version} of rules files; this Sockscope reads ${RULES_FILE_VERSION}.`,
        }
      : { error: `Not a rules file: its "version" is not ${RULES_FILE_VERSION}.` };
  }
  if (!Array.isArray(rules)) return { error: 'Not a rules file: its "rules" is not a list.' };
  return { rules };
}
