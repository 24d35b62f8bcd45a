/**
 * A bounds-checked reader over untrusted bytes, shared by the binary decoders. Readers throw
 * `DecodeFailure` deep inside recursive parsing, and each decoder catches it once at its
 * boundary: that keeps the parsers short, and the decoders themselves never throw.
 */

/**
 * Not an Error on purpose: an Error records a stack trace, and a guessing parser (protobuf tries
 * every length-delimited field as a message) may fail thousands of times in one frame.
 */
export class DecodeFailure {
  constructor(readonly message: string) {}
}

export function fail(message: string): never {
  throw new DecodeFailure(message);
}

/** The message of anything a parser threw, as an error outcome's reason. */
export function failureReason(error: unknown): string {
  if (error instanceof DecodeFailure) return error.message;
  if (error instanceof RangeError) return `malformed input (${error.message})`;
  return 'malformed input';
}

const TWO_32 = 2 ** 32;
/** Above this high word, hi * 2^32 + lo may lose precision. */
const SAFE_HIGH = 2 ** 21;

/** Joins two 32-bit halves of an unsigned 64-bit integer: a number when exact, else a decimal string. */
export function joinU64(hi: number, lo: number): number | string {
  if (hi < SAFE_HIGH) return hi * TWO_32 + lo;
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** The same for a signed 64-bit integer whose high half is read as signed. */
export function joinI64(hi: number, lo: number): number | string {
  if (hi >= -SAFE_HIGH && hi < SAFE_HIGH) return hi * TWO_32 + lo;
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * A plain Uint8Array copy. Not `slice()`: on a Node Buffer that returns a view sharing the
 * frame's memory, and a value must neither keep the frame alive nor change with it.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

export class ByteCursor {
  offset: number;
  readonly end: number;
  private dataView: DataView | undefined;

  constructor(
    readonly bytes: Uint8Array,
    offset = 0,
    end = bytes.length,
  ) {
    this.offset = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Fails unless `count` more bytes exist: declared lengths are checked before any allocation. */
  need(count: number, what: string): void {
    if (count > this.end - this.offset) {
      fail(`${what}: needs ${count} bytes, only ${this.end - this.offset} left`);
    }
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.bytes[this.offset++]!;
  }

  u16(what = 'two-byte integer'): number {
    this.need(2, what);
    const at = this.offset;
    this.offset += 2;
    return (this.bytes[at]! << 8) | this.bytes[at + 1]!;
  }

  u32(what = 'four-byte integer'): number {
    this.need(4, what);
    const value = this.view().getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  i32(what = 'four-byte integer'): number {
    this.need(4, what);
    const value = this.view().getInt32(this.offset);
    this.offset += 4;
    return value;
  }

  u64(what = 'eight-byte integer'): number | string {
    const hi = this.u32(what);
    return joinU64(hi, this.u32(what));
  }

  i64(what = 'eight-byte integer'): number | string {
    const hi = this.i32(what);
    return joinI64(hi, this.u32(what));
  }

  f32(what = 'float', littleEndian = false): number {
    this.need(4, what);
    const value = this.view().getFloat32(this.offset, littleEndian);
    this.offset += 4;
    return value;
  }

  f64(what = 'double', littleEndian = false): number {
    this.need(8, what);
    const value = this.view().getFloat64(this.offset, littleEndian);
    this.offset += 8;
    return value;
  }

  /** A view of the next `count` bytes (no copy); callers copy what they keep in a value. */
  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const start = this.offset;
    this.offset += count;
    return this.bytes.subarray(start, start + count);
  }

  /** The next `count` bytes as a copy of their own, to keep in a decoded value. */
  copy(count: number, what: string): Uint8Array {
    return copyBytes(this.take(count, what));
  }

  /** A cursor over the next `count` bytes, which this one then skips; they share one DataView. */
  split(count: number, what: string): ByteCursor {
    this.need(count, what);
    const part = new ByteCursor(this.bytes, this.offset, this.offset + count);
    part.dataView = this.view();
    this.offset += count;
    return part;
  }

  view(): DataView {
    this.dataView ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    return this.dataView;
  }
}
