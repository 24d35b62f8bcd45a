/**
 * One-line, length-bounded previews of decoded values for the frame table's Data column. The
 * walk stops as soon as the budget is spent, so a 64 KiB map costs no more than a small one.
 */

import { hexPreview } from './bytes-text';

/** What the decoders allow a summary: a line, not a document. */
export const SUMMARY_MAX = 200;

const MAX_DEPTH = 16;

/**
 * Cuts text to `max` characters on one line, never between the halves of a surrogate pair.
 * Names from the wire (topics, targets) may hold line breaks; a table row cannot.
 */
export function clip(text: string, max = SUMMARY_MAX): string {
  const line = (text.length > max ? text.slice(0, max + 1) : text).replace(/[\r\n\t]/g, ' ');
  if (line.length <= max) return line;
  return `${cutAt(line, max - 1)}…`;
}

function cutAt(text: string, at: number): string {
  const code = text.charCodeAt(at - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? at - 1 : at);
}

/** JSON-like text for a decoded value, at most `max` characters. */
export function previewValue(value: unknown, max = SUMMARY_MAX): string {
  const preview = new Preview(max);
  preview.value(value, 0);
  return preview.text();
}

/** Joins a message's parts with spaces, skipping empty ones, then bounds the line. */
export function summaryOf(...parts: (string | undefined)[]): string {
  return clip(parts.filter((part) => part).join(' '));
}

class Preview {
  private readonly parts: string[] = [];
  private length = 0;
  private full = false;

  constructor(private readonly max: number) {}

  text(): string {
    return this.parts.join('') + (this.full ? '…' : '');
  }

  private push(text: string): void {
    if (this.full) return;
    const room = this.max - 1 - this.length;
    if (text.length > room) {
      this.parts.push(cutAt(text, room));
      this.full = true;
      return;
    }
    this.parts.push(text);
    this.length += text.length;
  }

  value(value: unknown, depth: number): void {
    if (this.full) return;
    if (typeof value === 'string') {
      // Quote only what can show: JSON.stringify of a 64 KiB string would be wasted work.
      const room = this.max - this.length;
      this.push(JSON.stringify(value.length > room ? value.slice(0, room) : value));
    } else if (value === null || typeof value !== 'object') {
      this.push(String(value));
    } else if (value instanceof Uint8Array) {
      this.push(`<${value.length} bytes${value.length ? ` ${hexPreview(value, 8)}` : ''}>`);
    } else if (depth >= MAX_DEPTH) {
      this.push(Array.isArray(value) ? '[…]' : '{…}');
    } else if (Array.isArray(value)) {
      this.push('[');
      for (let i = 0; i < value.length && !this.full; i++) {
        if (i) this.push(',');
        this.value(value[i], depth + 1);
      }
      this.push(']');
    } else {
      this.push('{');
      let first = true;
      for (const key in value) {
        if (this.full) break;
        if (!first) this.push(',');
        first = false;
        this.push(`${JSON.stringify(key.length > this.max ? key.slice(0, this.max) : key)}:`);
        this.value((value as Record<string, unknown>)[key], depth + 1);
      }
      this.push('}');
    }
  }
}
