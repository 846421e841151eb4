/**
 * Weight per class code for each batch: fixed in advance (known counts or manual weights) or from running counts.
 */
import type { ClassCounts } from '../classes/class-counts.js';
import type { ClassCodebook } from '../classes/class-tally.js';
import { ClassTally } from '../classes/class-tally.js';
import { classKey } from '../classes/class-value.js';
import { ArrowBalanceError } from '../errors.js';
import { manualWeight } from './class-weights.js';
import type { CountScheme } from './schemes.js';
import { schemeWeights } from './schemes.js';

/** Gives, for one batch's class codes, the weight of every code. */
export interface CodeWeights {
  /**
   * Takes the codes of the rows being weighted (no negative codes) and returns the weight of each code.
   * @param codes class code per row
   * @returns weights indexed by code (at least one slot per code in `codes`)
   */
  update(codes: Int32Array): Float64Array;
}

/**
 * Weights fixed before any data: from given counts or manual weights, looked up by class key as codes appear.
 * With `counts`, a class beyond its count (or not in the counts) is an error: the counts do not describe the input.
 *
 * Memory: one Float64Array slot per class code, plus a row count per class when `counts` is given.
 */
export class FixedCodeWeights implements CodeWeights {
  #weights = new Float64Array(8);
  #limits = new Float64Array(8);
  #resolved = 0;
  readonly #tally: ClassTally | undefined;

  /**
   * @param coder the label coder (maps codes to class values)
   * @param byKey the weight of every class, by class key
   * @param counts the given counts, checked against the rows seen; undefined for manual weights without counts
   */
  constructor(
    private readonly coder: ClassCodebook,
    private readonly byKey: ReadonlyMap<string, number>,
    private readonly counts: ClassCounts | undefined,
  ) {
    this.#tally = counts === undefined ? undefined : new ClassTally();
  }

  update(codes: Int32Array): Float64Array {
    const classes = this.coder.classCount;
    if (classes > this.#resolved) this.#resolve(classes);
    const tally = this.#tally;
    if (tally !== undefined) {
      tally.add(codes);
      const limits = this.#limits;
      for (let code = 0; code < classes; code++) {
        const seen = tally.countOf(code);
        if (seen > (limits[code] as number)) {
          throw new ArrowBalanceError(
            `class "${classKey(this.coder.value(code))}" has more rows than option "counts" gives it (${seen} seen, ${limits[code]} given); `
            + 'counts must be the rows per class of the whole input (e.g. from countClasses or countParquet)',
          );
        }
      }
    }
    return this.#weights;
  }

  #resolve(classes: number): void {
    if (classes > this.#weights.length) {
      let size = this.#weights.length;
      while (size < classes) size *= 2;
      this.#weights = grow(this.#weights, size);
      this.#limits = grow(this.#limits, size);
    }
    for (let code = this.#resolved; code < classes; code++) {
      const key = classKey(this.coder.value(code));
      if (this.counts !== undefined && !this.byKey.has(key)) {
        throw new ArrowBalanceError(
          `class "${key}" appears in the data but option "counts" has no rows for it; counts must cover every class of the input (e.g. from countClasses or countParquet)`,
        );
      }
      this.#weights[code] = manualWeight(this.byKey, key);
      this.#limits[code] = this.counts?.countOfKey(key) ?? 0;
    }
    this.#resolved = classes;
  }
}

function grow(values: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(size);
  grown.set(values);
  return grown;
}

/**
 * Weights from the counts seen so far, including the batch being weighted; they drift until the class shares settle.
 *
 * Memory: one row count per class, and a fresh Float64Array of one slot per class per batch.
 */
export class RunningCodeWeights implements CodeWeights {
  readonly #tally = new ClassTally();

  /**
   * @param scheme the formula
   * @param beta the effective scheme's beta
   */
  constructor(private readonly scheme: CountScheme, private readonly beta: number) {}

  update(codes: Int32Array): Float64Array {
    const tally = this.#tally;
    tally.add(codes);
    const counts = new Float64Array(tally.classCount);
    for (let code = 0; code < counts.length; code++) counts[code] = tally.countOf(code);
    return schemeWeights(counts, this.scheme, this.beta);
  }
}
