/**
 * Validation of the `label` and `nulls` options shared by every operator that reads a label column.
 */
import { withPrefix } from '../errors.js';

/** What to do with null labels: fail (default), drop the rows, or treat null as a class. */
export type NullPolicy = 'error' | 'drop' | 'class';

/** The label options after validation. */
export interface LabelOptions {
  readonly label: string;
  readonly nulls: NullPolicy;
}

const POLICIES: readonly NullPolicy[] = ['error', 'drop', 'class'];

/**
 * Checks `{ label, nulls }` and fills in the default `nulls: 'error'`. Call it when an operator is created.
 *
 * @param options user options
 * @returns the validated options
 * @throws TypeError when `label` is not a non-empty string; RangeError for an unknown `nulls`
 */
export function validateLabelOptions(options: { label: string; nulls?: NullPolicy | undefined }): LabelOptions {
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
  return { label, nulls };
}
