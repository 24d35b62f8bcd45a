import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

/**
 * For a dialog: focus its first field when it opens, and give focus back to what had it (the
 * button that opened it) when it closes, however it closes.
 */
export function useReturnFocus(dialog: RefObject<HTMLElement>): void {
  useLayoutEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, []);
}
