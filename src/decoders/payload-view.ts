/**
 * An application payload that no schema describes (an MQTT message's body): parsed JSON when it
 * is JSON, text when it is printable UTF-8, else the bytes.
 */

import { copyBytes } from './byte-cursor';
import { printableUtf8 } from './bytes-text';
import { previewValue, SUMMARY_MAX } from './value-preview';

export interface PayloadView {
  value: unknown;
  /** The value is the payload's text (else parsed JSON, or bytes): it previews differently. */
  text: boolean;
}

export function payloadView(bytes: Uint8Array): PayloadView {
  const text = printableUtf8(bytes);
  if (text === undefined) return { value: copyBytes(bytes), text: false };
  if (text.trim() !== '') {
    try {
      const value: unknown = JSON.parse(text);
      return { value, text: false };
    } catch {
      // Not JSON: shown as text.
    }
  }
  return { value: text, text: true };
}

/**
 * One line for a summary, bounded: a text's start on one line, else a preview of the value.
 * Written when a summary is shown, from what {@link payloadView} gave.
 */
export function payloadPreview(value: unknown, text: boolean): string {
  return text ? oneLine(value as string) : previewValue(value);
}

/** The start of a text on one line: only what a summary can show is looked at. */
function oneLine(text: string): string {
  return text.slice(0, SUMMARY_MAX).replace(/\s+/g, ' ');
}
