/**
 * Cuts one direction's byte stream into MQTT packets. WebSocket frames need not align with
 * packets, so bytes wait here until their packet is whole. The buffer keeps references to the
 * frames it was given and copies only when a packet spans frames, so a large packet arriving in
 * many frames costs one copy of its own size, never more than the bytes actually received.
 */

import { fail } from './byte-cursor';

export interface RawPacket {
  type: number;
  flags: number;
  body: Uint8Array;
}

export class PacketBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  /** The whole size of the packet being waited for, once its header is known. */
  private awaited = 0;

  get buffered(): number {
    return this.size;
  }

  get awaitedSize(): number {
    return this.awaited;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
    this.awaited = 0;
  }

  /** The next whole packet, or undefined while its bytes are still arriving. */
  next(): RawPacket | undefined {
    if (this.size === 0) return undefined;
    const first = this.byteAt(0);
    // Type 0 is reserved: the stream is not MQTT, or lost its place.
    if (first >> 4 === 0) fail('packet type 0 is reserved');
    let remaining = 0;
    let headerSize = 1;
    for (let multiplier = 1; ; multiplier *= 128) {
      // Four bytes encode at most 268 435 455 (256 MiB), the most the specification allows.
      if (headerSize > 4) fail('remaining length is longer than four bytes');
      if (headerSize >= this.size) return undefined;
      const byte = this.byteAt(headerSize++);
      remaining += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) break;
    }
    this.awaited = headerSize + remaining;
    if (this.size < this.awaited) return undefined;
    const packet = this.take(this.awaited);
    this.awaited = 0;
    return { type: first >> 4, flags: first & 0x0f, body: packet.subarray(headerSize) };
  }

  private byteAt(index: number): number {
    for (const chunk of this.chunks) {
      if (index < chunk.length) return chunk[index]!;
      index -= chunk.length;
    }
    return fail('read past the buffered bytes');
  }

  private take(count: number): Uint8Array {
    this.size -= count;
    const head = this.chunks[0]!;
    if (head.length >= count) {
      this.chunks[0] = head.subarray(count);
      if (this.chunks[0].length === 0) this.chunks.shift();
      return head.subarray(0, count);
    }
    const joined = new Uint8Array(count);
    let filled = 0;
    let index = 0;
    while (filled < count) {
      const chunk = this.chunks[index]!;
      const used = Math.min(chunk.length, count - filled);
      joined.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used === chunk.length) index++;
      else this.chunks[index] = chunk.subarray(used);
    }
    // One splice for all the frames used: shifting them one by one would be quadratic.
    this.chunks.splice(0, index);
    return joined;
  }
}
