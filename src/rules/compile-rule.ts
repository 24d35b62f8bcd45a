import type { HookRule, JsonPath, RuleAction, SocketRule } from '../protocol/socket-rules';
import { decodedMatch } from './decoded-match';
import { parseJsonPath } from './json-path';
import { parseTemplate } from './reply-template';
import { escapeRegExp, globToRegexSource } from './url-glob';
import { validateRule } from './validate-rule';

/**
 * Rules as the page hook applies them: everything the user typed (globs, paths, templates, JSON)
 * parsed here, in the extension, so that the page's world parses nothing but frames.
 */

/** Throws on an invalid rule: pass only what validateRule accepted. */
export function compileRule(rule: SocketRule): HookRule {
  const { payload } = rule;
  return {
    name: rule.name,
    urlRegex: globToRegexSource(rule.urlPattern),
    direction: rule.direction,
    match:
      payload.kind === 'decoded'
        ? decodedMatch(payload.field, payload.equals)
        : payload.kind === 'json'
          ? { kind: 'json', path: pathOf(payload.path), equals: primitive(payload.equals) }
          : payload.kind === 'regex'
            ? { kind: 'regex', pattern: payload.pattern, flags: payload.flags }
            : payload.kind === 'text'
              ? { kind: 'text', text: payload.text }
              : { kind: 'any' },
    action: compileAction(rule.action),
  };
}

function compileAction(action: RuleAction): HookRule['action'] {
  switch (action.type) {
    case 'reply': {
      const parsed = parseTemplate(action.template);
      if ('error' in parsed) throw new Error(parsed.error);
      const reply = { type: 'reply' as const, template: parsed.parts, delayMs: action.delayMs };
      return action.atOpen ? { ...reply, atOpen: true } : reply;
    }
    case 'rewrite':
      // A text find is replaced by text: `$` in its replacement is no group reference.
      return action.regex
        ? { type: 'rewrite', find: action.find, flags: 'g', replace: action.replace }
        : {
            type: 'rewrite',
            find: escapeRegExp(action.find),
            flags: 'g',
            replace: action.replace.replaceAll('$', '$$$$'),
          };
    case 'rewrite-json':
      return { type: 'rewrite-json', path: pathOf(action.path), value: action.value };
    default:
      return { ...action }; // drop, delay, close, fail, throttle: the same fields
  }
}

function primitive(json: string): string | number | boolean | null {
  return JSON.parse(json) as string | number | boolean | null;
}

function pathOf(text: string): JsonPath {
  const parsed = parseJsonPath(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.path;
}

/** What the hook is sent: the enabled rules that pass validateRule, compiled, in list order. */
export function hookRulesOf(rules: readonly SocketRule[]): HookRule[] {
  const compiled: HookRule[] = [];
  for (const rule of rules) {
    const checked = validateRule(rule);
    if ('rule' in checked && checked.rule.enabled) compiled.push(compileRule(checked.rule));
  }
  return compiled;
}
