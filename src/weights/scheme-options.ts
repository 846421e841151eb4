/**
 * Validation of the weight-scheme options (`scheme`, `beta`, `classWeights`) shared by `classWeights()`,
 * `weight()` and `weightParquet`.
 */
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';
import { DEFAULT_BETA, WEIGHT_SCHEMES } from './schemes.js';
import type { CountScheme, WeightScheme } from './schemes.js';

/** Manual class weights: `{ class: weight }` (keys matched by `classKey`) or a Map such as `classWeights()` returns. */
export type ManualWeights = Readonly<Record<string, number>> | ReadonlyMap<ClassValue, number>;

/** The scheme options as users give them. */
export interface SchemeOptions {
  /** `'balanced'` (default; `'manual'` when `classWeights` is given), `'inverse'`, `'sqrt'`, `'effective'` or `'manual'`. */
  readonly scheme?: WeightScheme | undefined;
  /** The `effective` scheme's beta, 0 <= beta < 1 (default 0.999); only with that scheme. */
  readonly beta?: number | undefined;
  /** The `manual` scheme's weight per class; only with that scheme. */
  readonly classWeights?: ManualWeights | undefined;
}

/** Scheme options after checking: a formula over the counts, or fixed weights by class key. */
export type CheckedScheme =
  | { readonly scheme: CountScheme; readonly beta: number }
  | { readonly scheme: 'manual'; readonly byKey: ReadonlyMap<string, number> };

/**
 * Checks `{ scheme, beta, classWeights }` and fills in defaults. `scheme` defaults to `'manual'` when
 * `classWeights` is given, `'balanced'` otherwise; `beta` defaults to 0.999.
 *
 * Memory: O(classes) for manual weights.
 *
 * @param options the user's options
 * @returns the checked scheme
 * @throws RangeError for an unknown scheme, a beta outside [0, 1), or a negative or non-finite class weight;
 *   TypeError for an option the scheme does not use, `manual` without `classWeights`, or a malformed `classWeights`.
 *   Each names the option (and the class).
 */
export function checkSchemeOptions(options: SchemeOptions): CheckedScheme {
  const { beta, classWeights } = options;
  const scheme = options.scheme ?? (classWeights === undefined ? 'balanced' : 'manual');
  if (!WEIGHT_SCHEMES.includes(scheme)) {
    throw new RangeError(withPrefix(`option "scheme" is ${describe(scheme)}; use one of ${WEIGHT_SCHEMES.map((s) => `'${s}'`).join(', ')}`));
  }
  if (beta !== undefined && scheme !== 'effective') {
    throw new TypeError(withPrefix(`option "beta" is used only by scheme 'effective', not '${scheme}'; drop "beta" or set scheme: 'effective'`));
  }
  if (classWeights !== undefined && scheme !== 'manual') {
    throw new TypeError(withPrefix(`option "classWeights" is used only by scheme 'manual', not '${scheme}'; drop "classWeights" or set scheme: 'manual'`));
  }
  if (scheme === 'manual') {
    if (classWeights === undefined) {
      throw new TypeError(withPrefix(`scheme 'manual' needs option "classWeights", a weight per class such as { buy: 0.75, dont_buy: 0.25 }`));
    }
    return { scheme, byKey: manualByKey(classWeights) };
  }
  const checkedBeta = beta ?? DEFAULT_BETA;
  if (typeof checkedBeta !== 'number' || !(checkedBeta >= 0 && checkedBeta < 1)) {
    throw new RangeError(withPrefix(`option "beta" is ${describe(checkedBeta)}; the effective scheme needs 0 <= beta < 1 (0.999 by default; closer to 1 weights rare classes more)`));
  }
  return { scheme, beta: checkedBeta };
}

/** Manual weights by class key, each checked. */
function manualByKey(weights: ManualWeights): Map<string, number> {
  if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
    throw new TypeError(withPrefix(`option "classWeights" must be an object { class: weight } or a Map of class to weight; got ${describe(weights)}`));
  }
  const entries: Array<readonly [string, unknown]> = weights instanceof Map
    ? [...(weights as ReadonlyMap<ClassValue, unknown>)].map(([value, w]) => [classKey(value), w] as const)
    : Object.entries(weights);
  const byKey = new Map<string, number>();
  for (const [key, w] of entries) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new RangeError(withPrefix(`option "classWeights" gives class "${key}" weight ${describe(w)}; weights must be finite numbers >= 0`));
    }
    if (byKey.has(key)) throw new RangeError(withPrefix(`option "classWeights" gives class "${key}" two weights; give one`));
    byKey.set(key, w);
  }
  return byKey;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(value);
}
