import type { FramePayload } from '../session/session-model';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Wall-clock time with milliseconds, as DevTools shows it. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

const PREVIEW_CHARS = 200;
const PREVIEW_BYTES = 48;

/** A one-line preview: text with control characters made visible, binary as hex. */
export function previewPayload(payload: FramePayload): string {
  if (payload.kind === 'text') {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
    return payload.text.slice(0, PREVIEW_CHARS).replace(/[\u0000-\u001f]/g, ' ');
  }
  if (payload.undecodable !== undefined) return '(not valid base64)';
  return (
    hexBytes(payload.bytes.subarray(0, PREVIEW_BYTES)) + (payload.size > PREVIEW_BYTES ? ' …' : '')
  );
}

export function hexBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += (i > 0 ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  }
  return out;
}

export function payloadSizeLabel(payload: FramePayload): string {
  const size = formatBytes(payload.originalSize);
  return payload.size < payload.originalSize ? `${size} (kept ${formatBytes(payload.size)})` : size;
}

/** Time since a connection opened, as "+1.234 s". */
export function formatRelative(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(ms) / 1000).toFixed(3)} s`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
