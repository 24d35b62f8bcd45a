import { signal } from '@preact/signals';
import { DEFAULT_LIMITS, type Limits, limitsFromStorage } from '../protocol/limits';
import { FilteredFrames } from '../session/filtered-frames';
import { compileFilter, EMPTY_FILTER, type FilterSpec } from '../session/frame-filter';
import type { Frame } from '../session/session-model';
import { SessionStore } from '../session/session-store';

/** Where the panel keeps its settings: extension storage in the browser, a fake in tests. */
export interface SettingsStorage {
  load(): Promise<unknown>;
  save(limits: Limits): Promise<void>;
}

export type TimeMode = 'absolute' | 'relative';

const FILTER_DEBOUNCE_MS = 120;

/**
 * The panel's store: the session model, the filtered view of it, selection and settings, with
 * signals that views subscribe to. Incoming batches mark the store dirty; views re-render at
 * most once per animation frame however many batches arrive.
 */
export class PanelState {
  readonly session = new SessionStore();
  readonly filtered = new FilteredFrames();
  readonly revision = signal(0);
  readonly filter = signal<FilterSpec>(EMPTY_FILTER);
  readonly filterError = signal<string | null>(null);
  readonly selectedFrame = signal<Frame | null>(null);
  readonly detailsOpen = signal(false);
  readonly timeMode = signal<TimeMode>('absolute');
  readonly paused = signal(false);
  readonly preserveLog = signal(false);
  readonly limits = signal<Limits>(DEFAULT_LIMITS);
  readonly settingsOpen = signal(false);
  /** A message for the user about something that failed (copy, save, settings). */
  readonly notice = signal<string | null>(null);
  private scheduled = false;
  private epoch = 0;
  private filterTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage?: SettingsStorage,
    private readonly requestFrame: (callback: () => void) => void = defaultRequestFrame,
  ) {}

  async loadSettings(): Promise<void> {
    if (!this.storage) return;
    try {
      this.applyLimits(limitsFromStorage(await this.storage.load()));
    } catch (error) {
      this.notice.value = `Could not read settings: ${(error as Error).message}`;
    }
  }

  async saveSettings(limits: Limits): Promise<void> {
    this.applyLimits(limits);
    await this.storage?.save(limits);
  }

  private applyLimits(limits: Limits): void {
    this.limits.value = limits;
    this.session.memoryBudget = limits.panelMemoryBudget;
    this.session.evictOldestPayloads();
    this.changed();
  }

  /** The session changed (new events): update the filtered view and schedule a render. */
  changed = (): void => {
    if (this.session.epoch !== this.epoch) {
      this.epoch = this.session.epoch;
      this.refilterNow();
    } else this.filtered.extend(this.session.frames);
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => {
      this.scheduled = false;
      this.revision.value++;
    });
  };

  /** Changes the filter; the (possibly long) re-scan starts once typing pauses. */
  setFilter(change: Partial<FilterSpec>, immediately = false): void {
    this.filter.value = { ...this.filter.value, ...change };
    clearTimeout(this.filterTimer);
    if (immediately) this.refilterNow();
    else this.filterTimer = setTimeout(() => this.refilterNow(), FILTER_DEBOUNCE_MS);
  }

  /** Resolves when the current filter has scanned every frame (for tests and benchmarks). */
  refilterNow(): Promise<boolean> {
    const compiled = compileFilter(this.filter.value);
    this.filterError.value = compiled.error ?? null;
    if (!compiled.predicate) return Promise.resolve(false);
    return this.filtered.refilter(this.session.frames, compiled.predicate, yieldToUi, () => {
      this.revision.value++;
    });
  }

  selectConnection(key: string | null): void {
    this.setFilter({ connectionKey: key }, true);
  }

  setPaused(paused: boolean): void {
    this.paused.value = paused;
    this.session.paused = paused;
    this.changed();
  }

  setPreserveLog(preserve: boolean): void {
    this.preserveLog.value = preserve;
    this.session.preserveLog = preserve;
  }

  clear(): void {
    this.session.clear();
    this.selectedFrame.value = null;
    this.detailsOpen.value = false;
    this.changed();
  }
}

function yieldToUi(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function defaultRequestFrame(callback: () => void): void {
  // A hidden DevTools panel gets no animation frames; a timer keeps the model moving there.
  if (typeof document !== 'undefined' && document.visibilityState === 'visible') {
    requestAnimationFrame(callback);
  } else setTimeout(callback, 50);
}
