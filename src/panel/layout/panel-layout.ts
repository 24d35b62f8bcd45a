/**
 * How the panel divides its space (issue 19), decided by the panel's own size as Chrome's Network
 * panel does, and the sizes the user dragged, kept in extension storage.
 */

/** What the user chose, remembered across panels. Sizes are in CSS pixels. */
export interface LayoutPrefs {
  /** The connection sidebar's width when it is shown. */
  sidebarWidth: number;
  /** The user folded the sidebar away: connections show as a strip even when there is room. */
  sidebarCollapsed: boolean;
  /** The details' width when beside the frames. */
  detailsWidth: number;
  /** The details' height when below the frames. */
  detailsHeight: number;
}

export const DEFAULT_LAYOUT: LayoutPrefs = {
  sidebarWidth: 240,
  sidebarCollapsed: false,
  detailsWidth: 380,
  detailsHeight: 220,
};

/** Below this width connections collapse into a one-row strip above the frames. */
export const SIDEBAR_MIN_PANEL_WIDTH = 900;
/** Below this width, or when the panel is taller than wide, details go below the frames. */
export const DETAILS_BESIDE_MIN_WIDTH = 960;

export const SIZE_BOUNDS = {
  sidebarWidth: { min: 140, max: 600 },
  detailsWidth: { min: 240, max: 1600 },
  detailsHeight: { min: 100, max: 1600 },
} as const;

export type SizeKey = keyof typeof SIZE_BOUNDS;

/** Where each region goes at a panel size. */
export interface Arrangement {
  sidebar: boolean;
  detailsBeside: boolean;
}

export function arrangementFor(width: number, height: number, prefs: LayoutPrefs): Arrangement {
  return {
    sidebar: !prefs.sidebarCollapsed && width >= SIDEBAR_MIN_PANEL_WIDTH,
    detailsBeside: width >= DETAILS_BESIDE_MIN_WIDTH && width >= height,
  };
}

/**
 * A region's size within what its container has: the user's size, but never so large that the
 * frames are left with less than `keep` pixels.
 */
export function fittedSize(key: SizeKey, wanted: number, available: number, keep: number): number {
  const { min } = SIZE_BOUNDS[key];
  return Math.max(min, Math.min(wanted, available - keep));
}

export function clampSize(key: SizeKey, size: number): number {
  const { min, max } = SIZE_BOUNDS[key];
  return Math.round(Math.max(min, Math.min(max, size)));
}

/** Prefs from whatever storage holds: anything missing or malformed falls back to the default. */
export function layoutFromStorage(stored: unknown): LayoutPrefs {
  const source =
    stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>) : {};
  const size = (key: SizeKey): number => {
    const value = source[key];
    return typeof value === 'number' && Number.isFinite(value)
      ? clampSize(key, value)
      : DEFAULT_LAYOUT[key];
  };
  return {
    sidebarWidth: size('sidebarWidth'),
    sidebarCollapsed: source.sidebarCollapsed === true,
    detailsWidth: size('detailsWidth'),
    detailsHeight: size('detailsHeight'),
  };
}
