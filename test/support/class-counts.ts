/** Splits a row count into exact per-class counts from class shares (largest-remainder rounding). */

/**
 * Exact per-class row counts for `rows` rows split by `shares`: each class gets the floor of its share,
 * and the rows left over go one each to the classes with the largest remainders (earlier class on ties).
 * The counts always sum to `rows`.
 *
 * ## Example
 * ```ts
 * classCounts(1000, { a: 0.9, b: 0.09, c: 0.01 }); // { a: 900, b: 90, c: 10 }
 * classCounts(10, { x: 1, y: 1, z: 1 });           // { x: 4, y: 3, z: 3 }
 * ```
 * @param rows total rows (integer >= 0)
 * @param shares class value -> positive weight; weights are normalised, so they need not sum to 1
 * @returns class value -> row count, in the key order of `shares`
 * @throws RangeError when there is no class or a share is not a positive finite number
 */
export function classCounts(rows: number, shares: Record<string, number>): Record<string, number> {
  const entries = Object.entries(shares);
  if (entries.length === 0) throw new RangeError('classes must name at least one class');
  for (const [value, share] of entries) {
    if (!Number.isFinite(share) || share <= 0) {
      throw new RangeError(`classes: share of class ${JSON.stringify(value)} must be a positive number; got ${share}`);
    }
  }
  const total = entries.reduce((sum, [, share]) => sum + share, 0);
  const exact = entries.map(([, share]) => (rows * share) / total);
  const counts = exact.map((x) => Math.floor(x));
  let left = rows - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = exact.map((x, i) => ({ i, remainder: x - Math.floor(x) }));
  byRemainder.sort((p, q) => q.remainder - p.remainder || p.i - q.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return Object.fromEntries(entries.map(([value], i) => [value, counts[i] ?? 0]));
}
