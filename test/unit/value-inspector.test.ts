import { describe, expect, it } from 'vitest';
import { formatByteRange, hexDumpCells, hexDumpLine } from '../../src/session/hex-dump';
import { moveSelection, selectionRange } from '../../src/session/hex-selection';
import {
  decodeUtf8At,
  describeUtf8,
  formatFloat32,
  inspectValues,
} from '../../src/session/value-inspector';

const valuesAt = (bytes: number[], offset: number) =>
  Object.fromEntries(
    inspectValues(Uint8Array.from(bytes), offset).map(({ type, little, big }) => [
      type,
      [little, big],
    ]),
  );

describe('inspectValues', () => {
  it('reads integers of every width, signed and unsigned, in both byte orders', () => {
    const values = valuesAt([0xff, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x04, 0x80, 0x99], 0);
    expect(values.int8).toEqual(['-1', '-1']);
    expect(values.uint8).toEqual(['255', '255']);
    expect(values.int16).toEqual([String(-257), String(-2)]); // 0xfeff LE, 0xfffe BE
    expect(values.uint16).toEqual([String(0xfeff), String(0xfffe)]);
    expect(values.int32).toEqual([String(0x0100feff), String(0xfffe0001 | 0)]);
    expect(values.uint32).toEqual([String(0x0100feff), String(0xfffe0001)]);
    expect(values.uint64).toEqual([String(0x80040302_0100feffn), String(0xfffe0001_02030480n)]);
    expect(values.int64).toEqual([
      String(BigInt.asIntN(64, 0x80040302_0100feffn)),
      String(BigInt.asIntN(64, 0xfffe0001_02030480n)),
    ]);
  });

  it('reads at an offset inside a view over a larger buffer', () => {
    const buffer = new Uint8Array([9, 9, 9, 0x34, 0x12, 9]);
    const view = buffer.subarray(2);
    const values = Object.fromEntries(inspectValues(view, 1).map((v) => [v.type, v]));
    expect(values.uint16!.little).toBe(String(0x1234));
    expect(values.uint16!.big).toBe(String(0x3412));
  });

  it('reads floats, float32 as its shortest decimal', () => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat32(0, 1.1, true);
    expect(valuesAt([...bytes], 0).float32![0]).toBe('1.1');
    new DataView(bytes.buffer).setFloat64(0, -2.5, false);
    expect(valuesAt([...bytes], 0).float64![1]).toBe('-2.5');
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Number.NaN)).toBe('NaN');
  });

  it('leaves out types longer than the bytes that remain', () => {
    const values = valuesAt([1, 2, 3], 1);
    expect(values.uint16).toEqual([String(0x0302), String(0x0203)]);
    expect(values.uint32).toEqual([null, null]);
    expect(values.int64).toEqual([null, null]);
    expect(values.float64).toEqual([null, null]);
  });

  it('decodes the UTF-8 character starting at the offset', () => {
    const bytes = new TextEncoder().encode('aé€😀');
    expect(valuesAt([...bytes], 0).utf8![0]).toBe('U+0061 "a" (1 byte)');
    expect(valuesAt([...bytes], 1).utf8![0]).toBe('U+00E9 "é" (2 bytes)');
    expect(valuesAt([...bytes], 3).utf8![0]).toBe('U+20AC "€" (3 bytes)');
    expect(valuesAt([...bytes], 6).utf8![0]).toBe('U+1F600 "😀" (4 bytes)');
    expect(valuesAt([...bytes], 2).utf8![0]).toBe('not the start of a UTF-8 character');
    expect(describeUtf8(decodeUtf8At(Uint8Array.of(0x0a), 0))).toBe('U+000A (1 byte)');
  });

  it('refuses overlong forms, surrogates, values past U+10FFFF and cut sequences', () => {
    for (const bytes of [
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xe2, 0x82],
      [0xc3, 0x41],
    ]) {
      expect(decodeUtf8At(Uint8Array.from(bytes), 0)).toEqual({ invalid: true });
    }
  });
});

