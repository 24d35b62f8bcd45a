/**
 * proto2's `[default = …]`, checked against the field's resolved type as protoc checks it. The
 * decoder shows only what is on the wire, as `protoc --decode` does, so defaults are never
 * shown; a wrong one is still an error, since protoc would not have compiled the file.
 */

import { fail } from './byte-cursor';
import type { FieldDef, RawDefault, RawEnum, ScalarType } from './proto-types';

const INTEGER_BOUNDS: Partial<Record<ScalarType, [bigint, bigint]>> = {};
for (const [types, low, high] of [
  [['int32', 'sint32', 'sfixed32'], -(2n ** 31n), 2n ** 31n - 1n],
  [['uint32', 'fixed32'], 0n, 2n ** 32n - 1n],
  [['int64', 'sint64', 'sfixed64'], -(2n ** 63n), 2n ** 63n - 1n],
  [['uint64', 'fixed64'], 0n, 2n ** 64n - 1n],
] as const) {
  for (const type of types) INTEGER_BOUNDS[type] = [low, high];
}

/** Decimal, hex or octal, as `.proto` integers are written; undefined for anything else. */
function integerOf(text: string): bigint | undefined {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]*$/.test(text)) return BigInt(`0o${text.slice(1) || '0'}`);
  if (/^[1-9][0-9]*$/.test(text)) return BigInt(text);
  return undefined;
}

const FLOAT = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const FLOAT_WORDS = new Set(['inf', 'infinity', 'nan']);

export function checkDefault(
  raw: RawDefault,
  field: FieldDef,
  enumValues: RawEnum['values'] | undefined,
): void {
  const problem = defaultProblem(raw, field, enumValues);
  if (problem) fail(`${raw.where}: field ${field.name}: ${problem}`);
}

function defaultProblem(
  raw: RawDefault,
  field: FieldDef,
  enumValues: RawEnum['values'] | undefined,
): string | undefined {
  if (field.label === 'repeated') return 'a repeated field takes no default';
  const { type } = field;
  const shown = `${raw.negative ? '-' : ''}${raw.text.slice(0, 40)}`;
  if (type.kind === 'message') return 'a message field takes no default';
  if (type.kind === 'enum') {
    const known =
      !raw.negative && raw.kind === 'ident' && enumValues?.some((value) => value.name === raw.text);
    return known ? undefined : `default '${shown}' is not a value of ${type.name}`;
  }
  const scalar = type.scalar;
  if (scalar === 'string' || scalar === 'bytes') {
    return raw.kind === 'string' ? undefined : `a ${scalar} default is written in quotes`;
  }
  if (scalar === 'bool') {
    const valid =
      raw.kind === 'ident' && !raw.negative && (raw.text === 'true' || raw.text === 'false');
    return valid ? undefined : `default '${shown}' is not true or false`;
  }
  if (scalar === 'float' || scalar === 'double') {
    const valid =
      (raw.kind === 'number' && (FLOAT.test(raw.text) || integerOf(raw.text) !== undefined)) ||
      (raw.kind === 'ident' && FLOAT_WORDS.has(raw.text.toLowerCase()));
    return valid ? undefined : `default '${shown}' is not a number`;
  }
  const value = raw.kind === 'number' ? integerOf(raw.text) : undefined;
  const [low, high] = INTEGER_BOUNDS[scalar]!;
  const signed = value === undefined ? undefined : raw.negative ? -value : value;
  if (signed === undefined || signed < low || signed > high) {
    return `default '${shown}' is not a valid ${scalar}`;
  }
  return undefined;
}
