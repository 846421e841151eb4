import { ArrowBalanceError } from '../errors.js';
import { classKey, showClass } from '../classes/class-value.js';
import type { LabelCoder } from '../classes/label-coder.js';
import type { RandomSource } from '../random.js';
import type { RowPlan } from './engine.js';

/**
 * Per-class quotas of exact sampling, in typed arrays indexed by class code.
 *
 * Each row of class c is emitted `copies[c]` times, plus once more if selection sampling (Knuth's
 * Algorithm S) picks it: `extra[c]` selections remain among `rest[c]` rows still to come. Under-sampling
 * to k is copies 0, extra k; over-sampling to T is copies floor(T/n), extra T mod n; an untargeted class
 * is copies 1, extra 0. Codes are resolved lazily as the label coder meets classes.
 * Memory: O(classes).
 */
export class ExactQuotas {
  /** Copies of every row of the class (0 = under-sampled, 1 = untouched, >= 1 over-sampled). */
  private copies: Float64Array = new Float64Array(0);
  /** Extra emissions still to hand out by selection sampling. */
  private extra: Float64Array = new Float64Array(0);
  /** Rows of the class still expected (n_c minus rows seen). */
  private rest: Float64Array = new Float64Array(0);
  /** Importance weight n_c / T_c (1 for untouched classes). */
  private weight: Float64Array = new Float64Array(0);
  private known = 0;
  private readonly expected: Map<string, number>;

  /**
   * @param coder the label coder that numbers the classes
   * @param counts rows per class in the whole input, by `classKey`
   * @param targets rows per class wanted after sampling, by `classKey` (absent = untouched)
   * @param importance importance weights by `classKey`, when they are not `counts / targets` (a unit of a plan
   *   samples part of the input, but its rows weigh as in the whole)
   */
  constructor(
    private readonly coder: LabelCoder,
    counts: ReadonlyMap<string, number>,
    private readonly targets: ReadonlyMap<string, number>,
    private readonly importance?: ReadonlyMap<string, number>,
  ) {
    this.expected = new Map(counts);
  }

  /** Extends the per-code arrays to every class the coder knows; call once per batch before planning. */
  sync(): void {
    const size = this.coder.classCount;
    if (size <= this.known) return;
    if (size > this.copies.length) {
      const grow = (old: Float64Array): Float64Array => {
        const next = new Float64Array(Math.max(size, old.length * 2, 8));
        next.set(old);
        return next;
      };
      this.copies = grow(this.copies);
      this.extra = grow(this.extra);
      this.rest = grow(this.rest);
      this.weight = grow(this.weight);
    }
    for (let code = this.known; code < size; code++) {
      const key = classKey(this.coder.value(code));
      const n = this.expected.get(key) ?? 0;
      const target = this.targets.get(key);
      const q = target === undefined ? 1 : target >= n ? Math.floor(target / n) : 0;
      this.copies[code] = q;
      this.extra[code] = target === undefined ? 0 : target - q * n;
      this.rest[code] = n;
      this.weight[code] = this.importance?.get(key) ?? (target === undefined ? 1 : n / target);
    }
    this.known = size;
  }

  /**
   * Throws the error for a row beyond the count given for its class.
   * @param code the class code of the row
   * @returns never
   * @throws ArrowBalanceError naming the class and its count
   */
  private overflow(code: number): never {
    const value = this.coder.value(code);
    const n = this.expected.get(classKey(value)) ?? 0;
    const said = n === 0 ? 'is not in "counts"' : `has more rows than the ${n} given in "counts"`;
    throw new ArrowBalanceError(
      `class ${showClass(value)} ${said}; pass the counts of this very input (e.g. from countClasses or a first pass over the label column)`,
    );
  }

  /**
   * Checks that every class had exactly its counted rows.
   * @throws ArrowBalanceError naming the first class whose rows fell short, with both numbers
   */
  finish(): void {
    this.sync();
    const values = this.coder.values();
    const left = new Map<string, number>(this.expected);
    for (let code = 0; code < values.length; code++) left.set(classKey(values[code] ?? null), this.rest[code] ?? 0);
    for (const [key, rest] of left) {
      if (rest === 0) continue;
      const n = this.expected.get(key) ?? 0;
      throw new ArrowBalanceError(
        `class "${key}" had ${n - rest} rows in the input but "counts" said ${n}; pass the counts of this very input (e.g. from countClasses or a first pass over the label column)`,
      );
    }
  }

  /**
   * The importance weight of each planned row.
   * @param codes the batch's class codes
   * @param indices the planned rows
   * @returns one weight per planned row
   */
  private weightsFor(codes: Int32Array, indices: Int32Array): Float64Array {
    const out = new Float64Array(indices.length);
    const weight = this.weight;
    for (let j = 0; j < indices.length; j++) out[j] = weight[codes[indices[j] as number] as number] as number;
    return out;
  }

  /**
   * Counts one row of class `code` as seen and says how often to emit it: `copies[code]` times, plus once
   * more if selection sampling picks it (a draw only while the class has selections pending).
   * @param code the class code of the row (not -1)
   * @param random the planner's random source
   * @returns how many times to emit the row
   * @throws ArrowBalanceError when the class has more rows than its count
   */
  emissions(code: number, random: RandomSource): number {
    const left = this.rest[code] as number;
    if (left <= 0) this.overflow(code);
    this.rest[code] = left - 1;
    const need = this.extra[code] as number;
    if (need > 0 && (need >= left || random() * left < need)) {
      this.extra[code] = need - 1;
      return (this.copies[code] as number) + 1;
    }
    return this.copies[code] as number;
  }

  /**
   * An upper bound on the rows a batch's plan emits: each row's copies, plus one while its class has
   * selections pending.
   * @param codes the batch's class codes
   * @returns the length to allocate for the plan
   */
  emissionBound(codes: Int32Array): number {
    const { copies, extra } = this;
    let bound = 0;
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i] as number;
      if (c >= 0) bound += (copies[c] as number) + ((extra[c] as number) > 0 ? 1 : 0);
    }
    return bound;
  }

  /**
   * The plan of one batch, with the importance weight of each planned row when asked for.
   * @param codes the batch's class codes
   * @param indices the planned rows
   * @param weights whether to add weights
   */
  rowPlan(codes: Int32Array, indices: Int32Array, weights: boolean): RowPlan {
    return weights ? { indices, weights: this.weightsFor(codes, indices) } : { indices };
  }
}
