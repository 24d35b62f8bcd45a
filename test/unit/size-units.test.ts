import { describe, expect, it } from 'vitest';
import {
  formatSize,
  MAX_SIZE,
  parseCount,
  parseSize,
  wholeUnit,
} from '../../src/session/size-units';

const bytes = (text: string, unit: Parameters<typeof parseSize>[1] = 'MiB') => {
  const parsed = parseSize(text, unit);
  return parsed.ok ? parsed.value : parsed.error;
};

describe('parseSize', () => {
  it('reads a bare number in the field unit', () => {
    expect(bytes('16', 'MiB')).toBe(16 * 1024 * 1024);
    expect(bytes('16', 'KiB')).toBe(16 * 1024);
    expect(bytes(' 512 ', 'B')).toBe(512);
  });

  it('lets a typed unit win over the field unit, in any case, with or without a space', () => {
    expect(bytes('16 MiB', 'KiB')).toBe(16 * 1024 * 1024);
    expect(bytes('16mib', 'B')).toBe(16 * 1024 * 1024);
    expect(bytes('2 GIB', 'KiB')).toBe(2 * 1024 ** 3);
    expect(bytes('4096 bytes', 'GiB')).toBe(4096);
    expect(bytes('1 byte', 'GiB')).toBe(1);
    expect(bytes('300b', 'GiB')).toBe(300);
  });

  it('takes decimals and rounds to a whole byte', () => {
    expect(bytes('1.5 MiB')).toBe(1.5 * 1024 * 1024);
    expect(bytes('.5 KiB')).toBe(512);
    expect(bytes('0.3 KiB')).toBe(307);
    expect(bytes('1.5', 'B')).toBe('Bytes must be a whole number.');
  });

  it('refuses empty, negative, zero and too small', () => {
    expect(bytes('')).toBe('Enter a size, such as 16 MiB.');
    expect(bytes('   ')).toBe('Enter a size, such as 16 MiB.');
    expect(bytes('-1 MiB')).toBe('Must be more than 0.');
    expect(bytes('0')).toBe('Must be more than 0.');
    expect(bytes('0.0001 KiB')).toBe('Must be at least 1 byte.');
  });

  it('refuses what is too large', () => {
    expect(bytes('1024 GiB')).toBe(MAX_SIZE);
    expect(bytes('1025 GiB')).toBe('Too large: at most 1024 GiB.');
    expect(bytes('99999999999999999999')).toBe('Too large: at most 1024 GiB.');
    expect(parseSize('2 KiB', 'B', 1024)).toEqual({
      ok: false,
      error: 'Too large: at most 1 KiB.',
    });
  });

  it('refuses text that is not a size, and says why', () => {
    expect(bytes('abc')).toBe('"abc" is not a size.');
    expect(bytes('MiB')).toBe('"MiB" is not a size.');
    expect(bytes('1e3')).toBe('"1e3" is not a size.');
    expect(bytes('1 2 MiB')).toBe('"1 2 MiB" is not a size.');
    expect(bytes('16 MB')).toBe('Use KiB, MiB or GiB (1 KiB = 1024 bytes), not MB.');
    expect(bytes('16k')).toBe('Use KiB, MiB or GiB (1 KiB = 1024 bytes), not k.');
    expect(bytes('16 TiB')).toBe('Unknown unit "TiB": use B, KiB, MiB or GiB.');
  });
});

describe('parseCount', () => {
  it('reads whole counts, with or without thousands separators', () => {
    expect(parseCount('100000')).toEqual({ ok: true, value: 100_000 });
    expect(parseCount(' 100,000 ')).toEqual({ ok: true, value: 100_000 });
    expect(parseCount('1_000_000')).toEqual({ ok: true, value: 1_000_000 });
  });

  it('refuses empty, negative, fractions, words and too large', () => {
    expect(parseCount('')).toMatchObject({ ok: false, error: 'Enter a number, such as 100000.' });
    expect(parseCount('-5')).toMatchObject({ ok: false, error: 'Must be more than 0.' });
    expect(parseCount('1.5')).toMatchObject({ ok: false, error: 'Must be a whole number.' });
    expect(parseCount('ten')).toMatchObject({ ok: false, error: '"ten" is not a number.' });
    expect(parseCount('11', 10)).toMatchObject({ ok: false, error: 'Too large: at most 10.' });
  });
});

describe('wholeUnit and formatSize', () => {
  it('use the largest unit that keeps the value whole', () => {
    expect(formatSize(16 * 1024 * 1024)).toBe('16 MiB');
    expect(formatSize(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatSize(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatSize(1536 * 1024)).toBe('1536 KiB');
    expect(formatSize(1000)).toBe('1000 B');
    expect(wholeUnit(1024)).toEqual({ amount: 1, unit: 'KiB' });
    expect(wholeUnit(0)).toEqual({ amount: 0, unit: 'B' });
  });

  it('round-trips with parseSize', () => {
    for (const value of [1, 1000, 1024, 1536 * 1024, 16 * 1024 * 1024, 3 * 1024 ** 3]) {
      expect(parseSize(formatSize(value), 'B')).toEqual({ ok: true, value });
    }
  });
});
