/**
 * `ClassCounts`: an immutable count of rows per class, mergeable by addition and serialisable as JSON.
 */
import { ArrowBalanceError } from '../errors.js';
import { classKey, compareClassValues, isClassValue } from './class-value.js';
import type { ClassValue } from './class-value.js';

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
 * Memory: O(classes).
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
  readonly #counts: readonly number[];
  readonly #byKey: ReadonlyMap<string, number>;
  readonly #total: number;

  private constructor(byKey: Map<string, { value: ClassValue; count: number }>) {
    const entries = [...byKey.values()].sort((a, b) => compareClassValues(a.value, b.value));
    this.#values = entries.map((e) => e.value);
    this.#counts = entries.map((e) => e.count);
    this.#byKey = new Map(entries.map((e) => [classKey(e.value), e.count]));
    this.#total = this.#counts.reduce((sum, n) => sum + n, 0);
  }

  /**
   * Counts with no classes.
   *
   * @returns the empty counts (total 0)
   */
  static empty(): ClassCounts {
    return new ClassCounts(new Map());
  }

  /**
   * Counts from `[value, count]` pairs; a class listed twice has its counts added.
   *
   * @param entries pairs of a class value and a non-negative integer count
   * @returns the counts
   * @throws ArrowBalanceError for a count that is not a non-negative safe integer or a value that is not a class value
   */
  static fromEntries(entries: Iterable<readonly [ClassValue, number]>): ClassCounts {
    const byKey = new Map<string, { value: ClassValue; count: number }>();
    for (const [value, count] of entries) addTo(byKey, value, count);
    return new ClassCounts(byKey);
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
    const byKey = new Map<string, { value: ClassValue; count: number }>();
    object.classes.forEach((entry, position) => {
      if (typeof entry !== 'object' || entry === null || !('value' in entry) || !('count' in entry)) {
        throw new ArrowBalanceError(`class counts JSON entry ${position} needs "value" and "count"; got ${JSON.stringify(entry)}`);
      }
      addTo(byKey, entry.value, entry.count);
    });
    const counts = new ClassCounts(byKey);
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
    return this.#byKey.get(classKey(value)) ?? 0;
  }

  /**
   * Rows of the class whose {@link classKey} is `key`.
   *
   * @param key string form of the class
   * @returns its count, undefined when absent
   */
  countOfKey(key: string): number | undefined {
    return this.#byKey.get(key);
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
    const byKey = new Map<string, { value: ClassValue; count: number }>();
    for (const [value, count] of this.entries()) addTo(byKey, value, count);
    for (const [value, count] of other.entries()) addTo(byKey, value, count);
    return new ClassCounts(byKey);
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

  /** Readable summary, e.g. `ClassCounts(total=93; buy: 3, skip: 90)`. */
  toString(): string {
    return `ClassCounts(total=${this.#total}; ${this.#values.map((v, i) => `${classKey(v)}: ${this.#counts[i]}`).join(', ')})`;
  }
}

function addTo(byKey: Map<string, { value: ClassValue; count: number }>, value: unknown, count: unknown): void {
  if (!isClassValue(value)) {
    throw new ArrowBalanceError(`class value ${describe(value)} is not a class; use a finite number, bigint, string, boolean or null`);
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ArrowBalanceError(`class ${classKey(value)} has count ${describe(count)}; counts must be non-negative integers`);
  }
  const key = classKey(value);
  const existing = byKey.get(key);
  if (existing === undefined) {
    byKey.set(key, { value, count });
    return;
  }
  const total = existing.count + count;
  if (!Number.isSafeInteger(total)) {
    throw new ArrowBalanceError(`class ${key} would count ${total} rows, beyond 2^53; counts this large are not supported`);
  }
  byKey.set(key, { value: typeof existing.value === 'string' ? value : existing.value, count: total });
}

function jsonValue(value: ClassValue): number | string | boolean | null {
  if (typeof value !== 'bigint') return value;
  return value >= -MAX_EXACT && value <= MAX_EXACT ? Number(value) : value.toString();
}

function describe(value: unknown): string {
  return typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
}
