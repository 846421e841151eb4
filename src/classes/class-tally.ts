/**
 * `ClassTally`: the mutable per-code row counter engines keep while batches stream through.
 */
import { ClassCounts } from './class-counts.js';
import type { ClassValue } from './class-value.js';

/** What a tally needs from a coder to turn codes back into class values. */
export interface ClassCodebook {
  readonly classCount: number;
  value(code: number): ClassValue;
}

/**
 * Running row counts per dense class code (as produced by `LabelCoder.encode`); code -1 (dropped null) is skipped.
 *
 * Memory: one Float64Array slot per class code (grown by doubling).
 *
 * ## Example
 * ```ts
 * const tally = new ClassTally();
 * tally.add(coder.encode(batch));
 * tally.snapshot(coder).toJSON();
 * ```
 */
export class ClassTally {
  #counts: Float64Array = new Float64Array(8);
  #classes = 0;
  #total = 0;

  /**
   * Counts one batch of codes.
   *
   * @param codes class code per row; negative codes are ignored
   */
  add(codes: Int32Array): void {
    let counts = this.#counts;
    let added = 0;
    let top = this.#classes - 1;
    for (let i = 0, n = codes.length; i < n; i++) {
      const code = codes[i] as number;
      if (code < 0) continue;
      if (code >= counts.length) counts = this.#grow(code);
      counts[code] = (counts[code] as number) + 1;
      if (code > top) top = code;
      added++;
    }
    this.#classes = top + 1;
    this.#total += added;
  }

  /**
   * Adds `rows` rows to one class code.
   *
   * @param code class code (>= 0)
   * @param rows rows to add (default 1)
   */
  addCode(code: number, rows = 1): void {
    if (code >= this.#counts.length) this.#grow(code);
    this.#counts[code] = (this.#counts[code] as number) + rows;
    if (code >= this.#classes) this.#classes = code + 1;
    this.#total += rows;
  }

  /**
   * Rows counted for a code.
   *
   * @param code class code
   * @returns its count (0 when never seen)
   */
  countOf(code: number): number {
    return this.#counts[code] ?? 0;
  }

  /** Rows counted over all codes. */
  get total(): number {
    return this.#total;
  }

  /** One more than the highest code counted. */
  get classCount(): number {
    return this.#classes;
  }

  /**
   * The counts as immutable {@link ClassCounts}, one entry per class the coder knows (0 for classes not counted here).
   *
   * @param coder maps codes to class values
   * @returns the snapshot
   */
  snapshot(coder: ClassCodebook): ClassCounts {
    const classes = Math.max(coder.classCount, this.#classes);
    const values: ClassValue[] = new Array<ClassValue>(classes);
    for (let code = 0; code < classes; code++) values[code] = coder.value(code);
    const counts = new Float64Array(classes);
    counts.set(this.#counts.subarray(0, Math.min(classes, this.#counts.length)));
    return ClassCounts.fromArrays(values, counts);
  }

  /** Forgets all counts. */
  reset(): void {
    this.#counts = new Float64Array(8);
    this.#classes = 0;
    this.#total = 0;
  }

  #grow(code: number): Float64Array {
    let size = this.#counts.length;
    while (size <= code) size *= 2;
    const grown = new Float64Array(size);
    grown.set(this.#counts);
    this.#counts = grown;
    return grown;
  }
}
