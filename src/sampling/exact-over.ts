import type { RandomSource } from '../random.js';
import type { RowPlan, RowPlanner } from './engine.js';
import type { ExactQuotas } from './exact-quotas.js';

/**
 * Exact over-sampling (and hybrid): emits exactly T_c rows of each targeted class.
 *
 * Each row of class c is emitted q = floor(T_c / n_c) times, plus once more for a uniform subset of
 * r = T_c - q * n_c rows picked by selection sampling (Knuth's Algorithm S); copies are adjacent. A class
 * whose target is below its count has q = 0 and r = T_c, which is exact under-sampling, so the same
 * planner serves `strategy: 'hybrid'`. Untargeted classes pass through. One draw per row of a class with
 * selections pending, in row order.
 * Memory: O(classes) plus the plan of one batch.
 *
 * ## Example
 * ```ts
 * const quotas = new ExactQuotas(coder, new Map([['a', 3], ['b', 1]]), new Map([['b', 3]]));
 * const planner = new ExactOverPlanner(quotas, seededRandom(1), false);
 * planner.plan(coder.encode(batch)).indices; // every row of 'a' once, the 'b' row three times
 * ```
 */
export class ExactOverPlanner implements RowPlanner {
  /**
   * @param quotas per-class quotas
   * @param random the random source of this planner
   * @param weights whether to compute importance weights
   */
  constructor(
    private readonly quotas: ExactQuotas,
    private readonly random: RandomSource,
    private readonly weights: boolean,
  ) {}

  /**
   * Plans one batch.
   * @param codes class code per row (`-1` = dropped)
   * @returns the rows to emit, each repeated q or q + 1 times in a row
   */
  plan(codes: Int32Array): RowPlan {
    const q = this.quotas;
    q.sync();
    const out = new Int32Array(q.emissionBound(codes));
    let j = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      for (let k = q.emissions(c, this.random); k > 0; k--) out[j++] = i;
    }
    return q.rowPlan(codes, out.subarray(0, j), this.weights);
  }

  /** Checks the counts at the end of input; see {@link ExactQuotas.finish}. */
  finish(): void {
    this.quotas.finish();
  }
}
