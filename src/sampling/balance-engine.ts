import type { RecordBatch } from 'apache-arrow';
import { appendFloatColumn } from '../arrow/append-column.js';
import { takeRows } from '../arrow/take.js';
import { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import { LabelCoder } from '../classes/label-coder.js';
import { randomSeed, seededRandom } from '../random.js';
import type { SampledBatch, SamplingEngine, RowPlanner } from './engine.js';
import { ExactOverPlanner } from './exact-over.js';
import { ExactQuotas, ExactUnderPlanner } from './exact-under.js';
import { OnlinePlanner, onlineShares } from './online.js';
import { DEFAULT_CAPACITY, ReservoirSampler } from './reservoir.js';
import { resolveTargets, validateTargetSpec } from './targets.js';
import type { Strategy, TargetSpec } from './targets.js';
import type { NullPolicy } from '../classes/label-coder.js';
import { withPrefix } from '../errors.js';
import { toClassCounts } from '../weights/counts-input.js';

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
  /** Reservoir rows kept per class at most (reservoir mode; default 100,000). */
  readonly capacity?: number;
  /** Emit a balanced sample every `window` input rows (reservoir mode). */
  readonly window?: number;
  /** Name of a Float64 column to add holding importance weights (n_c / k_c). */
  readonly importanceWeight?: string;
  /** Receives notices such as a capacity capping a target; default `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
}

/** `balance()` options after checking, with defaults filled in (made by {@link prepareBalance}). */
export interface CheckedBalanceOptions {
  readonly label: string;
  readonly strategy: Strategy;
  readonly target: TargetSpec | undefined;
  readonly mode: BalanceMode;
  readonly counts: ClassCounts | undefined;
  readonly seed: number | string | undefined;
  readonly nulls: NullPolicy;
  readonly capacity: number;
  readonly window: number | undefined;
  readonly importanceWeight: string | undefined;
  readonly warn: (message: string) => void;
}

const OPTION_NAMES = ['label', 'strategy', 'target', 'mode', 'counts', 'seed', 'nulls', 'capacity', 'window', 'importanceWeight', 'onWarning'];

/**
 * The engine behind `balance()`: codes each batch's label, lets the sampling engine of the chosen mode
 * (exact, reservoir or online) pick rows, gathers them column by column and appends importance weights.
 *
 * Synchronous and RxJS-free; the operator, the trainer bridge and the CLI all drive it the same way.
 * Memory: O(classes) for exact and online; for reservoir capacity x classes rows (up to 2x between prunings)
 * in input batches pinning at most 4 x capacity x classes rows.
 *
 * ## Example
 * ```ts
 * const make = prepareBalance({ label: 'y', mode: 'exact', counts: { a: 900, b: 100 }, seed: 1 });
 * const engine = make();
 * const out = [...engine.push(batch), ...engine.finish()];
 * ```
 */
export class BalanceEngine {
  private readonly coder: LabelCoder;
  private readonly engine: SamplingEngine;

  /** @param options options already checked by {@link prepareBalance} */
  constructor(private readonly options: CheckedBalanceOptions) {
    this.coder = new LabelCoder({ label: options.label, nulls: options.nulls });
    this.engine = makeEngine(options, this.coder);
  }

  /**
   * Takes one input batch.
   * @param batch an input batch holding the label column
   * @returns the batches to emit now (empty ones are left out)
   */
  push(batch: RecordBatch): RecordBatch[] {
    const codes = this.coder.encode(batch);
    return this.emit(this.engine.push(batch, codes));
  }

  /**
   * Ends the input.
   * @returns the batches still held (reservoir mode)
   * @throws ArrowBalanceError when the input contradicts the given counts (exact mode)
   */
  finish(): RecordBatch[] {
    return this.emit(this.engine.finish());
  }

  private emit(parts: readonly SampledBatch[]): RecordBatch[] {
    const out: RecordBatch[] = [];
    const column = this.options.importanceWeight;
    for (const { batch, weights } of parts) {
      if (batch.numRows === 0) continue;
      out.push(column !== undefined && weights !== undefined ? appendFloatColumn(batch, column, weights) : batch);
    }
    return out;
  }
}

/**
 * Checks `balance()` options and resolves what can be resolved before any data (exact targets), returning
 * a factory that builds a fresh engine (fresh state, fresh random source) per call.
 *
 * Memory: O(classes).
 * @param options the `balance()` options
 * @returns a factory of independent engines
 * @throws TypeError / RangeError naming a bad option; ArrowBalanceError for a target that does not fit the counts
 */
export function prepareBalance(options: BalanceOptions): () => BalanceEngine {
  const checked = checkBalanceOptions(options);
  return () => new BalanceEngine(checked);
}

function makeEngine(options: CheckedBalanceOptions, coder: LabelCoder): SamplingEngine {
  const random = seededRandom(options.seed ?? randomSeed());
  const weights = options.importanceWeight !== undefined;
  const { strategy, target } = options;
  if (options.mode === 'online') {
    return planned(new OnlinePlanner(coder, strategy, onlineShares(target), random, weights));
  }
  if (options.mode === 'reservoir') {
    return new ReservoirSampler({
      coder,
      strategy,
      target,
      random,
      weights,
      warn: options.warn,
      capacity: options.capacity,
      window: options.window,
    });
  }
  const counts = options.counts as ClassCounts;
  const byKey = new Map(counts.entries().map(([value, n]): [string, number] => [classKey(value), n]));
  const quotas = new ExactQuotas(coder, byKey, resolveTargets(counts, strategy, target));
  return planned(
    strategy === 'under' ? new ExactUnderPlanner(quotas, random, weights) : new ExactOverPlanner(quotas, random, weights),
  );
}

/** Wraps a row planner as a sampling engine: plan the codes, then gather the planned rows. */
function planned(planner: RowPlanner): SamplingEngine {
  return {
    push(batch, codes) {
      const { indices, weights } = planner.plan(codes);
      const part = isIdentity(indices, batch.numRows) ? batch : takeRows(batch, indices);
      return [weights === undefined ? { batch: part } : { batch: part, weights }];
    },
    finish() {
      planner.finish();
      return [];
    },
  };
}

function isIdentity(indices: Int32Array, rows: number): boolean {
  if (indices.length !== rows) return false;
  for (let i = 0; i < rows; i++) if (indices[i] !== i) return false;
  return true;
}

/** Checks every option (before any data) and fills in defaults. */
function checkBalanceOptions(options: BalanceOptions): CheckedBalanceOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(withPrefix('balance() needs an options object with at least "label"'));
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) throw new TypeError(withPrefix(`balance() has no option "${key}"; options are: ${OPTION_NAMES.join(', ')}`));
  }
  const { label, target, seed, importanceWeight, onWarning } = options;
  if (typeof label !== 'string' || label === '') throw new TypeError(withPrefix('option "label" must name the label column (a non-empty string)'));
  const strategy = oneOf('strategy', options.strategy, ['under', 'over', 'hybrid'] as const) ?? 'under';
  const nulls = oneOf('nulls', options.nulls, ['error', 'drop', 'class'] as const) ?? 'error';
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
  return { label, strategy, target, mode, counts, seed, nulls, capacity, window, importanceWeight, warn };
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
