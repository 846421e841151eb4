import { ArrowBalanceError, withPrefix } from '../errors.js';
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import type { ClassCounts } from '../classes/class-counts.js';

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

/** One class as targets see it: its value, its `classKey` and its row count. */
interface ClassRow {
  readonly value: ClassValue;
  readonly key: string;
  readonly count: number;
}

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
  if (classes.length < 2) {
    const seen = classes.map((c) => `${show(c.value)} (${c.count} rows)`).join(', ') || 'none';
    throw new ArrowBalanceError(
      `balancing needs at least two classes but the counts have ${classes.length}: ${seen}; check the label column and the counts`,
    );
  }
  if (typeof spec === 'string') return byName(classes, strategy, spec);
  if (typeof spec === 'number') return byRatio(classes, strategy, spec);
  const proportions = proportionEntries(spec);
  if (proportions !== undefined) return byProportions(classes, strategy, proportions, counts.total);
  return checked(classes, strategy, Object.entries(spec), 'target');
}

function byName(classes: readonly ClassRow[], strategy: Strategy, name: TargetName): Map<string, number> {
  const major = extreme(classes, 1);
  const minor = extreme(classes, -1);
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

function byRatio(classes: readonly ClassRow[], strategy: Strategy, alpha: number): Map<string, number> {
  if (classes.length !== 2) {
    throw new ArrowBalanceError(
      `target ratio ${alpha} needs exactly two classes but the counts have ${classes.length} (${classes
        .map((c) => show(c.value))
        .join(', ')}); give a { class: count } object instead`,
    );
  }
  const major = extreme(classes, 1);
  const minor = extreme(classes, -1);
  if (strategy === 'over') {
    const want = Math.floor(alpha * major.count + 1e-9);
    if (want < minor.count) {
      throw new ArrowBalanceError(
        `target ratio ${alpha} asks minority class ${show(minor.value)} for ${want} rows (${alpha} x ${major.count}) but it already has ${minor.count}; over-sampling cannot remove rows, raise the ratio to at least ${minor.count / major.count}`,
      );
    }
    return new Map([[minor.key, want]]);
  }
  const other = classes.find((c) => c !== minor) ?? major;
  const want = Math.floor(minor.count / alpha + 1e-9);
  if (want > other.count) {
    throw new ArrowBalanceError(
      `target ratio ${alpha} asks class ${show(other.value)} for ${want} rows (${minor.count} / ${alpha}) but it has only ${other.count}; under-sampling cannot add rows, raise the ratio to at least ${minor.count / other.count}`,
    );
  }
  return new Map([[other.key, want]]);
}

function byProportions(
  classes: readonly ClassRow[],
  strategy: Strategy,
  spec: { entries: [string, number][]; total: number | undefined },
  rows: number,
): Map<string, number> {
  const share = new Map(spec.entries);
  for (const key of share.keys()) known(classes, key, 'target proportions');
  const missing = classes.filter((c) => !share.has(c.key));
  if (missing.length > 0) {
    throw new ArrowBalanceError(
      `target proportions name no share for class ${missing.map((c) => show(c.value)).join(', ')}; give every class a proportion (0 drops a class)`,
    );
  }
  const p = classes.map((c) => share.get(c.key) ?? 0);
  let total = spec.total;
  if (total === undefined) {
    const ratios = classes.map((c, i) => ((p[i] ?? 0) > 0 ? c.count / (p[i] ?? 1) : Infinity));
    if (strategy === 'hybrid') total = rows;
    else if (strategy === 'under') total = Math.floor(Math.min(...ratios) + 1e-9);
    else total = Math.ceil(Math.max(...ratios.filter(Number.isFinite)) - 1e-9);
  }
  const quotas = distributeTotal(p, total);
  return checked(classes, strategy, classes.map((c, i) => [c.key, quotas[i] ?? 0]), `target proportions with total ${total}`);
}

/** Builds the map from explicit per-class counts, rejecting unknown classes and counts the strategy cannot reach. */
function checked(
  classes: readonly ClassRow[],
  strategy: Strategy,
  entries: readonly (readonly [string, number])[],
  what: string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, want] of entries) {
    const c = known(classes, key, what);
    if (strategy === 'under' && want > c.count) {
      throw new ArrowBalanceError(
        `${what} asks class ${show(c.value)} for ${want} rows but it has only ${c.count}; under-sampling cannot add rows, ask for at most ${c.count} or use strategy "over" or "hybrid"`,
      );
    }
    if (strategy === 'over' && want < c.count) {
      throw new ArrowBalanceError(
        `${what} asks class ${show(c.value)} for ${want} rows but it already has ${c.count}; over-sampling cannot remove rows, ask for at least ${c.count} or use strategy "under" or "hybrid"`,
      );
    }
    out.set(c.key, want);
  }
  return out;
}

function known(classes: readonly ClassRow[], key: string, what: string): ClassRow {
  const found = classes.find((c) => c.key === key);
  if (found !== undefined) return found;
  const list = classes.map((c) => `${c.key} (${c.count} rows)`).join(', ');
  throw new ArrowBalanceError(`${what} names class "${key}" but the label has no such class; classes are: ${list}`);
}

/** The first class in value order with the largest (`sign` 1) or smallest (`sign` -1) count. */
function extreme(classes: readonly ClassRow[], sign: 1 | -1): ClassRow {
  let best = classes[0] as ClassRow;
  for (const c of classes) if (sign * (c.count - best.count) > 0) best = c;
  return best;
}

function show(value: ClassValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

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
      throw new TypeError(withPrefix(`option "target" "${target}" cannot be used with strategy "${strategy}" (it would ${strategy === 'under' ? 'cut the smallest' : 'raise the largest'} class); use "not ${target}" or "auto"`));
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

/** The entries and total of a proportions target, or `undefined` for any other target; checks each share. */
function proportionEntries(target: unknown): { entries: [string, number][]; total: number | undefined } | undefined {
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

/**
 * Splits `total` rows by shares `p` (summing to 1) with the largest-remainder method, ties to the first share.
 *
 * Memory: O(shares).
 *
 * ## Example
 * ```ts
 * distributeTotal([1 / 3, 1 / 3, 1 / 3], 10); // [4, 3, 3]
 * ```
 * @param p shares summing to 1
 * @param total rows to split
 * @returns integer counts summing to `total`
 */
export function distributeTotal(p: readonly number[], total: number): number[] {
  const exact = p.map((share) => share * total);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - (out[i] ?? 0) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let j = 0; left > 0 && order.length > 0; j = (j + 1) % order.length, left--) {
    const i = (order[j] as { i: number }).i;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}
