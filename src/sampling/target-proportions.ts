import { ArrowBalanceError } from '../errors.js';
import { showClass } from '../classes/class-value.js';
import { checkedTargets, classFinder, type ClassRow } from './target-classes.js';
import type { ProportionEntries, Strategy } from './target-spec.js';

/**
 * Resolves a `{ proportions, total? }` target: every class needs a share; without a total it takes the
 * largest total under-sampling allows, the smallest total over-sampling needs, or all `rows` for hybrid.
 * @param classes the classes with rows
 * @param strategy the strategy
 * @param spec the shares and total, as `proportionEntries` reads them
 * @param rows rows in the whole input
 * @returns rows per class after sampling, keyed by `classKey`
 * @throws ArrowBalanceError when a class has no share or the counts cannot reach the shares
 */
export function targetsByProportions(
  classes: readonly ClassRow[],
  strategy: Strategy,
  spec: ProportionEntries,
  rows: number,
): Map<string, number> {
  const share = new Map(spec.entries);
  const find = classFinder(classes, 'target proportions');
  for (const key of share.keys()) find(key);
  const missing = classes.filter((c) => !share.has(c.key));
  if (missing.length > 0) {
    throw new ArrowBalanceError(
      `target proportions name no share for class ${missing.slice(0, 20).map((c) => showClass(c.value)).join(', ')}${missing.length > 20 ? ` and ${missing.length - 20} more` : ''}; give every class a proportion (0 drops a class)`,
    );
  }
  const p = classes.map((c) => share.get(c.key) ?? 0);
  let total = spec.total;
  if (total === undefined) {
    const ratios = classes.map((c, i) => ((p[i] ?? 0) > 0 ? c.count / (p[i] ?? 1) : Infinity));
    if (strategy === 'hybrid') total = rows;
    else if (strategy === 'under') total = Math.floor(ratios.reduce((min, r) => Math.min(min, r), Infinity) + 1e-9);
    else total = Math.ceil(ratios.reduce((max, r) => (Number.isFinite(r) ? Math.max(max, r) : max), -Infinity) - 1e-9);
  }
  const quotas = distributeTotal(p, total);
  return checkedTargets(classes, strategy, classes.map((c, i) => [c.key, quotas[i] ?? 0]), `target proportions with total ${total}`);
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
