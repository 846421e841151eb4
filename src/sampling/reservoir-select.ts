import type { ClassReservoir } from './reservoir-class.js';

/**
 * How many times each entry of a class reservoir is emitted so that the class yields `want` rows.
 *
 * - `want <= length`: the `want` entries with the smallest keys, once each. The keys are iid uniform, so
 *   these are a uniform sample without replacement of the rows the reservoir holds, and the bottom-`want`
 *   of a bottom-`capacity` sample is a uniform sample of the whole class.
 * - `want > length` (every row of the class is held): every entry `q = floor(want / length)` times, plus once
 *   more for the `r = want - q * length` entries with the smallest keys, a uniform subset (as exact mode does).
 *
 * The cut-off key is found by quickselect on a copy of the keys (O(length) expected); entries whose key
 * equals the cut-off are taken in entry order (deterministic). Memory: O(length).
 *
 * @param res the class reservoir
 * @param want rows to emit (`0 <= want`; `want <= length` unless the reservoir holds the whole class)
 * @returns one repeat count per entry (`length` entries); they sum to `want`
 */
export function entryRepeats(res: ClassReservoir, want: number): Int32Array {
  const n = res.length;
  const repeats = new Int32Array(n);
  if (n === 0 || want === 0) return repeats;
  const base = want >= n ? Math.floor(want / n) : 0;
  const extra = want - base * n;
  if (base > 0) repeats.fill(base);
  if (extra > 0) markSmallest(res.keys.subarray(0, n), extra, repeats);
  return repeats;
}

/** Adds 1 to `repeats[e]` for the `m` entries with the smallest keys (`0 < m <= keys.length`). */
function markSmallest(keys: Float64Array, m: number, repeats: Int32Array): void {
  if (m === keys.length) {
    for (let e = 0; e < m; e++) repeats[e] = (repeats[e] as number) + 1;
    return;
  }
  const cut = nthSmallest(keys.slice(), m - 1);
  let below = 0;
  for (let e = 0; e < keys.length; e++) if ((keys[e] as number) < cut) below++;
  let ties = m - below;
  for (let e = 0; e < keys.length; e++) {
    const key = keys[e] as number;
    if (key < cut || (key === cut && ties-- > 0)) repeats[e] = (repeats[e] as number) + 1;
  }
}

/**
 * The value of rank `rank` (0-based) in ascending order; reorders `values` (Hoare partition, median of three).
 *
 * Memory: O(1) beyond `values`; expected O(n) time.
 * @param values the numbers (reordered in place)
 * @param rank 0-based rank, `0 <= rank < values.length`
 * @returns the value that sorting would put at `rank`
 */
export function nthSmallest(values: Float64Array, rank: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo] as number;
    const b = values[mid] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = t;
      }
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else return values[rank] as number;
  }
  return values[rank] as number;
}
