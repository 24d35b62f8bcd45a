import type { ComponentChildren } from 'preact';

/** A details pane's one-line header: what it shows, and a button that closes the pane. */
export function PaneHeader({
  title,
  onClose,
  children,
}: {
  /** The whole description, for when the line is cut. */
  title?: string;
  onClose(): void;
  children: ComponentChildren;
}) {
  return (
    <header class="details-header">
      <span class="details-title" title={title}>
        {children}
      </span>
      <span class="spacer" />
      <button
        type="button"
        aria-label="Close details"
        onClick={onClose}
        data-testid="close-details"
      >
        ✕
      </button>
    </header>
  );
}
