import { ArrowBalanceError, withPrefix } from '../errors.js';
import { classKey } from '../classes/class-value.js';
import type { LabelCoder } from '../classes/label-coder.js';
import { poisson } from '../random.js';
import type { RandomSource } from '../random.js';
import type { RowPlan, RowPlanner } from './engine.js';
import type { Strategy, TargetSpec } from './target-spec.js';

/**
 * Desired class proportions of online sampling from a target, by `classKey`, or `undefined` for uniform
 * over the classes seen (`undefined`, `'auto'`, `'all'`). Proportions give f directly; `{ class: count }`
 * gives f proportional to the counts. Shares need not sum to 1: only their ratios matter.
 * @param target the `balance()` target
 * @returns shares by class key, or `undefined` for uniform
 * @throws TypeError for targets that need the class counts (other names, ratios) or a proportions total
 */
export function onlineShares(target: TargetSpec | undefined): Map<string, number> | undefined {
  if (target === undefined || target === 'auto' || target === 'all') return undefined;
  if (typeof target === 'string' || typeof target === 'number') {
    throw new TypeError(
      withPrefix(`option "target" ${JSON.stringify(target)} needs class counts, which mode "online" never has; use "auto", proportions or { class: count } (--target class=count,...), which online mode reads as shares`),
    );
  }
  if ('proportions' in target && typeof target.proportions === 'object') {
    if (target.total !== undefined) {
      throw new TypeError(withPrefix(`option "target" total ${String(target.total)} cannot apply to mode "online" (an unbounded stream); drop "total"`));
    }
    return new Map(Object.entries(target.proportions));
  }
  return new Map(Object.entries(target as Record<string, number>));
}

/**
 * Online sampling for unbounded streams (River's RandomUnderSampler / RandomOverSampler, pytorch-resample):
 * decides per row at once from running class counts g (including the current row) and desired shares f.
 *
 * under: the pivot argmax_c f_c/g_c is always kept; another row is kept with probability
 * (f_y/g_y) / (f_piv/g_piv); expected output n / max_k(f_k/p_k). over: the pivot argmax_c g_c/f_c is emitted
 * once; another row K ~ Poisson((g_piv/f_piv) * f_y/g_y) times; expected output n * max_k(p_k/f_k).
 * hybrid: every row K ~ Poisson((f_y/F) / (g_y/G)) times (F, G: sums over the classes seen), which keeps
 * the expected total at n. Importance weights are 1 / (expected copies). Classes with share 0 are dropped.
 * Memory: O(classes) plus the plan of one batch.
 *
 * ## Example
 * ```ts
 * const planner = new OnlinePlanner(coder, 'under', undefined, seededRandom(7), false);
 * const { indices } = planner.plan(coder.encode(batch));
 * ```
 */
export class OnlinePlanner implements RowPlanner {
  private g: Float64Array = new Float64Array(0);
  private f: Float64Array = new Float64Array(0);
  private known = 0;
  private pivot = -1;
  private shareSum = 0;
  private rows = 0;

  /**
   * @param coder the label coder that numbers the classes
   * @param strategy under, over or hybrid
   * @param shares desired shares by class key (from {@link onlineShares}); `undefined` = uniform
   * @param random the random source of this planner
   * @param weights whether to compute importance weights
   */
  constructor(
    private readonly coder: LabelCoder,
    private readonly strategy: Strategy,
    private readonly shares: ReadonlyMap<string, number> | undefined,
    private readonly random: RandomSource,
    private readonly weights: boolean,
  ) {}

  /**
   * Plans one batch, deciding each row at once from the counts so far.
   * @param codes class code per row (`-1` = dropped)
   * @returns the rows to emit (copies adjacent) and, when asked, 1 / (expected copies) per row
   * @throws ArrowBalanceError for a class the proportions do not name
   */
  plan(codes: Int32Array): RowPlan {
    this.sync();
    const { g, f, random, strategy } = this;
    let out = new Int32Array(codes.length);
    let w = this.weights ? new Float64Array(codes.length) : undefined;
    let j = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      if (c < 0) continue;
      const fc = f[c] as number;
      const gc = (g[c] as number) + 1;
      g[c] = gc;
      if (gc === 1) this.shareSum += fc;
      this.rows++;
      if (fc === 0) continue;
      let copies: number;
      let rate = 1;
      if (strategy === 'hybrid') {
        rate = (fc / this.shareSum) / (gc / this.rows);
        copies = poisson(random, rate);
      } else {
        const p = this.updatePivot(c);
        if (p === c) copies = 1;
        else if (strategy === 'under') {
          rate = (fc / gc) / ((f[p] as number) / (g[p] as number));
          copies = random() < rate ? 1 : 0;
        } else {
          rate = (((g[p] as number) / (f[p] as number)) * fc) / gc;
          copies = poisson(random, rate);
        }
      }
      if (j + copies > out.length) {
        const size = Math.max(out.length * 2, j + copies);
        out = grow(out, new Int32Array(size));
        if (w !== undefined) w = grow(w, new Float64Array(size));
      }
      for (let k = 0; k < copies; k++) {
        if (w !== undefined) w[j] = 1 / rate;
        out[j++] = i;
      }
    }
    const indices = out.subarray(0, j);
    return w === undefined ? { indices } : { indices, weights: w.subarray(0, j) };
  }

  /** Online sampling promises nothing about the end of input. */
  finish(): void {}

  /** Moves the pivot (argmax f/g for under, argmax g/f for over) after a row of class `c` raised g_c. */
  private updatePivot(c: number): number {
    const { f, g } = this;
    const under = this.strategy === 'under';
    const p = this.pivot;
    if (p < 0 || (p === c && under)) {
      let best = -1;
      let bestScore = -1;
      for (let k = 0; k < this.known; k++) {
        const fk = f[k] as number;
        const gk = g[k] as number;
        if (gk === 0 || fk === 0) continue;
        const score = under ? fk / gk : gk / fk;
        if (score > bestScore) {
          best = k;
          bestScore = score;
        }
      }
      this.pivot = best;
    } else if (p !== c) {
      const fc = f[c] as number;
      const gc = g[c] as number;
      const fp = f[p] as number;
      const gp = g[p] as number;
      if (under ? fc / gc > fp / gp : gc / fc > gp / fp) this.pivot = c;
    }
    return this.pivot;
  }

  /** Extends the per-code arrays to the classes the coder knows, looking up each new class's share. */
  private sync(): void {
    const size = this.coder.classCount;
    if (size <= this.known) return;
    if (size > this.g.length) {
      const length = Math.max(size, this.g.length * 2, 8);
      this.g = grow(this.g, new Float64Array(length));
      this.f = grow(this.f, new Float64Array(length));
    }
    for (let code = this.known; code < size; code++) this.f[code] = this.shareOf(code);
    this.known = size;
  }

  private shareOf(code: number): number {
    if (this.shares === undefined) return 1;
    const value = this.coder.value(code);
    const share = this.shares.get(classKey(value));
    if (share !== undefined) return share;
    const named = [...this.shares.keys()].join(', ');
    throw new ArrowBalanceError(
      `class "${classKey(value)}" is not in option "target" (which names ${named}); give it a share (0 drops it)`,
    );
  }
}

function grow<T extends Int32Array | Float64Array>(old: T, next: T): T {
  next.set(old);
  return next;
}
