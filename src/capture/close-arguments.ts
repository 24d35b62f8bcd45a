import { nullArray } from './page-builtins';
import { convertString, isObject, toPrimitive } from './webidl-conversions';

/**
 * `close(code, reason)` as WebIDL converts it: `[Clamp] optional unsigned short code`, then
 * `optional USVString reason`, each read once, page code (a valueOf, a toString) run once and in
 * that order. The native close is given the converted values (or a stand-in that fails the same
 * way without page code, see webidl-conversions.ts), and the record shows what it was given.
 */
export interface CloseArguments {
  /** What the native close is given, as many as the page passed. */
  nativeArgs: unknown[];
  /** The code as the browser reads it (clamped and rounded), or null when absent. */
  code: number | null;
  /** The reason as a string, '' when absent. */
  reason: string;
}

export function convertCloseArguments(args: readonly unknown[]): CloseArguments {
  const nativeArgs = nullArray<unknown>();
  let code: number | null = null;
  let reason = '';
  if (args.length > 0) {
    const converted = convertNumber(args[0]);
    if (converted.standIn !== undefined) {
      nativeArgs[0] = converted.standIn;
      return { nativeArgs, code, reason };
    }
    nativeArgs[0] = converted.value;
    if (converted.value !== undefined) code = clampToUnsignedShort(converted.value);
  }
  if (args.length > 1) {
    // An undefined reason is absent, as WebIDL has it: passed on as it is.
    nativeArgs[1] = undefined;
    if (args[1] !== undefined) {
      const converted = convertString(args[1]);
      if (converted.text === undefined) {
        nativeArgs[1] = converted.standIn;
        return { nativeArgs, code, reason };
      }
      nativeArgs[1] = reason = converted.text;
    }
  }
  return { nativeArgs, code, reason };
}

type ConvertedNumber =
  | { value: number | undefined; standIn?: undefined }
  | { value?: undefined; standIn: unknown };

/** ToNumber with its ToPrimitive (hint "number") spelled out; undefined stays absent. */
function convertNumber(value: unknown): ConvertedNumber {
  if (value === undefined) return { value: undefined };
  if (typeof value === 'number') return { value };
  // A Symbol or BigInt: the native conversion throws its own TypeError, running no page code.
  if (typeof value === 'symbol' || typeof value === 'bigint') return { standIn: value };
  if (!isObject(value)) return { value: +(value as string) };
  const converted = toPrimitive(value, 'number');
  if (converted.standIn !== undefined) return { standIn: converted.standIn };
  const { primitive } = converted;
  if (typeof primitive === 'symbol' || typeof primitive === 'bigint') return { standIn: primitive };
  return { value: +(primitive as string) };
}

/** WebIDL [Clamp] for unsigned short: NaN is 0, ties round to even. */
function clampToUnsignedShort(value: number): number {
  // NaN, negatives and -0 are +0.
  if (!(value > 0)) return 0;
  const clamped = value > 65535 ? 65535 : value;
  const floor = clamped - (clamped % 1);
  const fraction = clamped - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
