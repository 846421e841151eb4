/**
 * Validation of the `label`, `nulls` and `maxClasses` options shared by every operator that reads a label column.
 */
import { withPrefix } from '../errors.js';

/** What to do with null labels: fail (default), drop the rows, or treat null as a class. */
export type NullPolicy = 'error' | 'drop' | 'class';

/**
 * Distinct label values a coder accepts unless told otherwise: far more than classes a classifier learns, far
 * fewer than an id column holds (whose coding would take memory by the gigabyte before anything else failed).
 */
export const DEFAULT_MAX_CLASSES = 100_000;

/** The largest `maxClasses`: a JavaScript `Map`, which holds the classes, takes at most 2^24 entries. */
export const MAX_CLASSES_LIMIT = 2 ** 24;

/** The label options after validation. */
export interface LabelOptions {
  readonly label: string;
  readonly nulls: NullPolicy;
  readonly maxClasses: number;
}

const POLICIES: readonly NullPolicy[] = ['error', 'drop', 'class'];

/**
 * Checks `{ label, nulls, maxClasses }` and fills in the defaults `nulls: 'error'` and `maxClasses: 100,000`.
 * Call it when an operator is created.
 *
 * @param options user options
 * @returns the validated options
 * @throws TypeError when `label` is not a non-empty string; RangeError for an unknown `nulls` or a bad `maxClasses`
 */
export function validateLabelOptions(options: { label: string; nulls?: NullPolicy | undefined; maxClasses?: number | undefined }): LabelOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(withPrefix(`options must be an object with a "label" column name; got ${String(options)}`));
  }
  const { label, nulls = 'error' } = options;
  if (typeof label !== 'string' || label === '') {
    throw new TypeError(withPrefix(`option "label" must be the name of the label column (a non-empty string); got ${JSON.stringify(label) ?? String(label)}`));
  }
  if (!POLICIES.includes(nulls)) {
    throw new RangeError(withPrefix(`option "nulls" must be 'error', 'drop' or 'class'; got ${JSON.stringify(nulls) ?? String(nulls)}`));
  }
  return { label, nulls, maxClasses: checkMaxClasses(options.maxClasses) };
}

/**
 * Checks the `maxClasses` option: a whole number of classes from 1 to 2^24.
 *
 * @param maxClasses the option as given
 * @returns it, or the default 100,000 when absent
 * @throws RangeError naming the option
 */
export function checkMaxClasses(maxClasses: unknown): number {
  if (maxClasses === undefined) return DEFAULT_MAX_CLASSES;
  if (typeof maxClasses !== 'number' || !Number.isInteger(maxClasses) || maxClasses < 1 || maxClasses > MAX_CLASSES_LIMIT) {
    throw new RangeError(withPrefix(
      `option "maxClasses" is ${typeof maxClasses === 'string' ? JSON.stringify(maxClasses) : String(maxClasses)}; give the most distinct label values to accept, a whole number from 1 to ${MAX_CLASSES_LIMIT} (default ${DEFAULT_MAX_CLASSES})`,
    ));
  }
  return maxClasses;
}
