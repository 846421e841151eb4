import { ArrowBalanceError } from '../errors.js';
import { classKey, showClass } from '../classes/class-value.js';
import type { ClassCounts } from '../classes/class-counts.js';
import { checkedTargets, extremeClass, type ClassRow } from './target-classes.js';
import { distributeTotal, targetsByProportions } from './target-proportions.js';
import { proportionEntries, validateTargetSpec, type Strategy, type TargetName, type TargetSpec } from './target-spec.js';

// reservoir-flush.ts imports these types from here.
export type { Strategy, TargetSpec } from './target-spec.js';

/**
 * Resolves a target (imbalanced-learn's `sampling_strategy`, plus proportions) against known class counts.
 *
 * Returns the number of rows each targeted class should have after sampling, keyed by `classKey`; classes
 * absent from the map pass through untouched. Majority/minority ties go to the first class in value order.
 * Strings: under `auto` = `not minority` (each class but the minority cut to n_min), over `auto` =
 * `not majority` (each class but the majority raised to n_max), hybrid `auto` = `all` = every class to
 * N / K (the remainder goes one row each to the first classes in value order, so the total stays N).
 * A ratio alpha (two classes): over raises the minority to floor(alpha * n_max), under cuts the majority
 * to floor(n_min / alpha). Proportions without a total take the largest total under-sampling allows, the
 * smallest total over-sampling needs, or N for hybrid; counts are rounded by largest remainder.
 * Memory: O(classes).
 *
 * ## Example
 * ```ts
 * const counts = ClassCounts.fromEntries([['a', 900], ['b', 90], ['c', 10]]);
 * resolveTargets(counts, 'under', 'auto'); // Map { 'a' => 10, 'b' => 10 }
 * resolveTargets(counts, 'over', { c: 500 }); // Map { 'c' => 500 }
 * ```
 * @param counts rows per class in the whole input
 * @param strategy `'under'`, `'over'` or `'hybrid'`
 * @param target the target; `undefined` means `'auto'`
 * @returns rows per targeted class after sampling, keyed by `classKey`
 * @throws ArrowBalanceError when the target does not fit the counts (names the class and the numbers)
 */
export function resolveTargets(
  counts: ClassCounts,
  strategy: Strategy,
  target: TargetSpec | undefined,
): Map<string, number> {
  const spec = target ?? 'auto';
  validateTargetSpec(spec, strategy);
  const classes: ClassRow[] = counts
    .entries()
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, key: classKey(value), count }));
  if (classes.length === 0) {
    throw new ArrowBalanceError('balancing needs at least two classes but the counts have no rows; check that the input is not empty and that its labels are not all null');
  }
  if (classes.length < 2) {
    const seen = classes.map((c) => `${showClass(c.value)} (${c.count} rows)`).join(', ');
    throw new ArrowBalanceError(
      `balancing needs at least two classes but the counts have ${classes.length}: ${seen}; check the label column and the counts`,
    );
  }
  if (typeof spec === 'string') return targetsByName(classes, strategy, spec);
  if (typeof spec === 'number') return targetsByRatio(classes, strategy, spec);
  const proportions = proportionEntries(spec);
  if (proportions !== undefined) return targetsByProportions(classes, strategy, proportions, counts.total);
  return checkedTargets(classes, strategy, Object.entries(spec), 'target');
}

function targetsByName(classes: readonly ClassRow[], strategy: Strategy, name: TargetName): Map<string, number> {
  const major = extremeClass(classes, 1);
  const minor = extremeClass(classes, -1);
  const pick = (keep: (c: ClassRow) => boolean, count: number): Map<string, number> =>
    new Map(classes.filter(keep).map((c) => [c.key, count]));
  if (strategy === 'hybrid') {
    const total = classes.reduce((sum, c) => sum + c.count, 0);
    const quotas = distributeTotal(classes.map(() => 1 / classes.length), total);
    return new Map(classes.map((c, i) => [c.key, quotas[i] ?? 0]));
  }
  const level = strategy === 'under' ? minor.count : major.count;
  switch (name) {
    case 'all':
      return pick(() => true, level);
    case 'majority':
      return pick((c) => c === major, level);
    case 'minority':
      return pick((c) => c === minor, level);
    case 'not majority':
      return pick((c) => c !== major, level);
    case 'not minority':
      return pick((c) => c !== minor, level);
    case 'auto':
      return pick(strategy === 'under' ? (c) => c !== minor : (c) => c !== major, level);
  }
}

function targetsByRatio(classes: readonly ClassRow[], strategy: Strategy, alpha: number): Map<string, number> {
  if (classes.length !== 2) {
    throw new ArrowBalanceError(
      `target ratio ${alpha} needs exactly two classes but the counts have ${classes.length} (${classes
        .map((c) => showClass(c.value))
        .join(', ')}); give a { class: count } object instead`,
    );
  }
  const major = extremeClass(classes, 1);
  const minor = extremeClass(classes, -1);
  if (strategy === 'over') {
    const want = Math.floor(alpha * major.count + 1e-9);
    if (want < minor.count) {
      throw new ArrowBalanceError(
        `target ratio ${alpha} asks minority class ${showClass(minor.value)} for ${want} rows (${alpha} x ${major.count}) but it already has ${minor.count}; over-sampling cannot remove rows, raise the ratio to at least ${minor.count / major.count}`,
      );
    }
    return new Map([[minor.key, want]]);
  }
  const other = classes.find((c) => c !== minor) ?? major;
  const want = Math.floor(minor.count / alpha + 1e-9);
  if (want > other.count) {
    throw new ArrowBalanceError(
      `target ratio ${alpha} asks class ${showClass(other.value)} for ${want} rows (${minor.count} / ${alpha}) but it has only ${other.count}; under-sampling cannot add rows, raise the ratio to at least ${minor.count / other.count}`,
    );
  }
  return new Map([[other.key, want]]);
}
