import { type ReadonlySignal, signal } from '@preact/signals';
import { RULES_STORAGE_KEY, type SocketRule } from '../../protocol/socket-rules';
import { readStoredRules, type SetAsideRule } from '../../rules/rules-storage';

type ChangeListener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => void;

/** The part of `browser.storage` the rules use: extension storage in the browser. */
export interface RulesStorageApi {
  local: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  onChanged: {
    addListener(listener: ChangeListener): void;
    removeListener(listener: ChangeListener): void;
  };
}

/** What the Rules view reads and saves (a RulesStore, a fake in tests). */
export interface RulesSource {
  /** The rules in list order, as last read or saved. */
  readonly rules: ReadonlySignal<readonly SocketRule[]>;
  /** Saves the whole list; rejects with the storage's error (the list is then as before). */
  save(rules: readonly SocketRule[]): Promise<void>;
  /** Why the saved rules could not be read, if they could not. */
  readonly error?: ReadonlySignal<string | null>;
  /** Stored entries that are no valid rule: not applied, kept in storage (rules-storage.ts). */
  readonly setAside?: ReadonlySignal<readonly SetAsideRule[]>;
  /** Adds `rule`, a set-aside entry fixed, at the end of the list; the entry leaves storage. */
  fix?(entry: SetAsideRule, rule: SocketRule): Promise<void>;
}

/**
 * The rules kept in extension storage under RULES_STORAGE_KEY, for every page and panel: read
 * when started, followed when another panel saves, written whole on each save, with the entries
 * set aside after the rules (the relay and the background skip them too). Every document's relay
 * reads the same key and passes the rules on to its page.
 */
export class RulesStore implements RulesSource {
  private readonly list = signal<readonly SocketRule[]>([]);
  readonly rules: ReadonlySignal<readonly SocketRule[]> = this.list;
  /** Why the saved rules could not be read, if they could not. */
  readonly error = signal<string | null>(null);
  private readonly aside = signal<readonly SetAsideRule[]>([]);
  readonly setAside: ReadonlySignal<readonly SetAsideRule[]> = this.aside;
  private stopped = false;
  /** A save before the first read: that read is older than the list and is not applied. */
  private saved = false;
  private readonly onChanged: ChangeListener = (changes, areaName) => {
    const change = changes[RULES_STORAGE_KEY];
    if (areaName === 'local' && change) this.read(change.newValue);
  };

  constructor(private readonly storage: RulesStorageApi) {}

  /** Reads the saved rules and follows later changes; the returned function stops following. */
  start(): () => void {
    this.storage.onChanged.addListener(this.onChanged);
    this.storage.local.get(RULES_STORAGE_KEY).then(
      (stored) => {
        if (!this.stopped && !this.saved) this.read(stored[RULES_STORAGE_KEY]);
      },
      (error: Error) => {
        this.error.value = `Could not read the rules: ${error.message}`;
      },
    );
    return () => {
      this.stopped = true;
      this.storage.onChanged.removeListener(this.onChanged);
    };
  }

  private read(stored: unknown): void {
    const { rules, setAside } = readStoredRules(stored);
    this.list.value = rules;
    this.aside.value = setAside;
  }

  save(rules: readonly SocketRule[]): Promise<void> {
    return this.write(rules, this.aside.value);
  }

  fix(entry: SetAsideRule, rule: SocketRule): Promise<void> {
    return this.write(
      [...this.list.value, rule],
      this.aside.value.filter((each) => each !== entry),
    );
  }

  private async write(
    rules: readonly SocketRule[],
    setAside: readonly SetAsideRule[],
  ): Promise<void> {
    const before = { rules: this.list.value, setAside: this.aside.value };
    this.saved = true;
    this.list.value = rules;
    this.aside.value = setAside;
    try {
      await this.storage.local.set({
        [RULES_STORAGE_KEY]: [...rules, ...setAside.map(({ stored }) => stored)],
      });
    } catch (error) {
      if (this.list.value === rules) {
        this.list.value = before.rules;
        this.aside.value = before.setAside;
      }
      throw error;
    }
  }
}
