import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

/**
 * The panel's document-wide keys: Ctrl/⌘+F focuses the filter, and Escape with nothing of the
 * panel focused closes the details. DevTools forwards Escape from an extension's panel to itself
 * (a document listener), where it toggles the console drawer: the panel keeps it.
 */
export function usePanelKeys(
  app: RefObject<HTMLElement>,
  filterInput: RefObject<HTMLInputElement>,
  detailsOpen: () => boolean,
  closeDetails: () => void,
): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        filterInput.current?.focus();
        filterInput.current?.select();
      }
    };
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || app.current?.contains(event.target as Node)) return;
      event.stopPropagation();
      if (detailsOpen()) closeDetails();
    };
    document.addEventListener('keydown', onKeyDown);
    window.addEventListener('keydown', onEscape, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keydown', onEscape, true);
    };
  }, []);
}