describe('formatByteRange', () => {
  const bytes = Uint8Array.from([0x48, 0x69, 0x00, 0xff, 0x10]);

  it('writes a range as hex, base64, a C array or a JS array', () => {
    expect(formatByteRange(bytes, 0, 4, 'hex')).toBe('48 69 00 ff');
    expect(formatByteRange(bytes, 1, 3, 'base64')).toBe(btoa('\x69\x00'));
    expect(formatByteRange(bytes, 0, 4, 'c')).toBe(
      'const uint8_t bytes[4] = {\n  0x48, 0x69, 0x00, 0xff,\n};',
    );
    expect(formatByteRange(bytes, 3, 5, 'js')).toBe(
      'const bytes = new Uint8Array([\n  0xff, 0x10,\n]);',
    );
  });

  it('breaks arrays every 16 bytes and clamps the range to the payload', () => {
    const many = Uint8Array.from({ length: 20 }, (_, i) => i);
    expect(formatByteRange(many, 0, 20, 'js').split('\n')).toHaveLength(4);
    expect(formatByteRange(bytes, 3, 99, 'hex')).toBe('ff 10');
    expect(formatByteRange(bytes, 0, 0, 'c')).toBe('const uint8_t bytes[0] = {};');
  });

  it('copies 16 MiB as base64 and hex without overflowing the stack', () => {
    const big = new Uint8Array(16 * 1024 * 1024).fill(0xab);
    expect(formatByteRange(big, 0, big.length, 'base64').length).toBe(
      Math.ceil(big.length / 3) * 4,
    );
    expect(formatByteRange(big, 0, 1024 * 1024, 'hex').length).toBe(1024 * 1024 * 3 - 1);
  });
});

describe('hexDumpCells', () => {
  it('joins to exactly hexDumpLine', () => {
    const bytes = Uint8Array.from({ length: 21 }, (_, i) => i * 7);
    for (const line of [0, 1]) {
      const { offset, hex, ascii } = hexDumpCells(bytes, line);
      let text = `${offset}  `;
      for (let i = 0; i < 16; i++)
        text += (i === 8 ? ' ' : '') + (i < hex.length ? `${hex[i]} ` : '   ');
      expect(`${text} |${ascii.join('')}|`).toBe(hexDumpLine(bytes, line));
    }
  });
});

describe('moveSelection', () => {
  const none = { shift: false, ctrl: false };
  const shift = { shift: true, ctrl: false };
  it('moves the cursor by a byte, a line or a page, within the payload', () => {
    const at = { anchor: 20, cursor: 20 };
    expect(moveSelection(at, 'ArrowRight', none, 100, 4)).toEqual({ anchor: 21, cursor: 21 });
    expect(moveSelection(at, 'ArrowUp', none, 100, 4)).toEqual({ anchor: 4, cursor: 4 });
    expect(moveSelection(at, 'ArrowDown', none, 100, 4)).toEqual({ anchor: 36, cursor: 36 });
    expect(moveSelection(at, 'PageDown', none, 100, 4)).toEqual({ anchor: 84, cursor: 84 });
    expect(moveSelection(at, 'PageDown', none, 50, 4)).toEqual({ anchor: 49, cursor: 49 });
    expect(moveSelection(at, 'Home', none, 100, 4)).toEqual({ anchor: 16, cursor: 16 });
    expect(moveSelection(at, 'End', none, 100, 4)).toEqual({ anchor: 31, cursor: 31 });
    expect(moveSelection(at, 'End', { shift: false, ctrl: true }, 100, 4)).toEqual({
      anchor: 99,
      cursor: 99,
    });
    expect(moveSelection({ anchor: 0, cursor: 0 }, 'ArrowLeft', none, 100, 4)).toEqual({
      anchor: 0,
      cursor: 0,
    });
    expect(moveSelection(at, 'x', none, 100, 4)).toBeNull();
    expect(moveSelection(at, 'ArrowLeft', none, 0, 4)).toBeNull();
  });

  it('grows the selection from its anchor with Shift, in either direction', () => {
    let selection = { anchor: 20, cursor: 20 };
    selection = moveSelection(selection, 'ArrowDown', shift, 100, 4)!;
    selection = moveSelection(selection, 'ArrowRight', shift, 100, 4)!;
    expect(selectionRange(selection)).toEqual({ start: 20, end: 38 });
    selection = moveSelection(selection, 'ArrowUp', shift, 100, 4)!;
    selection = moveSelection(selection, 'ArrowUp', shift, 100, 4)!;
    expect(selectionRange(selection)).toEqual({ start: 5, end: 21 });
    expect(moveSelection(selection, 'ArrowLeft', none, 100, 4)).toEqual({ anchor: 4, cursor: 4 });
  });
});
