/**
 * `ClassIndexer`: a batch's label column as class indices, in first-appearance order or in a fixed class list.
 */
import type { RecordBatch } from 'apache-arrow';
import { classKey, isClassValue } from '../classes/class-value.js';
import type { ClassValue } from '../classes/class-value.js';
import { LabelCoder } from '../classes/label-coder.js';
import type { NullPolicy } from '../classes/label-options.js';
import { ArrowBalanceError, withPrefix } from '../errors.js';

/**
 * Class index per row, stable for the life of the indexer.
 *
 * Without a fixed list, indices are the {@link LabelCoder}'s codes: the first class seen is 0, the next new
 * one 1, and so on. With `classes`, class `classes[i]` is index `i` (values matched by `classKey`) and any
 * other label is an error that names it.
 *
 * Memory: O(classes).
 */
export class ClassIndexer {
  readonly #coder: LabelCoder;
  readonly #fixed: readonly ClassValue[] | undefined;
  readonly #indexOfKey = new Map<string, number>();
  /** Coder code -> fixed index, filled as the coder meets classes. */
  #translate = new Int32Array(0);

  /**
   * @param label label column name
   * @param nulls null-label policy
   * @param classes a fixed class list, or undefined for first-appearance order
   * @param maxClasses distinct label values accepted (default 100,000)
   * @throws TypeError for a bad class list (not an array, a value that cannot be a class, or a repeat)
   */
  constructor(label: string, nulls: NullPolicy, classes: readonly ClassValue[] | undefined, maxClasses?: number) {
    this.#coder = new LabelCoder({ label, nulls, maxClasses });
    if (classes !== undefined) {
      if (!Array.isArray(classes) || classes.length === 0) {
        throw new TypeError(withPrefix('option "classes" must be a non-empty array of class values'));
      }
      classes.forEach((value: unknown, index) => {
        if (!isClassValue(value)) throw new TypeError(withPrefix(`option "classes" holds ${String(value)}, which cannot be a class value`));
        const key = classKey(value);
        if (this.#indexOfKey.has(key)) throw new TypeError(withPrefix(`option "classes" lists class ${key} twice`));
        this.#indexOfKey.set(key, index);
      });
      this.#fixed = Object.freeze([...classes]);
    }
  }

  /** Class values in index order (a new frozen array whenever a class is added). */
  get classes(): readonly ClassValue[] {
    return this.#fixed ?? this.#coder.values();
  }

  /**
   * Class index of every row; -1 for a row whose null label is dropped (`nulls: 'drop'`).
   *
   * @param batch a batch holding the label column
   * @returns `batch.numRows` indices
   * @throws ArrowBalanceError for a missing or unusable label column, null labels under `'error'`, or a label
   *   outside the fixed class list
   */
  indices(batch: RecordBatch): Int32Array {
    const codes = this.#coder.encode(batch);
    if (this.#fixed === undefined) return codes;
    this.#extendTranslation();
    const translate = this.#translate;
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] as number;
      if (code >= 0) codes[i] = translate[code] as number;
    }
    return codes;
  }

  #extendTranslation(): void {
    const known = this.#translate.length;
    const count = this.#coder.classCount;
    if (count === known) return;
    const grown = new Int32Array(count);
    grown.set(this.#translate);
    for (let code = known; code < count; code++) {
      const value = this.#coder.value(code);
      const index = this.#indexOfKey.get(classKey(value));
      if (index === undefined) {
        const listed = (this.#fixed ?? []).map((v) => classKey(v)).join(', ');
        throw new ArrowBalanceError(
          `label column "${this.#coder.label}" holds class ${classKey(value)}, which is not in the "classes" option (${listed}); add it to the list or filter those rows out`,
        );
      }
      grown[code] = index;
    }
    this.#translate = grown;
  }
}
