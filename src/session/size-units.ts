/**
 * Sizes as people read and type them ("16 MiB", "1.5 kib", "512"), and the byte counts the limits
 * hold. Binary units only: 1 KiB is 1024 bytes. "KB" and "MB" are refused rather than guessed,
 * because people mean either 1000 or 1024 by them.
 */
export const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB'] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number];

export const UNIT_BYTES: Readonly<Record<SizeUnit, number>> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

/** More than any browser holds in memory: beyond it, input is a typo. */
export const MAX_SIZE = 1024 * UNIT_BYTES.GiB;

export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/** Spellings accepted for each unit, lowercased. */
const UNIT_NAMES: Record<string, SizeUnit> = {
  b: 'B',
  byte: 'B',
  bytes: 'B',
  kib: 'KiB',
  mib: 'MiB',
  gib: 'GiB',
};

const AMBIGUOUS = /^(k|m|g)b?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * Bytes from text such as "16 MiB", "1.5kib", "4096 bytes", or a bare number in `unit`. Fractions
 * of a byte are rounded; the result is at least 1 byte and at most `max`.
 */
export function parseSize(text: string, unit: SizeUnit, max = MAX_SIZE): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'Enter a size, such as 16 MiB.' };
  const match = /^(.*?)\s*([a-z]+)$/i.exec(trimmed);
  let numberText = trimmed;
  let chosen = unit;
  if (match) {
    const name = match[2]!.toLowerCase();
    const named = UNIT_NAMES[name];
    if (match[1] === '') return { ok: false, error: `"${trimmed}" is not a size.` };
    if (!named) {
      return {
        ok: false,
        error: AMBIGUOUS.test(name)
          ? `Use KiB, MiB or GiB (1 KiB = 1024 bytes), not ${match[2]}.`
          : `Unknown unit "${match[2]}": use B, KiB, MiB or GiB.`,
      };
    }
    numberText = match[1]!;
    chosen = named;
  }
  if (!NUMBER.test(numberText)) return { ok: false, error: `"${trimmed}" is not a size.` };
  const number = Number(numberText);
  if (number <= 0) return { ok: false, error: 'Must be more than 0.' };
  if (chosen === 'B' && !Number.isInteger(number)) {
    return { ok: false, error: 'Bytes must be a whole number.' };
  }
  const bytes = Math.round(number * UNIT_BYTES[chosen]);
  if (bytes < 1) return { ok: false, error: 'Must be at least 1 byte.' };
  if (bytes > max) return { ok: false, error: `Too large: at most ${formatSize(max)}.` };
  return { ok: true, value: bytes };
}

/** A positive whole count such as "100000" or "100,000". */
export function parseCount(text: string, max = Number.MAX_SAFE_INTEGER): Parsed {
  const trimmed = text.trim().replace(/[,_\s](?=\d{3}(?!\d))/g, '');
  if (trimmed === '') return { ok: false, error: 'Enter a number, such as 100000.' };
  if (!NUMBER.test(trimmed)) return { ok: false, error: `"${text.trim()}" is not a number.` };
  const number = Number(trimmed);
  if (number <= 0) return { ok: false, error: 'Must be more than 0.' };
  if (!Number.isInteger(number)) return { ok: false, error: 'Must be a whole number.' };
  if (number > max) return { ok: false, error: `Too large: at most ${max}.` };
  return { ok: true, value: number };
}

/** The largest unit in which `bytes` is a whole number: 16 MiB, 1536 KiB, 1000 B. */
export function wholeUnit(bytes: number): { amount: number; unit: SizeUnit } {
  for (let index = SIZE_UNITS.length - 1; index > 0; index--) {
    const unit = SIZE_UNITS[index]!;
    if (bytes !== 0 && bytes % UNIT_BYTES[unit] === 0) {
      return { amount: bytes / UNIT_BYTES[unit], unit };
    }
  }
  return { amount: bytes, unit: 'B' };
}

/** "16 MiB", "1536 KiB", "1000 B": exact, in the largest unit that keeps it whole. */
export function formatSize(bytes: number): string {
  const { amount, unit } = wholeUnit(bytes);
  return `${amount} ${unit}`;
}
