import { describe, expect, it } from 'vitest';
import { isWellFormedUtf8, utf8OrUndefined } from '../../../src/decoders/bytes-text';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const strictlyValid = (bytes: Uint8Array) => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('UTF-8 well-formedness', () => {
  it('agrees with the strict TextDecoder on edge cases', () => {
    const cases = [
      [],
      [0x41],
      [0xc2, 0x80],
      [0xc1, 0xbf], // overlong
      [0xe0, 0x9f, 0x80], // overlong
      [0xe0, 0xa0, 0x80],
      [0xed, 0xa0, 0x80], // surrogate
      [0xed, 0x9f, 0xbf],
      [0xf0, 0x8f, 0xbf, 0xbf], // overlong
      [0xf0, 0x90, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf5, 0x80, 0x80, 0x80],
      [0xe2, 0x82], // truncated
      [0x80],
      [0xef, 0xbb, 0xbf, 0x41], // byte order mark
    ];
    for (const bytes of cases) {
      const array = Uint8Array.from(bytes);
      expect(isWellFormedUtf8(array), bytes.join(' ')).toBe(strictlyValid(array));
    }
    expect(utf8OrUndefined(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA');
  });

  it('agrees with the strict TextDecoder on random bytes', () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Mostly multi-byte leads and continuations, so that valid sequences also occur.
    const pool = [
      0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5,
    ];
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => pool[Math.floor(next() * pool.length)]!,
      );
      expect(isWellFormedUtf8(bytes)).toBe(strictlyValid(bytes));
    }
  });
});
