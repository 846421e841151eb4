/**
 * Resolving focal loss's `alpha` option (a number, per-class weights, or a `classWeights()` Map) into numbers.
 */
import { classKey } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { withPrefix } from '../errors.js';

/** Per-class weights: an array in class-index order, or a Map from class value (e.g. from `classWeights()`). */
export type ClassAlpha = readonly number[] | ReadonlyMap<ClassValue, number>;

/** `alpha` after checking: none, one number, or one weight per class index. */
export type ResolvedAlpha = { readonly kind: 'none' } | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'perClass'; readonly values: readonly number[] };

/**
 * Checks `alpha` and turns it into numbers in class-index order.
 *
 * @param alpha undefined, a number in [0, 1], an array of non-negative weights, or a Map from class value
 * @param classes class values in index order (needed for a Map; a `TrainingBatch` has them as `classes`)
 * @returns the resolved alpha
 * @throws TypeError / RangeError naming what is wrong (a Map without `classes`, a class without a weight, a
 *   negative or non-finite weight, a scalar outside [0, 1])
 */
export function resolveAlpha(alpha: number | ClassAlpha | undefined, classes: readonly ClassValue[] | undefined): ResolvedAlpha {
  if (alpha === undefined) return { kind: 'none' };
  if (typeof alpha === 'number') {
    if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(withPrefix(`focal loss "alpha" as a number must lie in [0, 1]; got ${alpha}`));
    return { kind: 'scalar', value: alpha };
  }
  const values = alpha instanceof Map ? fromMap(alpha as ReadonlyMap<ClassValue, number>, classes) : Array.isArray(alpha) ? [...(alpha as readonly number[])] : undefined;
  if (values === undefined) throw new TypeError(withPrefix('focal loss "alpha" must be a number, an array of per-class weights or a Map'));
  if (values.length === 0) throw new RangeError(withPrefix('focal loss "alpha" lists no class weights'));
  values.forEach((value, index) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(withPrefix(`focal loss "alpha" for class index ${index} must be a finite non-negative number; got ${String(value)}`));
    }
  });
  return { kind: 'perClass', values };
}

function fromMap(weights: ReadonlyMap<ClassValue, number>, classes: readonly ClassValue[] | undefined): number[] {
  if (classes === undefined) {
    throw new TypeError(withPrefix('focal loss "alpha" given as a Map needs "classes" (class values in index order, e.g. batch.classes)'));
  }
  const byKey = new Map<string, number>();
  for (const [value, weight] of weights) byKey.set(classKey(value), weight);
  return classes.map((value) => {
    const weight = byKey.get(classKey(value));
    if (weight === undefined) throw new RangeError(withPrefix(`focal loss "alpha" has no weight for class ${classKey(value)}`));
    return weight;
  });
}
