import { signal } from '@preact/signals';
import { SessionStore } from '../session/session-store';

/**
 * The panel's store: the session model plus a revision signal that views subscribe to.
 * Incoming batches mark the store dirty; the signal moves at most once per animation frame,
 * so a burst of thousands of batches costs a handful of renders.
 */
export class PanelState {
  readonly session = new SessionStore();
  readonly revision = signal(0);
  readonly selectedConnection = signal<string | null>(null);
  private scheduled = false;

  constructor(
    private readonly requestFrame: (callback: () => void) => void = defaultRequestFrame,
  ) {}

  changed = (): void => {
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => {
      this.scheduled = false;
      this.revision.value = this.session.revision;
    });
  };
}

function defaultRequestFrame(callback: () => void): void {
  // A hidden DevTools panel gets no animation frames; a timer keeps the model moving there.
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') {
    requestAnimationFrame(callback);
  } else setTimeout(callback, 50);
}
