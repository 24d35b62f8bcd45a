/** A spread of values (ratios, or differences) over pairs: the median with its min and max. */
export interface Ratio {
  min: number;
  median: number;
  max: number;
}

export function ratioOf(values: number[]): Ratio {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}
