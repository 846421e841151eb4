/**
 * `ClassCounts`: an immutable count of rows per class, mergeable by addition and serialisable as JSON.
 */
import { ArrowBalanceError } from '../errors.js';
import { classKey, compareClassValues, isClassValue } from './class-value.js';
import type { ClassValue } from './class-value.js';
import { escapeText } from '../text/escape-text.js';

/** JSON form of {@link ClassCounts}: classes in value order; integers beyond 2^53 as decimal strings. */
export interface ClassCountsJSON {
  total: number;
  classes: Array<{ value: number | string | boolean | null; count: number }>;
}

const MAX_EXACT = 2n ** 53n;

/**
 * Rows per class. Immutable: `merge` returns a new instance.
 *
 * Classes are identified by {@link classKey} (the string form used by `{ class: n }` objects), so the
 * integer 3 and a JSON string "3" name the same class; where two values share a key, the non-string one is
 * kept (a bigint read back from JSON as a string regains its type when merged with a coder's counts).
 * Entries are kept in value order ({@link compareClassValues}). Counts are non-negative safe integers.
 *
 * Memory: O(classes): the values in an array and the counts in a Float64Array (16 bytes a class beside the
 * values, which a coder's counts share with the coder). The index that {@link ClassCounts.count} and
 * {@link ClassCounts.countOfKey} use is built on their first call (about 70 bytes more a class).
 *
 * ## Example
 * ```ts
 * const a = ClassCounts.fromEntries([['buy', 3], ['skip', 90]]);
 * const b = ClassCounts.fromJSON('{"total":12,"classes":[{"value":"buy","count":2},{"value":"skip","count":10}]}');
 * a.merge(b).toJSON(); // { total: 105, classes: [{ value: 'buy', count: 5 }, { value: 'skip', count: 100 }] }
 * ```
 */
export class ClassCounts {
  readonly #values: readonly ClassValue[];
  readonly #counts: Float64Array;
  readonly #total: number;
  /** Position of each class by its key, built when first asked. */
  #byKey: Map<string, number> | undefined;

  /** @param classes values in value order, no two with one key, and their counts */
  private constructor(classes: { readonly values: readonly ClassValue[]; readonly counts: Float64Array }) {
    this.#values = classes.values;
    this.#counts = classes.counts;
    let total = 0;
    for (let i = 0; i < classes.counts.length; i++) total += classes.counts[i] as number;
    this.#total = total;
  }

  /**
   * Counts from class values and their counts side by side, without a pair per class: how a running count
   * hands over its classes.
   *
   * @param values class values, in any order; a class given twice has its counts added
   * @param counts a non-negative integer count per value
   * @returns the counts
   * @throws ArrowBalanceError for a count that is not a non-negative safe integer or a value that is not a class value
   */
  static fromArrays(values: readonly ClassValue[], counts: ArrayLike<number>): ClassCounts {
    if (values.length !== counts.length) {
      throw new ArrowBalanceError(`class counts need one count per class; got ${values.length} classes and ${counts.length} counts`);
    }
    for (let i = 0; i < values.length; i++) check(values[i], counts[i]);
    return new ClassCounts(sortedClasses(values, counts));
  }

  /**
   * Counts with no classes.
   *
   * @returns the empty counts (total 0)
   */
  static empty(): ClassCounts {
    return new ClassCounts({ values: [], counts: new Float64Array(0) });
  }

  /**
   * Counts from `[value, count]` pairs; a class listed twice has its counts added.
   *
   * @param entries pairs of a class value and a non-negative integer count
   * @returns the counts
   * @throws ArrowBalanceError for a count that is not a non-negative safe integer or a value that is not a class value
   */
  static fromEntries(entries: Iterable<readonly [ClassValue, number]>): ClassCounts {
    const values: ClassValue[] = [];
    const counts: number[] = [];
    for (const [value, count] of entries) {
      values.push(value);
      counts.push(count);
    }
    return ClassCounts.fromArrays(values, counts);
  }

