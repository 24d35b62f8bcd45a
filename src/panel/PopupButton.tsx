import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import './popup.css';

interface Props {
  /** What the button says (it names the current choice). */
  label: ComponentChildren;
  /** The button's accessible name and title, when its label alone would not say enough. */
  buttonLabel?: string;
  title?: string;
  /** The popup's accessible name. */
  popupLabel: string;
  testId: string;
  children: ComponentChildren;
}

/**
 * A button with a popup below it (frame types, hide patterns): Escape closes the popup and gives
 * the focus back to the button, and goes no further (the panel would close its details).
 */
export function PopupButton({ label, buttonLabel, title, popupLabel, testId, children }: Props) {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  return (
    <span class="popup-anchor">
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-label={buttonLabel}
        title={title}
        onClick={() => setOpen(!open)}
        data-testid={testId}
      >
        {label}
      </button>
      {open && (
        <div
          class="popup"
          role="group"
          aria-label={popupLabel}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              setOpen(false);
              toggle.current?.focus();
            }
          }}
        >
          {children}
        </div>
      )}
    </span>
  );
}
