/**
 * Every limit Sockscope applies, with its default. The README's "Limits" section lists these.
 */
export interface Limits {
  /** Bytes of one frame's payload kept; beyond it the frame is truncated and marked. */
  payloadCap: number;
  /** Events the hook keeps per document for a panel that opens late or reconnects. */
  backlogEvents: number;
  /** Payload bytes the hook keeps per document in that backlog. */
  backlogBytes: number;
  /** The hook posts a batch at once, inside the page's task, beyond this many events or bytes. */
  hookBatchEvents: number;
  hookBatchBytes: number;
  /** The relay splits what it forwards into port messages of at most this many events or bytes. */
  portMessageEvents: number;
  portMessageBytes: number;
  /** While a panel listens, the hook posts what it recorded within this many ms in one batch. */
  forwardDelayMs: number;
  /** Payload bytes a panel keeps in memory; beyond it the oldest frames lose their content. */
  panelMemoryBudget: number;
  /**
   * 1: the hook records the page's stack at every `send()` (which code sent each frame), at a
   * cost to each send; 0 (the default): it does not. A number, so storage keeps it as the rest.
   */
  sendStacks: 0 | 1;
}

export const MiB = 1024 * 1024;

/** While a panel listens, the hook posts right after the page's task beyond this many events. */
export const HOOK_POST_SOON_EVENTS = 2_000;

/**
 * Ended connections the hook keeps described (URL, protocols, lifecycle) apart from its frame log,
 * beyond the live ones: a panel opened late lists them even when their frames are gone.
 */
export const RECENTLY_ENDED_CONNECTIONS = 1_000;

/** Payload text or base64 longer than this goes to the panel in pieces of this size. */
export const PORT_PIECE_CHARS = 64 * 1024;

export const DEFAULT_LIMITS: Readonly<Limits> = {
  payloadCap: 16 * MiB,
  backlogEvents: 100_000,
  backlogBytes: 64 * MiB,
  hookBatchEvents: 10_000,
  hookBatchBytes: 4 * MiB,
  portMessageEvents: 5_000,
  portMessageBytes: 8 * MiB,
  forwardDelayMs: 25,
  panelMemoryBudget: 512 * MiB,
  sendStacks: 0,
};

/** Where user-set limits live in `storage.local` (a partial {@link Limits}). */
export const LIMITS_STORAGE_KEY = 'limits';

/**
 * Stored limits over the defaults: only positive integers are taken for sizes and counts, only
 * 0 or 1 for switches; anything else is ignored.
 */
export function limitsFromStorage(stored: unknown): Limits {
  const limits: Limits = { ...DEFAULT_LIMITS };
  if (typeof stored !== 'object' || stored === null) return limits;
  for (const key of Object.keys(limits) as Array<keyof Limits>) {
    const value = (stored as Record<string, unknown>)[key];
    if (key === 'sendStacks') {
      if (value === 0 || value === 1) limits.sendStacks = value;
    } else if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
      limits[key] = value;
    }
  }
  return limits;
}

/** The longest initiator stack (the page's stack at `new WebSocket()`) kept, in UTF-16 units. */
export const MAX_STACK_TEXT = 8 * 1024;
