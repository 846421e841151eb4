/**
 * `classWeights()`: the weight of each class from its row count, by scheme; and `byClassKey()` to look weights up by key.
 */
import type { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { ArrowBalanceError } from '../errors.js';
import { toClassCounts } from './counts-input.js';
import type { CountsInput } from './counts-input.js';
import { checkSchemeOptions } from './scheme-options.js';
import type { CheckedScheme, SchemeOptions } from './scheme-options.js';
import { schemeWeights } from './schemes.js';

/**
 * The weight of every class, from rows per class.
 *
 * Schemes (N = total rows, K = classes with rows, n_c = rows of class c):
 * - `balanced` (default): w_c = N / (K * n_c), as scikit-learn's `compute_class_weight('balanced')`; the row
 *   weights sum to N and each class contributes N / K.
 * - `inverse`: 1 / n_c rescaled so the row weights sum to N (which makes it equal to `balanced`).
 * - `sqrt`: 1 / sqrt(n_c) rescaled so the row weights sum to N.
 * - `effective` (Cui et al. 2019): (1 - beta) / (1 - beta^n_c) rescaled so the K class weights sum to K;
 *   `beta` defaults to 0.999 and must satisfy 0 <= beta < 1.
 * - `manual` (the default when `classWeights` is given): the weights of `classWeights`, `{ class: weight }`
 *   (Keras' `class_weight`) with keys matched by `classKey`, or a Map. Every class of `counts` needs one;
 *   weights of classes not in `counts` are ignored.
 *
 * Keys: the class values of `counts` ({@link ClassValue}: numbers, bigints beyond 2^53, strings, booleans, null),
 * in value order. Map keys compare by identity of value, so the integer class 3 is `get(3)`, not `get('3')`;
 * {@link byClassKey} gives the same weights keyed by `classKey` (`'3'`, `'true'`, `'null'`).
 *
 * Classes with zero rows get no weight (they are left out of the Map) and do not count in K. Empty counts
 * give an empty Map.
 *
 * Memory: O(classes).
 *
 * ## Example
 * ```ts
 * classWeights({ a: 90, b: 9, c: 1 }); // Map { 'a' => 0.370…, 'b' => 3.703…, 'c' => 33.33… }
 * classWeights(counts, { scheme: 'effective', beta: 0.99 });
 * classWeights(counts, { classWeights: { buy: 0.75, dont_buy: 0.25 } }); // manual
 * ```
 *
 * @param counts rows per class: a ClassCounts (from `countClasses`, `countParquet`) or `{ class: rows }`
 * @param options `scheme`, `beta` (effective), `classWeights` (manual)
 * @returns the weight of each class with rows, keyed by class value
 * @throws TypeError / RangeError naming a bad option or count; ArrowBalanceError when a manual scheme lacks the
 *   weight of a class that has rows (naming the class and its rows)
 */
export function classWeights(counts: CountsInput, options: SchemeOptions = {}): Map<ClassValue, number> {
  if (options === null || typeof options !== 'object') throw new TypeError('arrow-balance: classWeights() options must be an object');
  const checked = checkSchemeOptions(options);
  return weightsFromCounts(toClassCounts(counts), checked);
}

/**
 * Class weights keyed by `classKey` (the string form used by `{ class: ... }` objects).
 *
 * ## Example
 * ```ts
 * byClassKey(classWeights({ '-1': 10923, '1': 260 })).get('1'); // 11183 / 520
 * ```
 *
 * @param weights weights keyed by class value, as {@link classWeights} returns
 * @returns a new Map from class key to weight, in the same order
 */
export function byClassKey(weights: ReadonlyMap<ClassValue, number>): Map<string, number> {
  return new Map([...weights].map(([value, w]): [string, number] => [classKey(value), w]));
}

/**
 * The weights of checked scheme options over counts: the engine behind {@link classWeights}.
 *
 * Memory: O(classes).
 *
 * @param counts rows per class
 * @param checked options checked by `checkSchemeOptions`
 * @returns the weight of each class with rows, in value order
 * @throws ArrowBalanceError when a manual scheme lacks a class that has rows
 */
export function weightsFromCounts(counts: ClassCounts, checked: CheckedScheme): Map<ClassValue, number> {
  const entries = counts.entries().filter(([, n]) => n > 0);
  const out = new Map<ClassValue, number>();
  if (checked.scheme === 'manual') {
    for (const [value, n] of entries) out.set(value, manualWeight(checked.byKey, classKey(value), n));
    return out;
  }
  const weights = schemeWeights(entries.map(([, n]) => n), checked.scheme, checked.beta);
  entries.forEach(([value], c) => out.set(value, weights[c] as number));
  return out;
}

/**
 * One class's manual weight.
 *
 * @param byKey manual weights by class key
 * @param key the class's key
 * @param rows the class's rows (for the message), or undefined when unknown
 * @returns the weight
 * @throws ArrowBalanceError naming the class and the classes that have weights
 */
export function manualWeight(byKey: ReadonlyMap<string, number>, key: string, rows?: number): number {
  const w = byKey.get(key);
  if (w !== undefined) return w;
  const known = [...byKey.keys()].map((k) => JSON.stringify(k)).join(', ');
  const where = rows === undefined ? 'appears in the data' : `has ${rows} row${rows === 1 ? '' : 's'}`;
  throw new ArrowBalanceError(
    `class "${key}" ${where} but option "classWeights" (--class-weight) gives it no weight (it gives ${known === '' ? 'none' : known}); give every class a weight`,
  );
}
