import type { RandomSource } from '../random.js';
import type { RowPlan, RowPlanner } from './engine.js';
import type { ExactQuotas } from './exact-quotas.js';

/**
 * Exact under-sampling: keeps exactly k_c rows of each targeted class, uniformly without replacement and in
 * input order, by Knuth's selection sampling (keep a row with probability (k_c - kept_c) / (n_c - seen_c));
 * rows of untargeted classes pass through. One draw per row of a class still being sampled, in row order.
 * Memory: O(classes) plus the plan of one batch.
 *
 * ## Example
 * ```ts
 * const quotas = new ExactQuotas(coder, new Map([['a', 900], ['b', 100]]), new Map([['a', 100]]));
 * const planner = new ExactUnderPlanner(quotas, seededRandom(1), false);
 * for (const batch of batches) takeRows(batch, planner.plan(coder.encode(batch)).indices);
 * planner.finish(); // throws if the input did not have 900 'a' and 100 'b' rows
 * ```
 */
export class ExactUnderPlanner implements RowPlanner {
  /**
   * @param quotas per-class quotas (every target at most its count)
   * @param random the random source of this planner
   * @param weights whether to compute importance weights
   */
  constructor(
    private readonly quotas: ExactQuotas,
    private readonly random: RandomSource,
    private readonly weights: boolean,
  ) {}

  /**
   * Plans one batch: one draw per row of a class still being sampled.
   * @param codes class code per row (`-1` = dropped)
   * @returns the kept rows in input order
   * @throws ArrowBalanceError when a class has more rows than its count
   */
  plan(codes: Int32Array): RowPlan {
    const q = this.quotas;
    q.sync();
    const out = new Int32Array(codes.length);
    let j = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      // With every target at most its count, a row is emitted at most once.
      if (c >= 0 && q.emissions(c, this.random) > 0) out[j++] = i;
    }
    return q.rowPlan(codes, out.subarray(0, j), this.weights);
  }

  /** Checks the counts at the end of input; see {@link ExactQuotas.finish}. */
  finish(): void {
    this.quotas.finish();
  }
}
