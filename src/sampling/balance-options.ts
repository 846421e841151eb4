import { ClassCounts } from '../classes/class-counts.js';
import type { NullPolicy } from '../classes/label-coder.js';
import { checkMaxClasses } from '../classes/label-options.js';
import { withPrefix } from '../errors.js';
import { seededRandom } from '../random.js';
import { toClassCounts } from '../weights/counts-input.js';
import { onlineShares } from './online.js';
import { DEFAULT_CAPACITY } from './reservoir.js';
import { validateTargetSpec, type Strategy, type TargetSpec } from './target-spec.js';
import { resolveTargets } from './targets.js';

/** How `balance()` samples: exactly from known counts, by bottom-k reservoirs, or online. */
export type BalanceMode = 'exact' | 'reservoir' | 'online';

/** Options of `balance()`; see the operator's documentation for each. */
export interface BalanceOptions {
  /** Label column name. */
  readonly label: string;
  /** `'under'` (default), `'over'` or `'hybrid'`. */
  readonly strategy?: Strategy;
  /** imbalanced-learn's `sampling_strategy` or proportions; default `'auto'`. */
  readonly target?: TargetSpec;
  /** `'exact'` (default with counts), `'reservoir'` (default without), `'online'`. */
  readonly mode?: BalanceMode;
  /** Rows per class of the whole input (exact mode only); object keys are matched by `classKey`. */
  readonly counts?: ClassCounts | Readonly<Record<string, number>>;
  /** Seed of the random source; a fresh one per subscription when absent. */
  readonly seed?: number | string;
  /** Null labels: `'error'` (default), `'drop'` or `'class'`. */
  readonly nulls?: NullPolicy;
  /** Distinct label values accepted (default 100,000, at most 2^24); one more is an error (an id column, not classes). */
  readonly maxClasses?: number;
  /** Reservoir rows kept per class at most (reservoir mode; default 100,000). */
  readonly capacity?: number;
  /** Emit a balanced sample every `window` input rows (reservoir mode). */
  readonly window?: number;
  /** Name of a Float64 column to add holding importance weights (n_c / k_c). */
  readonly importanceWeight?: string;
  /** Receives notices such as a capacity capping a target; default `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
}

/** `balance()` options after checking, with defaults filled in (made by {@link checkBalanceOptions}). */
export interface CheckedBalanceOptions {
  readonly label: string;
  readonly strategy: Strategy;
  readonly target: TargetSpec | undefined;
  readonly mode: BalanceMode;
  readonly counts: ClassCounts | undefined;
  readonly seed: number | string | undefined;
  readonly nulls: NullPolicy;
  readonly maxClasses: number;
  readonly capacity: number;
  readonly window: number | undefined;
  readonly importanceWeight: string | undefined;
  readonly warn: (message: string) => void;
}

const OPTION_NAMES = ['label', 'strategy', 'target', 'mode', 'counts', 'seed', 'nulls', 'maxClasses', 'capacity', 'window', 'importanceWeight', 'onWarning'];

/**
 * Checks every `balance()` option (before any data) and fills in defaults; in exact mode it also resolves
 * the target against the counts, so a target that does not fit fails here.
 *
 * Memory: O(classes).
 *
 * ## Example
 * ```ts
 * checkBalanceOptions({ label: 'y', counts: { a: 900, b: 100 } }).mode; // 'exact'
 * checkBalanceOptions({ label: 'y', capacity: 0 }); // RangeError: ... option "capacity" is 0 ...
 * ```
 * @param options the `balance()` options
 * @returns the options with defaults filled in
 * @throws TypeError / RangeError naming a bad option; ArrowBalanceError for a target that does not fit the counts
 */
export function checkBalanceOptions(options: BalanceOptions): CheckedBalanceOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(withPrefix('balance() needs an options object with at least "label"'));
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new TypeError(withPrefix(`balance() has no option "${key}"; options are: ${OPTION_NAMES.join(', ')}`));
  }
  const { label, target, seed, importanceWeight, onWarning } = options;
  if (typeof label !== 'string' || label === '') throw new TypeError(withPrefix('option "label" must name the label column (a non-empty string)'));
  const strategy = oneOf('strategy', options.strategy, ['under', 'over', 'hybrid'] as const) ?? 'under';
  const nulls = oneOf('nulls', options.nulls, ['error', 'drop', 'class'] as const) ?? 'error';
  const maxClasses = checkMaxClasses(options.maxClasses);
  const mode = oneOf('mode', options.mode, ['exact', 'reservoir', 'online'] as const) ?? (options.counts === undefined ? 'reservoir' : 'exact');
  if (seed !== undefined) seededRandom(seed);
  if (importanceWeight !== undefined && (typeof importanceWeight !== 'string' || importanceWeight === '' || importanceWeight === label)) {
    throw new TypeError(withPrefix(`option "importanceWeight" must be a new column name other than the label "${label}"; got ${JSON.stringify(importanceWeight)}`));
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') throw new TypeError(withPrefix('option "onWarning" must be a function'));
  const capacity = positiveInteger('capacity', options.capacity, mode, 0x3fffffff) ?? DEFAULT_CAPACITY;
  const window = positiveInteger('window', options.window, mode, Number.MAX_SAFE_INTEGER);
  if (target !== undefined) validateTargetSpec(target, strategy);
  let counts: ClassCounts | undefined;
  if (mode === 'exact') {
    if (options.counts === undefined) {
      throw new TypeError(withPrefix('mode "exact" needs option "counts" (rows per class of the whole input, e.g. from countClasses); or use mode "reservoir"'));
    }
    counts = toCounts(options.counts);
    resolveTargets(counts, strategy, target);
  } else if (options.counts !== undefined) {
    throw new TypeError(withPrefix(`option "counts" is used only by mode "exact", not "${mode}"; drop "counts" or set mode "exact"`));
  }
  if (mode === 'online') onlineShares(target);
  const warn = onWarning ?? ((message: string) => process.emitWarning(message, 'ArrowBalanceWarning'));
  return { label, strategy, target, mode, counts, seed, nulls, maxClasses, capacity, window, importanceWeight, warn };
}

function oneOf<const T extends readonly string[]>(name: string, value: unknown, allowed: T): T[number] | undefined {
  if (value === undefined || allowed.includes(value as string)) return value as T[number] | undefined;
  throw new TypeError(withPrefix(`option "${name}" is ${JSON.stringify(value)}; use one of ${allowed.map((a) => `"${a}"`).join(', ')}`));
}

function positiveInteger(name: string, value: unknown, mode: BalanceMode, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (mode !== 'reservoir') throw new TypeError(withPrefix(`option "${name}" is used only by mode "reservoir", not "${mode}"`));
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new RangeError(withPrefix(`option "${name}" is ${String(value)}; give a positive integer number of rows, at most ${max}`));
  }
  return value;
}

/** Accepts a ClassCounts or `{ class: n }` (keys read as class values, as `classWeights` does); drops empty classes. */
function toCounts(counts: ClassCounts | Readonly<Record<string, number>>): ClassCounts {
  return ClassCounts.fromEntries(toClassCounts(counts).entries().filter(([, n]) => n > 0));
}
