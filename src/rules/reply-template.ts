import type { TemplatePart } from '../protocol/socket-rules';
import { parseJsonPath, valueAtPath } from './json-path';

/**
 * Reply templates: `$0`…`$9` (a match's groups), `{{ path }}` (a value of the matched JSON
 * frame) and literal text. Escapes: `$$` is a literal `$`, `${{` a literal `{{`; any other `$`
 * is literal. Only one digit follows `$` (`$10` is group 1 then "0"). The first `}}` ends a
 * `{{`, so a path cannot name a key containing `}}`.
 */

export type ParsedTemplate = { parts: TemplatePart[] } | { error: string };

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === '$' && next === '$') {
      literal += '$';
      i += 2;
    } else if (char === '$' && next !== undefined && next >= '0' && next <= '9') {
      flush();
      parts.push({ group: Number(next) });
      i += 2;
    } else if (char === '$' && next === '{' && text[i + 2] === '{') {
      literal += '{{';
      i += 3;
    } else if (char === '{' && next === '{') {
      const end = text.indexOf('}}', i + 2);
      if (end < 0) {
        return {
          error: `"{{" at ${i + 1} is never closed by "}}" (write "\${{" for a literal "{{")`,
        };
      }
      const parsed = parseJsonPath(text.slice(i + 2, end).trim());
      if ('error' in parsed) return { error: `In "{{" at ${i + 1}: ${parsed.error}` };
      flush();
      parts.push({ path: parsed.path });
      i = end + 2;
    } else {
      // Copy the run up to the next character that could start something.
      let end = i + 1;
      while (end < text.length && text[end] !== '$' && text[end] !== '{') end++;
      literal += text.slice(i, end);
      i = end;
    }
  }
  flush();
  return { parts };
}

/** A template whose only part is `text` (what a recorded frame becomes in a mock reply). */
export function escapeTemplateText(text: string): string {
  return text.replace(/\$|\{\{/g, (found) => (found === '$' ? '$$' : '${{'));
}

/**
 * The reply a template makes: the panel's preview, and the reference the page hook's renderer
 * (capture/rule-matching.ts) is tested against. A missing group or value gives ''; a string
 * value is inserted as is, any other as JSON text.
 */
export function renderTemplate(
  parts: readonly TemplatePart[],
  groups: readonly (string | undefined)[],
  root: unknown,
): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if ('group' in part) text += groups[part.group] ?? '';
    else text += jsonText(valueAtPath(root, part.path));
  }
  return text;
}

function jsonText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return ''; // a BigInt or a cycle: not a value JSON.parse could have made
  }
}
