/**
 * Class counts as users pass them to the weight functions: a `ClassCounts`, or an object `{ class: rows }`.
 */
import { ClassCounts } from '../classes/class-counts.js';
import type { ClassValue } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';

/** Rows per class: a {@link ClassCounts} (e.g. from `countClasses` or `countParquet`) or `{ class: rows }`. */
export type CountsInput = ClassCounts | Readonly<Record<string, number>>;

/**
 * The counts as a {@link ClassCounts}. Object keys become class values by their look: `'null'` -> null,
 * `'true'`/`'false'` -> booleans, integer digits -> numbers (bigints beyond 2^53), anything else a string.
 * Matching against data uses `classKey`, so this choice only affects the value order and the value type
 * of the keys `classWeights()` returns.
 *
 * Memory: O(classes).
 *
 * @param counts the counts as given
 * @param option the option's name, for error messages
 * @returns the counts
 * @throws TypeError when `counts` is neither; RangeError for a count that is not a non-negative integer
 */
export function toClassCounts(counts: CountsInput, option = 'counts'): ClassCounts {
  if (counts instanceof ClassCounts) return counts;
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts)) {
    throw new TypeError(withPrefix(`option "${option}" must be a ClassCounts or an object { class: rows }; got ${String(counts)}`));
  }
  const entries = Object.entries(counts).map(([key, n]): [ClassValue, number] => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(withPrefix(`option "${option}" gives class "${key}" ${String(n)} rows; give a non-negative integer`));
    }
    return [keyToValue(key), n];
  });
  return ClassCounts.fromEntries(entries);
}

/** Reads an object key as the class value it most likely names. */
function keyToValue(key: string): ClassValue {
  if (key === 'null') return null;
  if (key === 'true' || key === 'false') return key === 'true';
  if (/^-?(0|[1-9]\d*)$/.test(key)) return Number.isSafeInteger(Number(key)) ? Number(key) : BigInt(key);
  return key;
}
