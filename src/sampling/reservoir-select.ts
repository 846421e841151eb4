import type { ClassReservoir } from './reservoir-class.js';

/**
 * How many times each entry of a class reservoir is emitted so that the class yields `want` rows.
 *
 * - `want <= length`: the `want` entries with the smallest keys, once each. The keys are iid uniform, so
 *   these are a uniform sample without replacement of the rows the reservoir holds, and the bottom-`want`
 *   of a bottom-`capacity` sample is a uniform sample of the whole class. The reservoir need not be pruned:
 *   for `want <= capacity` its `want` smallest entries are those of its pruned `capacity`.
 * - `want > length` (every row of the class is held): every entry `q = floor(want / length)` times, plus once
 *   more for the `r = want - q * length` entries with the smallest keys, a uniform subset (as exact mode does).
 *
 * The cut-off key is found by {@link rankCut} (O(length)); entries whose key equals the cut-off are taken
 * in entry order (deterministic). Memory: O(length).
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
  const { cut, below } = rankCut(keys, m - 1);
  let ties = m - below;
  for (let e = 0; e < keys.length; e++) {
    // Branch-free, as in ClassReservoir.prune: whether a key is below the cut is a coin flip.
    const key = keys[e] as number;
    let add = +(key < cut);
    if (key === cut && ties > 0) {
      add = 1;
      ties--;
    }
    repeats[e] = (repeats[e] as number) + add;
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

/** Below this many values {@link rankCut} runs quickselect on a copy; from it on, it buckets first. */
const BUCKETED_MIN = 4096;

/** The value of some rank among numbers, and how many of the numbers are strictly below it. */
export interface RankCut {
  /** The value that sorting would put at the rank. */
  readonly cut: number;
  /** Values strictly below `cut` (at most the rank; fewer when values equal to `cut` come before it). */
  readonly below: number;
}

/**
 * The value of rank `rank` (0-based) in ascending order and the count of values below it, leaving `values`
 * as they are: the value {@link nthSmallest} returns, found faster on large arrays of spread-out values
 * such as uniform keys.
 *
 * One pass finds the range, one counts the values in ~n/32 equal-width buckets of it, and quickselect runs
 * only on the values of the bucket holding the rank (bucketing is monotone, so every value of an earlier
 * bucket is smaller). Three sequential passes instead of a quickselect over all values (about 5x faster on
 * 125,000 uniform keys). Clustered values degrade to one quickselect over all values (O(n) expected still).
 * Memory: O(n / 32) counts plus the values of one bucket (a copy of all values for small or degenerate input).
 *
 * @param values the numbers, none NaN (left unchanged)
 * @param rank 0-based rank, `0 <= rank < values.length`
 * @returns the value at `rank` and how many values are below it
 */
export function rankCut(values: Float64Array, rank: number): RankCut {
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  if (n >= BUCKETED_MIN) {
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const span = hi - lo;
  if (!(span > 0 && span < Infinity)) return withBelow(values, 0, nthSmallest(values.slice(), rank));
  const buckets = n >>> 5;
  const last = buckets - 1;
  const scale = buckets / span;
  const count = new Int32Array(buckets);
  for (let i = 0; i < n; i++) {
    const b = ((values[i] as number) - lo) * scale;
    const k = b < last ? b | 0 : last;
    count[k] = (count[k] as number) + 1;
  }
  let bucket = 0;
  let before = 0;
  while (before + (count[bucket] as number) <= rank) before += count[bucket++] as number;
  const inside = new Float64Array(count[bucket] as number);
  for (let i = 0, j = 0; i < n; i++) {
    const v = values[i] as number;
    const b = (v - lo) * scale;
    if ((b < last ? b | 0 : last) === bucket) inside[j++] = v;
  }
  return withBelow(inside, before, nthSmallest(inside, rank - before));
}

/** `cut` with the count of `values` below it plus `before`. */
function withBelow(values: Float64Array, before: number, cut: number): RankCut {
  let below = before;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) < cut) below++;
  return { cut, below };
}
