/**
 * Options in `.proto` source: `option name = value;` statements and `[name = value, …]` lists
 * after fields. Their names and values are read so that the few that change decoding (editions'
 * features, `packed`, `default`) can be applied; the rest, custom options with aggregate
 * `{ … }` values included, are read past without being understood.
 */

import type { Token } from './proto-lexer';
import type { TokenReader } from './proto-tokens';

export interface OptionValue {
  kind: 'ident' | 'number' | 'string';
  text: string;
  negative: boolean;
}

export interface OptionAssignment {
  /** As written, parentheses kept: `features.enum_type`, `(my.ext).field`. */
  name: string;
  /** Undefined for an aggregate `{ … }` value. */
  value: OptionValue | undefined;
  /** The value's first token, for errors. */
  at: Token;
}

/** `name = value` (without `option` or `;`). */
export function readOption(lex: TokenReader): OptionAssignment {
  const parts: string[] = [];
  do {
    if (lex.accept('(')) {
      parts.push(`(${lex.typeName(true)})`);
      lex.expect(')');
    } else parts.push(lex.ident('an option name'));
  } while (lex.accept('.'));
  lex.expect('=');
  const at = lex.peek();
  if (at.text === '{' && at.kind === 'symbol') {
    lex.skipBalanced(undefined);
    return { name: parts.join('.'), value: undefined, at };
  }
  const negative = lex.accept('-');
  const token = lex.peek();
  let value: OptionValue;
  if (token.kind === 'string') value = { kind: 'string', text: lex.string(), negative };
  else if (token.kind === 'ident' || token.kind === 'number') {
    value = { kind: token.kind, text: lex.next().text, negative };
  } else return lex.error('expected an option value');
  return { name: parts.join('.'), value, at };
}

/** `[a = 1, b = 2]` after a field or enum value; none when no bracket follows. */
export function readOptionList(lex: TokenReader): OptionAssignment[] {
  if (!lex.accept('[')) return [];
  const options: OptionAssignment[] = [];
  do options.push(readOption(lex));
  while (lex.accept(','));
  lex.expect(']');
  return options;
}
