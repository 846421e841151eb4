/**
 * Class values (what a label column holds) and the two orders/keys the library uses for them.
 */

/**
 * One class: a label value. Integers within ±2^53 are numbers, larger 64-bit integers bigints; strings,
 * booleans, and `null` when nulls form a class (`nulls: 'class'`).
 */
export type ClassValue = number | bigint | string | boolean | null;

/**
 * String form used to match `{ class: ... }` object keys: String(value); null -> 'null'; bigint -> decimal digits.
 *
 * ## Example
 * ```ts
 * classKey(3); // '3'   (so { "3": 1000 } targets the integer class 3)
 * classKey(true); // 'true'
 * classKey(12345678901234567890n); // '12345678901234567890'
 * ```
 *
 * @param value a class value
 * @returns its key
 */
export function classKey(value: ClassValue): string {
  return value === null ? 'null' : String(value);
}

/**
 * A class value as messages show it: strings quoted, others as text.
 *
 * ## Example
 * ```ts
 * showClass('a'); // '"a"'
 * showClass(3); // '3'
 * ```
 *
 * @param value a class value
 * @returns its display form
 */
export function showClass(value: ClassValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Value order for reports: null first, then booleans (false<true), then numbers/bigints numerically (mixed compare correctly), then strings by code unit.
 *
 * ## Example
 * ```ts
 * [3, 'b', null, 2n ** 60n, false, 'a'].sort(compareClassValues); // [null, false, 3, 2n ** 60n, 'a', 'b']
 * ```
 *
 * @param a first value
 * @param b second value
 * @returns negative, zero or positive as `a` sorts before, with or after `b`
 */
export function compareClassValues(a: ClassValue, b: ClassValue): number {
  const rankA = rank(a);
  const rankB = rank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (a === null || b === null) return 0;
  // same rank: both booleans, both numeric (number/bigint compare exactly across the two), or both strings
  return a < b ? -1 : a > b ? 1 : 0;
}

function rank(value: ClassValue): number {
  switch (typeof value) {
    case 'boolean': return 1;
    case 'number':
    case 'bigint': return 2;
    case 'string': return 3;
    default: return 0;
  }
}

/**
 * Whether `value` is a valid class value (finite numbers only; NaN and infinities are rejected).
 *
 * @param value anything
 * @returns true for a {@link ClassValue}
 */
export function isClassValue(value: unknown): value is ClassValue {
  switch (typeof value) {
    case 'number': return Number.isFinite(value);
    case 'bigint':
    case 'string':
    case 'boolean': return true;
    default: return value === null;
  }
}

/**
 * Normalises a 64-bit integer: a number when it lies within ±2^53, otherwise the bigint itself.
 *
 * @param value a bigint label
 * @returns the class value
 */
export function normalizeBigInt(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

const MAX_SAFE = 2n ** 53n;
