/** One control of a row that overflows into a menu: its width and how much it matters. */
export interface FitItem {
  id: string;
  width: number;
  /** Higher stays longer; `Infinity` never leaves the row. */
  priority: number;
}

/**
 * Which items leave a one-line row of `available` pixels for its overflow menu: the least
 * important first, until the rest and the menu's button fit. Nothing leaves when all fit.
 */
export function overflowingItems(
  items: FitItem[],
  available: number,
  moreButtonWidth: number,
  gap: number,
): string[] {
  const total = (list: FitItem[]) =>
    list.reduce((sum, item) => sum + item.width, 0) + gap * Math.max(0, list.length - 1);
  if (total(items) <= available) return [];
  const byImportance = [...items].sort((a, b) => a.priority - b.priority);
  const left = new Set(items);
  const gone: string[] = [];
  for (const item of byImportance) {
    if (total([...left]) + gap + moreButtonWidth <= available) break;
    if (item.priority === Number.POSITIVE_INFINITY) break;
    left.delete(item);
    gone.push(item.id);
  }
  return gone;
}
