/**
 * `CodeTable`: the growing dictionary from class value to dense class code, kept across batches.
 */
import { classKey } from './class-value.js';
import type { ClassValue } from './class-value.js';

const SMALL_LIMIT = 65536;

/** What a {@link CodeTable} throws instead of assigning a code beyond its limit; the coder reports it. */
export class ClassLimitReached extends Error {
  constructor() {
    super('arrow-balance: a class beyond the limit');
    this.name = 'ClassLimitReached';
  }
}

/**
 * Assigns dense codes 0, 1, 2, ... to class values in first-appearance order.
 *
 * Numbers, bigints, strings, booleans and null are distinct keys (the number 3 and the string '3' get two
 * codes). Non-negative integers below 65,536 take a direct array lookup; everything else a `Map` lookup.
 *
 * Memory: O(classes): a slot in an array and a `Map` entry per class (about 50 bytes for an integer class),
 * plus an Int32Array up to the largest small integer seen (at most 256 KiB). The index by key that
 * {@link CodeTable.codeOfKey} uses is built on its first call (a string and an entry per class, about 70
 * bytes more), so counting never pays for it.
 */
export class CodeTable {
  readonly #limit: number;
  readonly #values: ClassValue[] = [];
  readonly #byValue = new Map<ClassValue, number>();
  #byKey: Map<string, number> | undefined;
  #small = new Int32Array(0);
  #snapshot: readonly ClassValue[] | undefined;

  /** @param limit classes at most; a new value beyond them throws {@link ClassLimitReached} (no limit by default) */
  constructor(limit = Infinity) {
    this.#limit = limit;
  }

  /** Number of classes so far. */
  get size(): number {
    return this.#values.length;
  }

  /**
   * Code of a number label, assigning the next code when it is new.
   *
   * @param value a finite number (callers reject NaN)
   * @returns its code
   */
  numberCode(value: number): number {
    if (value >= 0 && value < SMALL_LIMIT && (value | 0) === value) {
      const small = this.#small;
      if (value < small.length) {
        const code = small[value] as number;
        if (code >= 0) return code;
      }
      return this.#addSmall(value);
    }
    return this.code(value);
  }

  /**
   * The codes of the small integer labels seen so far, indexed by value (-1 where not seen yet), for
   * callers that code many labels in a loop; the array is replaced when it grows, so fetch it again after
   * {@link numberCode} assigned a new code.
   */
  get smallCodes(): Int32Array {
    return this.#small;
  }

  /**
   * Code of any class value, assigning the next code when it is new.
   *
   * @param value the class value (numbers already normalised: no NaN, 64-bit integers within ±2^53 as numbers)
   * @returns its code
   * @throws ClassLimitReached for a new value when the table holds its limit of classes
   */
  code(value: ClassValue): number {
    const known = this.#byValue.get(value);
    if (known !== undefined) return known;
    return this.#add(value);
  }

  /**
   * The class value of a code.
   *
   * @param code a code below {@link CodeTable.size}
   * @returns the value
   * @throws RangeError for an unknown code
   */
  value(code: number): ClassValue {
    if (!(code >= 0 && code < this.#values.length)) {
      throw new RangeError(`arrow-balance: class code ${code} is unknown; codes so far are 0..${this.#values.length - 1}`);
    }
    return this.#values[code] as ClassValue;
  }

  /**
   * All class values in code order.
   *
   * @returns a frozen array (a new one after each new class)
   */
  values(): readonly ClassValue[] {
    if (this.#snapshot === undefined) this.#snapshot = Object.freeze([...this.#values]);
    return this.#snapshot;
  }

  /**
   * Code of the first class whose {@link classKey} is `key`.
   *
   * @param key string form of a class
   * @returns its code, or undefined
   */
  codeOfKey(key: string): number | undefined {
    if (this.#byKey === undefined) {
      this.#byKey = new Map();
      for (let code = 0; code < this.#values.length; code++) this.#addKey(code);
    }
    return this.#byKey.get(key);
  }

  #addSmall(value: number): number {
    if (value >= this.#small.length) {
      let size = Math.max(this.#small.length * 2, 64);
      while (size <= value) size *= 2;
      const grown = new Int32Array(Math.min(size, SMALL_LIMIT)).fill(-1);
      grown.set(this.#small);
      this.#small = grown;
    }
    const code = this.code(value);
    this.#small[value] = code;
    return code;
  }

  #add(value: ClassValue): number {
    const normal = value === 0 ? 0 : value; // -0 and 0 are one class
    const code = this.#values.length;
    if (code >= this.#limit) throw new ClassLimitReached();
    this.#values.push(normal);
    this.#byValue.set(normal, code);
    if (this.#byKey !== undefined) this.#addKey(code);
    this.#snapshot = undefined;
    return code;
  }

  /** Indexes a code by its class key unless an earlier code has that key. */
  #addKey(code: number): void {
    const key = classKey(this.#values[code] as ClassValue);
    const byKey = this.#byKey as Map<string, number>;
    if (!byKey.has(key)) byKey.set(key, code);
  }
}
