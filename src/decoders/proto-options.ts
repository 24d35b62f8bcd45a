/**
 * Options in `.proto` source: `option name = value;` statements and `[name = value, …]` lists
 * after fields. Their names and values are read so that the few that change decoding (editions'
 * features, `packed`, `default`) can be applied; the rest, custom options with aggregate
 * `{ … }` values included, are read past without being understood (a `features = { … }`
 * aggregate is read: it sets features as `features.x = Y` does).
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
  /** An aggregate's `name: value` settings (only read for `features`, where they matter). */
  settings?: OptionAssignment[];
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
  if (lex.isNext('{')) {
    const name = parts.join('.');
    if (name !== 'features') {
      lex.skipBalanced(undefined);
      return { name, value: undefined, at };
    }
    return { name, value: undefined, at, settings: readAggregate(lex) };
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

/**
 * A text-format aggregate from its `{`: `name: value` settings, separated by nothing, `,` or `;`.
 * Extensions (`[pkg.ext]: …`) and message values (`name { … }`) are read past: no feature that
 * decoding uses is one.
 */
function readAggregate(lex: TokenReader): OptionAssignment[] {
  lex.expect('{');
  const settings: OptionAssignment[] = [];
  while (!lex.accept('}')) {
    if (lex.accept('[')) {
      lex.skipBalanced(']');
      skipAggregateValue(lex);
    } else {
      const name = lex.ident('a feature name');
      const at = lex.peek();
      if (lex.accept(':') && !lex.isNext('{')) {
        const valueAt = lex.peek();
        if (valueAt.kind !== 'ident') lex.error(`${name} takes a value name`, valueAt);
        settings.push({
          name,
          value: { kind: 'ident', text: lex.next().text, negative: false },
          at: valueAt,
        });
      } else {
        if (!lex.isNext('{')) lex.error(`expected ':' after ${name}`, at);
        lex.skipBalanced(undefined);
      }
    }
    if (!lex.accept(',')) lex.accept(';');
  }
  return settings;
}

/** After an extension's `[…]`: `: value` or a `{ … }` message. */
function skipAggregateValue(lex: TokenReader): void {
  lex.accept(':');
  if (lex.isNext('{')) lex.skipBalanced(undefined);
  else lex.next();
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
