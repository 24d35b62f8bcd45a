import type { SequencedEvent } from '../protocol/relay-events';

/**
 * The relay's bounded memory of one document's events, numbered from 0. When it holds more than
 * `maxEvents` events or `maxBytes` payload bytes, the oldest go; `firstSeq` says where it starts,
 * so a reader asking for older events learns exactly how many it lost.
 */
export class Backlog {
  private items: Array<{ event: SequencedEvent; bytes: number } | undefined> = [];
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

  append(event: SequencedEvent['event'], bytes: number): SequencedEvent {
    const sequenced = { seq: this.nextSeq++, event };
    this.items.push({ event: sequenced, bytes });
    this.bytes += bytes;
    this.evict();
    return sequenced;
  }

  /** Events with seq >= fromSeq still held, and how many of those asked for are gone. */
  since(fromSeq: number): { events: SequencedEvent[]; lost: number } {
    const first = this.firstSeq;
    const start = Math.max(fromSeq, first);
    const events: SequencedEvent[] = [];
    for (let i = this.head + (start - first); i < this.items.length; i++) {
      events.push(this.items[i]!.event);
    }
    return { events, lost: Math.max(0, first - fromSeq) };
  }

  private evict(): void {
    while (this.size > 0 && (this.size > this.maxEvents || this.bytes > this.maxBytes)) {
      const item = this.items[this.head]!;
      this.items[this.head] = undefined;
      this.head++;
      this.bytes -= item.bytes;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
