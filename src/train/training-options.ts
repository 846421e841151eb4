/**
 * Checking the options of `trainingBatches` before anything is read.
 */
import { validateLabelOptions } from '../classes/label-options.js';
import { withPrefix } from '../errors.js';
import { validateReadOptions } from '../parquet/open-reader.js';
import type { ParquetReadOptions } from '../parquet/open-reader.js';
import { ClassIndexer } from './class-indexer.js';
import type { AssemblerOptions } from './mini-batch-assembler.js';
import type { TrainingBatchesOptions } from './training-batch.js';
import { checkEpochOptions, type EpochBalance, type EpochShard } from './balanced-epoch.js';
import { resolveEngine } from '../parquet/engine.js';

/** `trainingBatches` options after checking. */
export interface CheckedTrainingOptions extends AssemblerOptions {
  readonly pipeline: TrainingBatchesOptions['pipeline'];
  /** The balanced epoch to read, if any. */
  readonly epoch: { readonly balance: EpochBalance; readonly shard: EpochShard | undefined; readonly number: number } | undefined;
  readonly dropRemainder: boolean;
  readonly read: ParquetReadOptions;
  readonly signal: AbortSignal | undefined;
}

/**
 * Checks every option and fills in defaults.
 *
 * @param options what the caller passed
 * @returns the checked options, with the Parquet read options (projection, engine) worked out
 * @throws TypeError or RangeError naming the bad option
 */
export function checkTrainingOptions(options: TrainingBatchesOptions): CheckedTrainingOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(withPrefix('trainingBatches needs options such as { features: ["f1", "f2"], label: "y", batchSize: 32 }'));
  }
  const { features, weight, batchSize, pipeline, dropRemainder = false, classes, fillNull, columns, engine, signal, balance, shard, epoch = 0 } = options;
  const { label, nulls, maxClasses } = validateLabelOptions(options);
  if (!Array.isArray(features) || features.length === 0 || features.some((name) => typeof name !== 'string' || name === '')) {
    throw new TypeError(withPrefix('option "features" must be a non-empty array of column names'));
  }
  const repeated = features.find((name, index) => features.indexOf(name) !== index);
  if (repeated !== undefined) throw new TypeError(withPrefix(`option "features" lists column "${repeated}" twice`));
  if (weight !== undefined && (typeof weight !== 'string' || weight === '')) {
    throw new TypeError(withPrefix('option "weight" must be the name of a weight column'));
  }
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(withPrefix(`option "batchSize" must be a positive integer; got ${String(batchSize)}`));
  }
  if (pipeline !== undefined && typeof pipeline !== 'function') {
    throw new TypeError(withPrefix('option "pipeline" must be an RxJS operator, e.g. pipe(balance(...), shuffle(...))'));
  }
  if (typeof dropRemainder !== 'boolean') throw new TypeError(withPrefix('option "dropRemainder" must be true or false'));
  if (fillNull !== undefined && typeof fillNull !== 'number') {
    throw new TypeError(withPrefix(`option "fillNull" must be a number; got ${typeof fillNull}`));
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError(withPrefix('option "signal" must be an AbortSignal'));
  new ClassIndexer(label, nulls, classes); // checks the class list
  const needed = [...features, label, ...(weight === undefined ? [] : [weight])];
  const read: ParquetReadOptions = { columns: columns ?? (pipeline === undefined ? [...new Set(needed)] : undefined), engine };
  validateReadOptions(read);
  if (balance === undefined && (shard !== undefined || options.epoch !== undefined)) {
    throw new TypeError(withPrefix('options "shard" and "epoch" need "balance": they cut and draw balanced epochs'));
  }
  if (balance !== undefined) {
    checkEpochOptions(balance, shard, epoch);
    if (resolveEngine(engine) !== 'parquet-wasm') throw new TypeError(withPrefix('option "balance" reads row groups alone, which only the parquet-wasm engine does; leave "engine" out'));
  }
  const planned = balance === undefined ? undefined : { balance, shard, number: epoch };
  return { features, label, weight, batchSize, fillNull, nulls, maxClasses, classes, pipeline, dropRemainder, read, signal, epoch: planned };
}
