import type { ConnectionState, FrameKind } from './session-model';

/**
 * How a connection ended, for the eye: `clean` reads as calm, `abnormal` and `failed` as failures.
 * - `failed`: it never opened (refused, handshake failed), or the browser reported it failed.
 * - `abnormal`: it opened, then closed any other way than cleanly and normally: 1006 (no close
 *   frame), 1011 (server error), protocol and policy errors, application codes, or a normal code
 *   whose connection did not end cleanly.
 * - `clean`: a clean close with 1000 (normal), 1001 (going away, as on navigation) or 1005 (a
 *   close frame without a code, which is what `close()` without arguments sends).
 */
export type CloseSeverity = 'clean' | 'abnormal' | 'failed';

const CALM_CODES = new Set([1000, 1001, 1005]);

/**
 * The severity of an ended connection; `undefined` while it is live (connecting, open, closing),
 * and for a closed one whose close is not known (an imported file that does not say), which
 * claims neither calm nor failure.
 */
export function closeSeverity(
  state: ConnectionState,
  close: { code: number; wasClean: boolean } | undefined,
): CloseSeverity | undefined {
  if (state === 'failed') return 'failed';
  if (state !== 'closed' || !close) return undefined;
  return close.wasClean && CALM_CODES.has(close.code) ? 'clean' : 'abnormal';
}

/**
 * The severity a frame row shows: its connection's for the close event, none for any other row
 * (a close the page asked for is an action, not an outcome).
 */
export function frameSeverity(
  kind: FrameKind,
  connection: { close?: { code: number; wasClean: boolean } } | undefined,
): CloseSeverity | undefined {
  return kind === 'closed' ? closeSeverity('closed', connection?.close) : undefined;
}

/** Words for the severity, for titles and screen readers: the colour is never the only sign. */
export const SEVERITY_TEXT: Readonly<Record<CloseSeverity, string>> = {
  clean: 'closed normally',
  abnormal: 'closed abnormally',
  failed: 'failed',
};
