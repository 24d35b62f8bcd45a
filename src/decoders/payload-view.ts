/**
 * An application payload that no schema describes (an MQTT message's body): parsed JSON when it
 * is JSON, text when it is printable UTF-8, else the bytes.
 */

import { copyBytes } from './byte-cursor';
import { printableUtf8 } from './bytes-text';
import { previewValue, SUMMARY_MAX } from './value-preview';

export interface PayloadView {
  value: unknown;
  /** One line for a summary, bounded. */
  preview: string;
}

export function payloadView(bytes: Uint8Array): PayloadView {
  const text = printableUtf8(bytes);
  if (text === undefined) return { value: copyBytes(bytes), preview: previewValue(bytes) };
  if (text.trim() !== '') {
    try {
      const value: unknown = JSON.parse(text);
      return { value, preview: previewValue(value) };
    } catch {
      // Not JSON: shown as text.
    }
  }
  return { value: text, preview: oneLine(text) };
}

/** The start of a text on one line: only what a summary can show is looked at. */
function oneLine(text: string): string {
  return text.slice(0, SUMMARY_MAX).replace(/\s+/g, ' ');
}
