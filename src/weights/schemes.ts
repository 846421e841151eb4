/**
 * The class-weight formulas (`balanced`, `inverse`, `sqrt`, `effective`) over an array of class counts.
 */

/** How class weights are computed; see {@link schemeWeights} for the formulas. */
export type WeightScheme = 'balanced' | 'inverse' | 'sqrt' | 'effective' | 'manual';

/** The schemes whose weights come from the class counts (all but `manual`). */
export type CountScheme = Exclude<WeightScheme, 'manual'>;

/** Every scheme, in the order documentation lists them. */
export const WEIGHT_SCHEMES: readonly WeightScheme[] = ['balanced', 'inverse', 'sqrt', 'effective', 'manual'];

/** The default `beta` of the `effective` scheme (Cui et al. 2019). */
export const DEFAULT_BETA = 0.999;

/**
 * Class weights from rows per class, one weight per entry of `counts`.
 *
 * With N = sum of counts and K = number of classes with at least one row:
 * - `balanced`: w_c = N / (K * n_c) (scikit-learn's `compute_class_weight('balanced')`): the row weights sum to N and
 *   every class contributes N / K.
 * - `inverse`: w_c proportional to 1 / n_c, rescaled so the row weights sum to N. That rescaling makes it equal to
 *   `balanced`; it is offered under its common name.
 * - `sqrt`: w_c proportional to 1 / sqrt(n_c), rescaled so the row weights sum to N:
 *   w_c = N / (sqrt(n_c) * sum_j sqrt(n_j)).
 * - `effective` (class-balanced loss, Cui et al. 2019): w_c proportional to (1 - beta) / (1 - beta^n_c), rescaled so
 *   the K class weights sum to K.
 *
 * A class with no rows gets weight 0 and does not count in K (no row can carry its weight).
 *
 * Memory: one Float64Array of `counts.length`.
 *
 * ## Example
 * ```ts
 * schemeWeights([90, 9, 1], 'balanced', 0.999); // Float64Array [100/270, 100/27, 100/3]
 * ```
 *
 * @param counts rows per class (non-negative)
 * @param scheme the formula
 * @param beta the `effective` scheme's beta, 0 <= beta < 1 (checked by the caller); ignored by the others
 * @returns the weight of each class, indexed like `counts`
 */
export function schemeWeights(counts: ArrayLike<number>, scheme: CountScheme, beta: number): Float64Array {
  const classes = counts.length;
  const weights = new Float64Array(classes);
  let total = 0;
  let present = 0;
  for (let c = 0; c < classes; c++) {
    const n = counts[c] as number;
    if (n > 0) {
      total += n;
      present++;
    }
  }
  if (present === 0) return weights;
  switch (scheme) {
    case 'balanced':
    case 'inverse':
      for (let c = 0; c < classes; c++) {
        const n = counts[c] as number;
        if (n > 0) weights[c] = total / (present * n);
      }
      break;
    case 'sqrt': {
      let roots = 0;
      for (let c = 0; c < classes; c++) roots += Math.sqrt(Math.max(0, counts[c] as number));
      for (let c = 0; c < classes; c++) {
        const n = counts[c] as number;
        if (n > 0) weights[c] = total / (Math.sqrt(n) * roots);
      }
      break;
    }
    case 'effective': {
      // 1 - beta^n as -expm1(n ln beta): exact for beta near 1, where 1 - beta^n would lose digits
      const logBeta = Math.log(beta);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const n = counts[c] as number;
        if (n <= 0) continue;
        const raw = (1 - beta) / -Math.expm1(n * logBeta);
        weights[c] = raw;
        sum += raw;
      }
      for (let c = 0; c < classes; c++) weights[c] = (present * (weights[c] as number)) / sum;
      break;
    }
  }
  return weights;
}
