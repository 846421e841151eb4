import { withPrefix } from '../errors.js';
import type { RandomSource } from '../random.js';
import { hypergeometric } from './hypergeometric.js';

/**
 * Splits a quota of one class over the units holding it, as a uniform draw without replacement would: a
 * multivariate hypergeometric draw, made as one conditional hypergeometric draw per unit in unit order.
 *
 * Taking `quota` of a class's rows uniformly at random and counting how many fall in each unit gives the
 * same distribution; so does drawing those counts first and then, inside each unit, a uniform subset of its
 * count. That is what lets units run apart and still make one uniform sample.
 * @param random the plan's source; draws are consumed in unit order
 * @param rows the class's rows in each unit
 * @param quota how many of those rows to take, at most their sum
 * @returns the rows taken in each unit; they add up to `quota` exactly, and none exceeds its unit's rows
 * @throws RangeError for a quota above the class's rows
 */
export function splitQuota(random: RandomSource, rows: ArrayLike<number>, quota: number): Float64Array {
  let left = 0;
  for (let u = 0; u < rows.length; u++) left += rows[u] as number;
  if (!Number.isSafeInteger(quota) || quota < 0 || quota > left) {
    throw new RangeError(withPrefix(`a quota of ${quota} cannot be split over units holding ${left} rows`));
  }
  const out = new Float64Array(rows.length);
  let wanted = quota;
  for (let u = 0; u < rows.length && wanted > 0; u++) {
    const here = rows[u] as number;
    const taken = hypergeometric(random, left, here, wanted);
    out[u] = taken;
    wanted -= taken;
    left -= here;
  }
  return out;
}
