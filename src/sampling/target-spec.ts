import { withPrefix } from '../errors.js';

/** How rows are rebalanced: drop rows (`under`), replicate rows (`over`), or per class either (`hybrid`). */
export type Strategy = 'under' | 'over' | 'hybrid';

/** imbalanced-learn's named sampling strategies. */
export type TargetName = 'auto' | 'majority' | 'minority' | 'not minority' | 'not majority' | 'all';

/** Desired class shares (summing to 1) and optionally the total number of output rows. */
export interface TargetProportions {
  readonly proportions: Readonly<Record<string, number>>;
  readonly total?: number;
}

/**
 * What `balance()` aims for: a name, a float ratio n_minority / n_majority (two classes), rows per class
 * `{ class: count }`, or `{ proportions, total? }`. Object keys are matched to classes by `classKey`.
 */
export type TargetSpec = TargetName | number | Readonly<Record<string, number>> | TargetProportions;

const NAMES: readonly string[] = ['auto', 'majority', 'minority', 'not minority', 'not majority', 'all'];

/**
 * Checks a target's shape against a strategy before any data is read (no counts needed).
 *
 * Memory: O(classes named in the target).
 *
 * ## Example
 * ```ts
 * validateTargetSpec('not minority', 'under'); // fine
 * validateTargetSpec('minority', 'under'); // TypeError: ... cannot be used with strategy "under" ...
 * ```
 * @param target the target to check
 * @param strategy the strategy it will be used with
 * @throws TypeError for a wrong kind of value, RangeError for numbers out of range (each names `target`)
 */
export function validateTargetSpec(target: unknown, strategy: Strategy): asserts target is TargetSpec {
  if (typeof target === 'string') {
    if (!NAMES.includes(target)) {
      throw new TypeError(withPrefix(`option "target" is "${target}"; use one of ${NAMES.join(', ')}, a ratio, or an object`));
    }
    if (strategy === 'hybrid' && target !== 'auto' && target !== 'all') {
      throw new TypeError(withPrefix(`option "target" "${target}" needs strategy "under" or "over"; with "hybrid" use "auto", "all", counts or proportions`));
    }
    if ((strategy === 'under' && target === 'minority') || (strategy === 'over' && target === 'majority')) {
      throw new TypeError(withPrefix(`option "target" "${target}" cannot be used with strategy "${strategy}" (it would ${strategy === 'under' ? 'cut the smallest' : 'raise the largest'} class); use "not ${target}" (--target not-${target}) or "auto"`));
    }
    return;
  }
  if (typeof target === 'number') {
    if (strategy === 'hybrid') throw new TypeError(withPrefix(`option "target" ratio ${target} needs strategy "under" or "over"; with "hybrid" give counts or proportions`));
    if (!(target > 0 && target <= 1)) throw new RangeError(withPrefix(`option "target" ratio is ${target}; a ratio n_minority / n_majority must be in (0, 1]`));
    return;
  }
  const proportions = proportionEntries(target);
  if (proportions !== undefined) {
    const sum = proportions.entries.reduce((acc, [, p]) => acc + p, 0);
    if (Math.abs(sum - 1) > 1e-9) throw new RangeError(withPrefix(`option "target" proportions sum to ${sum}; they must sum to 1 (within 1e-9)`));
    const t = proportions.total;
    if (t !== undefined && !(Number.isSafeInteger(t) && t >= 0)) throw new RangeError(withPrefix(`option "target" total is ${t}; give a non-negative integer row count`));
    return;
  }
  if (target === null || typeof target !== 'object' || Array.isArray(target)) {
    throw new TypeError(withPrefix(`option "target" must be a name, a ratio, { class: count } or { proportions, total }; got ${typeof target}`));
  }
  for (const [key, n] of Object.entries(target)) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(withPrefix(`option "target" asks class "${key}" for ${String(n)} rows; give a non-negative integer`));
    }
  }
}

/** A proportions target read into its entries (class key, share) and its total. */
export interface ProportionEntries {
  readonly entries: [string, number][];
  readonly total: number | undefined;
}

/**
 * The entries and total of a proportions target, or `undefined` for any other target; checks each share.
 * @param target any target
 * @returns the shares by class key and the total, for `{ proportions, total? }` only
 * @throws RangeError for a share outside [0, 1]; TypeError for a total that is not a number
 */
export function proportionEntries(target: unknown): ProportionEntries | undefined {
  if (target === null || typeof target !== 'object' || !('proportions' in target)) return undefined;
  const { proportions, total } = target as { proportions: unknown; total?: unknown };
  if (proportions === null || typeof proportions !== 'object') return undefined;
  const entries = Object.entries(proportions as Record<string, unknown>).map(([key, p]): [string, number] => {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new RangeError(withPrefix(`option "target" gives class "${key}" proportion ${String(p)}; a proportion must be in [0, 1]`));
    }
    return [key, p];
  });
  if (total !== undefined && typeof total !== 'number') throw new TypeError(withPrefix(`option "target" total must be a number; got ${typeof total}`));
  return { entries, total };
}
