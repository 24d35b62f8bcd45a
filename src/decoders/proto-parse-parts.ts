/**
 * Pieces of `.proto` source that stand on their own: `reserved` and `extensions` ranges, enum
 * bodies, and the options that change decoding (features, `packed`, `default`).
 */

import {
  type FeatureOverrides,
  type FeatureTarget,
  isEditions,
  setFeature,
} from './proto-features';
import { type OptionAssignment, readOption, readOptionList } from './proto-options';
import type { TokenReader } from './proto-tokens';
import { MAX_FIELD_NUMBER, type RawEnum, type RawField } from './proto-types';

/** Counts shared by all files parsed together, for the overall limits. */
export interface ParseBudget {
  types: number;
  members: number;
}

/** An `option …;` statement: only features matter to decoding. */
export function readStatementOption(
  lex: TokenReader,
  own: FeatureOverrides,
  syntax: string,
  on: FeatureTarget,
): void {
  applyFeature(lex, readOption(lex), own, syntax, on);
  lex.expect(';');
}

/** `features.x = Y` into `own`; true when the option was a feature. */
function applyFeature(
  lex: TokenReader,
  option: OptionAssignment,
  own: FeatureOverrides,
  syntax: string,
  on: FeatureTarget,
): boolean {
  if (option.name !== 'features' && !option.name.startsWith('features.')) return false;
  if (!isEditions(syntax)) lex.error(`'${option.name}' needs editions, not ${syntax}`, option.at);
  // `features = { a: X, b: Y }` sets several at once.
  if (option.name === 'features' && option.value === undefined) {
    for (const setting of option.settings ?? []) {
      const problem = setFeature(own, setting.name, setting.value!.text, on);
      if (problem) lex.error(problem, setting.at);
    }
    return true;
  }
  const { value } = option;
  if (value?.kind !== 'ident' || value.negative) {
    lex.error(`${option.name} takes a value name`, option.at);
  }
  const problem = setFeature(own, option.name.slice('features.'.length), value.text, on);
  if (problem) lex.error(problem, option.at);
  return true;
}

/** A field's `[…]` options: features, `packed` (before editions) and `default`. */
export function readFieldOptions(
  lex: TokenReader,
  field: RawField,
  own: FeatureOverrides,
  syntax: string,
): void {
  for (const option of readOptionList(lex)) {
    if (applyFeature(lex, option, own, syntax, 'field')) continue;
    const { value, at } = option;
    if (option.name === 'packed') {
      if (isEditions(syntax)) lex.error('use features.repeated_field_encoding, not packed', at);
      if (value?.kind !== 'ident' || !['true', 'false'].includes(value.text) || value.negative) {
        lex.error('packed takes true or false', at);
      }
      own.repeatedFieldEncoding = value.text === 'true' ? 'PACKED' : 'EXPANDED';
    } else if (option.name === 'default') {
      if (syntax === 'proto3') lex.error('proto3 fields take no default', at);
      if (!value) lex.error('a default is a single value', at);
      field.defaultValue = { ...value, where: lex.where(at) };
    }
  }
}

/** `reserved 2, 9 to 11, 40 to max;` or `reserved "a", "b";` (editions: bare names). */
export function readReserved(
  lex: TokenReader,
  numbers: Array<[number, number]>,
  names: string[],
  max: number,
): void {
  do {
    const token = lex.peek();
    if (token.kind === 'string' || token.kind === 'ident') {
      names.push(lex.next().text);
      continue;
    }
    readRange(lex, numbers, max);
  } while (lex.accept(','));
  lex.expect(';');
}

/** `extensions 100 to 199, 500 to max [declaration = …];` */
export function readExtensionRanges(lex: TokenReader, ranges: Array<[number, number]>): void {
  do readRange(lex, ranges, MAX_FIELD_NUMBER);
  while (lex.accept(','));
  readOptionList(lex);
  lex.expect(';');
}

function readRange(lex: TokenReader, ranges: Array<[number, number]>, max: number): void {
  const token = lex.peek();
  const low = signedInteger(lex, 'a range start');
  let high = low;
  if (lex.peek().text === 'to') {
    lex.next();
    if (lex.peek().text === 'max') {
      lex.next();
      high = max;
    } else high = signedInteger(lex, 'a range end');
  }
  if (high < low) lex.error(`range ${low} to ${high} is empty`, token);
  ranges.push([low, high]);
}

function signedInteger(lex: TokenReader, what: string): number {
  const negative = lex.accept('-');
  return lex.integer(what) * (negative ? -1 : 1);
}

/** An enum's body, from its `{`; `own` takes its `option features…`. */
export function readEnumBody(
  lex: TokenReader,
  enumType: RawEnum,
  own: FeatureOverrides,
  syntax: string,
  countMember: () => void,
): void {
  lex.expect('{');
  while (!lex.accept('}')) {
    if (lex.accept(';')) continue;
    const token = lex.peek();
    if (token.kind === 'eof') lex.error(`enum ${enumType.fullName} is not closed`);
    if (token.text === 'option') {
      lex.next();
      readStatementOption(lex, own, syntax, 'enum');
    } else if (token.text === 'reserved' && lex.peek(1).text !== '=') {
      lex.next();
      readReserved(lex, [], [], 2 ** 31 - 1);
    } else {
      countMember();
      const name = lex.ident('an enum value name');
      lex.expect('=');
      const number = signedInteger(lex, 'an enum value');
      if (number < -(2 ** 31) || number >= 2 ** 31)
        lex.error(`enum value ${number} is not an int32`);
      enumType.values.push({ name, number });
      readOptionList(lex);
      lex.expect(';');
    }
  }
}
