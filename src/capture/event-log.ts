/**
 * The hook's bounded memory of one document's events, numbered from 0. It lives in the page's
 * world while no panel listens, so recording costs the page an append and nothing more. When it
 * holds more than `maxEvents` events or `maxBytes` payload bytes, the oldest go; `firstSeq` says
 * where it starts, so a reader asking for older events learns exactly how many it lost.
 *
 * Page-world code: it calls no method a page script could replace (no Array or Math methods).
 */
export class EventLog<T> {
  private items: Array<T | undefined> = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  nextSeq = 0;

  constructor(
    private maxEvents: number,
    private maxBytes: number,
  ) {}

  get firstSeq(): number {
    return this.nextSeq - this.size;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  setLimits(maxEvents: number, maxBytes: number): void {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
    this.evict();
  }

  /** Appends one item of `bytes` payload bytes; returns its sequence number. */
  append(item: T, bytes: number): number {
    const items = this.items;
    this.sizes[items.length] = bytes;
    items[items.length] = item;
    this.bytes += bytes;
    if (this.size > this.maxEvents || this.bytes > this.maxBytes) this.evict();
    return this.nextSeq++;
  }

  /** The items with seq >= fromSeq still held (from the oldest held if older ones are gone). */
  since(fromSeq: number): { firstSeq: number; items: T[]; sizes: number[] } {
    const first = this.firstSeq;
    const start = fromSeq > first ? (fromSeq < this.nextSeq ? fromSeq : this.nextSeq) : first;
    const items: T[] = [];
    const sizes: number[] = [];
    for (let i = this.head + (start - first); i < this.items.length; i++) {
      items[items.length] = this.items[i]!;
      sizes[sizes.length] = this.sizes[i]!;
    }
    return { firstSeq: start, items, sizes };
  }

  private evict(): void {
    while (this.size > 0 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
      this.items[this.head] = undefined;
      this.bytes -= this.sizes[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
  }

  /** Drops the evicted slots at the front, copying what remains (amortized over the evictions). */
  private compact(): void {
    const items: Array<T | undefined> = [];
    const sizes: number[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      items[items.length] = this.items[i];
      sizes[sizes.length] = this.sizes[i]!;
    }
    this.items = items;
    this.sizes = sizes;
    this.head = 0;
  }
}
