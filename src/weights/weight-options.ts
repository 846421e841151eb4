/**
 * The options of `weight()` (and `weightParquet`), and their checking before any data is read.
 */
import type { ClassCounts } from '../classes/class-counts.js';
import { validateLabelOptions } from '../classes/label-options.js';
import type { NullPolicy } from '../classes/label-options.js';
import { withPrefix } from '../errors.js';
import { byClassKey, weightsFromCounts } from './class-weights.js';
import { toClassCounts } from './counts-input.js';
import type { CountsInput } from './counts-input.js';
import { checkSchemeOptions } from './scheme-options.js';
import type { CheckedScheme, SchemeOptions } from './scheme-options.js';

/** Type of the weight column: `'float32'` (default) or `'float64'`. */
export type WeightColumnType = 'float32' | 'float64';

/** Options of `weight()`. */
export interface WeightOptions extends SchemeOptions {
  /** Name of the label column. */
  readonly label: string;
  /** Rows per class of the whole input; with it the weights are exact from the first row. */
  readonly counts?: CountsInput | undefined;
  /** Name of the weight column to append (default `'weight'`). */
  readonly column?: string | undefined;
  /** `'float32'` (default) or `'float64'`. */
  readonly type?: WeightColumnType | undefined;
  /** Null labels: `'error'` (default), `'drop'` (the rows are removed) or `'class'` (null is a class). */
  readonly nulls?: NullPolicy | undefined;
  /** Overwrite an existing column named `column` (default false: an existing column is an error). */
  readonly replace?: boolean | undefined;
  /** Distinct label values accepted (default 100,000, at most 2^24); one more is an error (an id column, not classes). */
  readonly maxClasses?: number | undefined;
}

/** `weight()` options after checking, with defaults filled in. */
export interface CheckedWeightOptions {
  readonly label: string;
  readonly nulls: NullPolicy;
  readonly maxClasses: number;
  readonly scheme: CheckedScheme;
  /** The counts as given, or undefined for running counts. */
  readonly counts: ClassCounts | undefined;
  /** The weights the given counts fix, by class key; undefined without counts. */
  readonly fixed: ReadonlyMap<string, number> | undefined;
  readonly column: string;
  readonly type: WeightColumnType;
  readonly replace: boolean;
}

const OPTION_NAMES = ['label', 'scheme', 'beta', 'classWeights', 'counts', 'column', 'type', 'nulls', 'replace', 'maxClasses'];
const TYPES: readonly WeightColumnType[] = ['float32', 'float64'];

/**
 * Checks every `weight()` option and fills in defaults; with `counts` (or manual weights) it also computes
 * the weights, so a manual scheme missing a class of `counts` fails here.
 *
 * Memory: O(classes).
 *
 * @param options the user's options
 * @param caller the function named in messages
 * @param otherOptions the caller's own options, taken out of `options` before this check, listed in messages
 * @returns the checked options
 * @throws TypeError / RangeError naming a bad option; ArrowBalanceError when manual weights miss a class of `counts`
 */
export function checkWeightOptions(options: WeightOptions, caller = 'weight()', otherOptions: readonly string[] = []): CheckedWeightOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(withPrefix(`${caller} needs an options object with at least "label"`));
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new TypeError(withPrefix(`${caller} has no option "${key}"; options are: ${[...OPTION_NAMES, ...otherOptions].join(', ')}`));
  }
  const { label, nulls, maxClasses } = validateLabelOptions(options);
  const scheme = checkSchemeOptions(options);
  const column = options.column ?? 'weight';
  if (typeof column !== 'string' || column === '') {
    throw new TypeError(withPrefix(`option "column" must be a non-empty column name; got ${JSON.stringify(column) ?? String(column)}`));
  }
  if (column === label) {
    throw new TypeError(withPrefix(`option "column" is "${column}", the label column; the weights need a column of their own`));
  }
  const type = options.type ?? 'float32';
  if (!TYPES.includes(type)) {
    throw new RangeError(withPrefix(`option "type" is ${JSON.stringify(type) ?? String(type)}; use 'float32' or 'float64'`));
  }
  const replace = options.replace ?? false;
  if (typeof replace !== 'boolean') throw new TypeError(withPrefix(`option "replace" must be true or false; got ${String(replace)}`));
  const counts = options.counts === undefined ? undefined : toClassCounts(options.counts);
  const fixed = counts === undefined ? undefined : byClassKey(weightsFromCounts(counts, scheme));
  return { label, nulls, maxClasses, scheme, counts, fixed, column, type, replace };
}