  /**
   * Counts from their JSON form (the object or its text), as written by {@link ClassCounts.toJSON}.
   *
   * @param json `{ total, classes: [{ value, count }] }` or its text; `total` must equal the sum of counts
   * @returns the counts
   * @throws ArrowBalanceError for malformed JSON, naming what is wrong
   */
  static fromJSON(json: ClassCountsJSON | string): ClassCounts {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new ArrowBalanceError(`class counts JSON does not parse (${(error as Error).message}); expected {"total": N, "classes": [{"value": v, "count": n}]}`, { cause: error });
      }
    }
    const object = parsed as Partial<ClassCountsJSON> | null;
    if (typeof object !== 'object' || object === null || !Array.isArray(object.classes)) {
      throw new ArrowBalanceError('class counts JSON needs a "classes" array; expected {"total": N, "classes": [{"value": v, "count": n}]}');
    }
    const values: ClassValue[] = [];
    const numbers: number[] = [];
    object.classes.forEach((entry, position) => {
      if (typeof entry !== 'object' || entry === null || !('value' in entry) || !('count' in entry)) {
        throw new ArrowBalanceError(`class counts JSON entry ${position} needs "value" and "count"; got ${JSON.stringify(entry)}`);
      }
      values.push(entry.value);
      numbers.push(entry.count);
    });
    const counts = ClassCounts.fromArrays(values, numbers);
    if (object.total !== undefined && object.total !== counts.total) {
      throw new ArrowBalanceError(`class counts JSON says total ${String(object.total)} but its classes add up to ${counts.total}; fix or drop "total"`);
    }
    return counts;
  }

  /** Number of rows over all classes. */
  get total(): number {
    return this.#total;
  }

  /** Number of classes. */
  get size(): number {
    return this.#values.length;
  }

  /**
   * Rows of one class.
   *
   * @param value the class value
   * @returns its count, 0 when absent
   */
  count(value: ClassValue): number {
    return this.countOfKey(classKey(value)) ?? 0;
  }

  /**
   * Rows of the class whose {@link classKey} is `key`.
   *
   * @param key string form of the class
   * @returns its count, undefined when absent
   */
  countOfKey(key: string): number | undefined {
    if (this.#byKey === undefined) {
      this.#byKey = new Map();
      for (let i = 0; i < this.#values.length; i++) this.#byKey.set(classKey(this.#values[i] as ClassValue), i);
    }
    const at = this.#byKey.get(key);
    return at === undefined ? undefined : (this.#counts[at] as number);
  }

  /**
   * All classes with their counts.
   *
   * @returns a fresh array of `[value, count]` in value order
   */
  entries(): Array<[ClassValue, number]> {
    return this.#values.map((value, i) => [value, this.#counts[i] as number]);
  }

  /**
   * Class values in value order.
   *
   * @returns a fresh array
   */
  values(): ClassValue[] {
    return [...this.#values];
  }

  /**
   * Sum of two counts (e.g. from two shards or files).
   *
   * @param other counts to add
   * @returns new counts holding every class of both, counts added
   */
  merge(other: ClassCounts): ClassCounts {
    const counts = new Float64Array(this.size + other.size);
    counts.set(this.#counts);
    counts.set(other.#counts, this.size);
    return new ClassCounts(sortedClasses([...this.#values, ...other.#values], counts));
  }

  /**
   * JSON form: `{ total, classes: [{ value, count }] }` in value order; bigints within ±2^53 become numbers,
   * larger ones decimal strings.
   *
   * @returns a fresh plain object (what `JSON.stringify` writes)
   */
  toJSON(): ClassCountsJSON {
    return {
      total: this.#total,
      classes: this.#values.map((value, i) => ({ value: jsonValue(value), count: this.#counts[i] as number })),
    };
  }

  /** Readable summary, e.g. `ClassCounts(total=93; buy: 3, skip: 90)`, control characters of values escaped. */
  toString(): string {
    return `ClassCounts(total=${this.#total}; ${this.#values.map((v, i) => `${escapeText(classKey(v))}: ${this.#counts[i]}`).join(', ')})`;
  }
}

function check(value: unknown, count: unknown): asserts value is ClassValue {
  if (!isClassValue(value)) {
    throw new ArrowBalanceError(`class value ${describe(value)} is not a class; use a finite number, bigint, string, boolean or null`);
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ArrowBalanceError(`class ${classKey(value)} has count ${describe(count)}; counts must be non-negative integers`);
  }
}

/**
 * Checked classes in value order with the counts of classes that share a key added up.
 *
 * Two values share a key only when they compare equal (3 and 3n, 0 and -0), which puts them side by side
 * once sorted, or when one is a string ('3' and 3, 'null' and null). Only a mix of strings and other values
 * needs the index by key, a string and an entry a class; sorting needs an index array alone.
 */
function sortedClasses(values: readonly ClassValue[], counts: ArrayLike<number>): { values: ClassValue[]; counts: Float64Array } {
  if (mixesStrings(values)) return byKeyIndex(values, counts);
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => compareClassValues(values[a] as ClassValue, values[b] as ClassValue));
  const outValues: ClassValue[] = [];
  const outCounts = new Float64Array(values.length);
  let runStart = 0;
  for (const i of order) {
    const value = values[i] as ClassValue;
    const count = counts[i] as number;
    if (outValues.length === 0 || compareClassValues(outValues[runStart] as ClassValue, value) !== 0) {
      runStart = outValues.length;
      outValues.push(value);
      outCounts[runStart] = count;
      continue;
    }
    // Equal in value order to the classes of the run (3 and 3n, 1e21 and 10n ** 21n): the same class when the keys agree.
    const key = classKey(value);
    let at = runStart;
    while (at < outValues.length && classKey(outValues[at] as ClassValue) !== key) at++;
    if (at === outValues.length) outValues.push(value);
    outCounts[at] = addCounts(outCounts[at] as number, count, key);
  }
  return { values: outValues, counts: outCounts.slice(0, outValues.length) };
}

function mixesStrings(values: readonly ClassValue[]): boolean {
  let strings = false;
  let others = false;
  for (const value of values) {
    if (typeof value === 'string') strings = true;
    else others = true;
    if (strings && others) return true;
  }
  return false;
}

/** The general case: classes merged through an index by key, the non-string value kept where a string shares its key. */
function byKeyIndex(values: readonly ClassValue[], counts: ArrayLike<number>): { values: ClassValue[]; counts: Float64Array } {
  const byKey = new Map<string, { value: ClassValue; count: number }>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as ClassValue;
    const key = classKey(value);
    const existing = byKey.get(key);
    if (existing === undefined) {
      byKey.set(key, { value, count: counts[i] as number });
    } else {
      existing.count = addCounts(existing.count, counts[i] as number, key);
      if (typeof existing.value === 'string') existing.value = value;
    }
  }
  const entries = [...byKey.values()].sort((a, b) => compareClassValues(a.value, b.value));
  return { values: entries.map((e) => e.value), counts: Float64Array.from(entries, (e) => e.count) };
}

function addCounts(a: number, b: number, key: string): number {
  const total = a + b;
  if (!Number.isSafeInteger(total)) {
    throw new ArrowBalanceError(`class ${key} would count ${total} rows, beyond 2^53; counts this large are not supported`);
  }
  return total;
}

function jsonValue(value: ClassValue): number | string | boolean | null {
  if (typeof value !== 'bigint') return value;
  return value >= -MAX_EXACT && value <= MAX_EXACT ? Number(value) : value.toString();
}

function describe(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
}
