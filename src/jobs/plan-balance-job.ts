import { readFile } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import type { NullPolicy } from '../classes/label-coder.js';
import { ArrowBalanceError } from '../errors.js';
import { planBalance } from '../plan/balance-plan.js';
import { PLAN_FORMAT, PLAN_VERSION, parsePlanFile, planFileText, type PlanFile } from '../plan/plan-file.js';
import { describeInputs } from '../plan/plan-inputs.js';
import type { ParquetEngine } from '../parquet/engine.js';
import { PinnedInputs, resolveSources } from '../parquet/sources.js';
import { TempFile } from '../parquet/temp-file.js';
import { randomSeed } from '../random.js';
import { prepareBalance } from '../sampling/balance-engine.js';
import { validateTargetSpec, type Strategy, type TargetSpec } from '../sampling/target-spec.js';
import { resolveTargets } from '../sampling/targets.js';
import type { CountPassProgress } from './count-parquet.js';
import { countUnits } from './count-units.js';
import { expectedOutputCounts } from './expected-output.js';

/** Options of {@link planBalanceJob}: the balance options that determine the output rows (as `balanceParquet` takes them). */
export interface PlanBalanceOptions {
  readonly label: string;
  /** `'under'` (default), `'over'` or `'hybrid'`. */
  readonly strategy?: Strategy | undefined;
  /** imbalanced-learn's `sampling_strategy`, `{ class: rows }` or proportions; default `'auto'`. */
  readonly target?: TargetSpec | undefined;
  /** Random seed; drawn (and stored in the plan) when absent. */
  readonly seed?: number | string | undefined;
  /** Null labels: `'error'` (default), `'drop'` or `'class'`. */
  readonly nulls?: NullPolicy | undefined;
  /** Distinct label values accepted (default 100,000). */
  readonly maxClasses?: number | undefined;
  /** Adds a Float64 column of that name holding n_c / k_c. */
  readonly importanceWeight?: string | undefined;
  /** `'parquet-wasm'` (default) or `'parquetjs-lite'`, for the count pass. */
  readonly engine?: ParquetEngine | undefined;
  /** Called with notices (such as a target that caps a class). */
  readonly onWarning?: ((message: string) => void) | undefined;
  readonly onProgress?: ((progress: CountPassProgress) => void) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Plans an exact balance job without running it: the count pass reads the label column, counts classes per
 * unit (row group) and splits the quotas over units. Shards run the plan (see `balanceShard`); a plan that a
 * shard recomputes from the same inputs, options and seed is the same plan.
 *
 * ## Example
 * ```ts
 * const plan = await planBalanceJob(['data/a.parquet', 'data/b.parquet'], { label: 'label', seed: 42 });
 * await writePlanFile('plan.json', plan);
 * ```
 * Memory: the label column of one row group, and a few numbers per unit and class.
 * @param input a Parquet file, a list of files or a folder of `*.parquet` files
 * @param options what to balance and how
 * @returns the plan file's content
 * @throws ArrowBalanceError (or TypeError/RangeError naming an option) for bad options, input or targets
 */
export async function planBalanceJob(input: string | readonly string[], options: PlanBalanceOptions): Promise<PlanFile> {
  const strategy = options.strategy ?? 'under';
  const target = options.target ?? 'auto';
  const seed = options.seed ?? randomSeed();
  const nulls = options.nulls ?? 'error';
  const balanceOptions = { label: options.label, strategy, mode: 'exact' as const, seed, target, nulls, onWarning: options.onWarning, ...defined({ maxClasses: options.maxClasses, importanceWeight: options.importanceWeight }) };
  validateTargetSpec(target, strategy);
  prepareBalance({ ...balanceOptions, mode: 'online', target: undefined });
  const sources = await resolveSources(input);
  const inputs = await describeInputs(sources);
  const units = await countUnits(new PinnedInputs(sources), { label: options.label, nulls, maxClasses: options.maxClasses, engine: options.engine }, options);
  // Checks the target against the counts, with the messages of the balance() operator.
  prepareBalance({ ...balanceOptions, counts: units.counts });
  const targets = resolveTargets(units.counts, strategy, target);
  const plan = planBalance(units.places, units.unitRows, (code) => units.coder.value(code), units.counts, targets, strategy, seed);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    job: 'balance',
    inputs,
    options: { label: options.label, strategy, target, nulls, maxClasses: options.maxClasses ?? null, importanceWeight: options.importanceWeight ?? null },
    seed,
    inputCounts: units.counts.toJSON(),
    outputCounts: expectedOutputCounts(units.counts, strategy, target).toJSON(),
    plan,
  };
}

/**
 * Writes a plan file atomically (a temporary file renamed into place).
 * @param path where to write it
 * @param plan the plan, from {@link planBalanceJob}
 * @param options `overwrite` replaces an existing file
 * @throws ArrowBalanceError when the folder is missing, the file exists (without `overwrite`) or writing fails
 */
export function writePlanFile(path: string, plan: PlanFile, options: { readonly overwrite?: boolean } = {}): void {
  const file = TempFile.create(path, options.overwrite === true);
  try {
    const bytes = Buffer.from(planFileText(plan));
    let done = 0;
    while (done < bytes.length) done += writeSync(file.fd, bytes, done, bytes.length - done, done);
    file.commit();
  } catch (error) {
    file.discard();
    file.close();
    throw error instanceof ArrowBalanceError ? error : new ArrowBalanceError(`${path}: writing the plan failed (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/**
 * Reads a plan file written by {@link writePlanFile} (or `arrow-balance plan`).
 * @param path the file
 * @throws ArrowBalanceError when it cannot be read or is not a plan file of this version
 */
export async function readPlanFile(path: string): Promise<PlanFile> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new ArrowBalanceError(`${path}: cannot read the plan file (${error.code ?? error.message}); check the path`, { cause: error });
  });
  return parsePlanFile(text, path);
}

function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
