/**
 * Feature standardisation for the trainer sample: mean and standard deviation from the train rows, applied
 * in place to each mini-batch's row-major `x`.
 */
import type { RecordBatch } from 'apache-arrow';
import type { TrainingBatch } from '../src/train/training-batch.js';

/** Per-feature mean and standard deviation, in feature order. */
export interface Standardization {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
}

/**
 * The mean and (population) standard deviation of each feature column; a constant column gets sd 1.
 *
 * @param batch the train rows
 * @param features feature column names, in the order `x` uses
 * @returns the statistics
 */
export function standardization(batch: RecordBatch, features: readonly string[]): Standardization {
  const mean = new Float64Array(features.length);
  const sd = new Float64Array(features.length);
  features.forEach((name, j) => {
    const column = batch.getChild(name);
    if (column === null) throw new Error(`no column ${name}`);
    const values = Float64Array.from(column.toArray() as ArrayLike<number>);
    let sum = 0;
    for (const v of values) sum += v;
    const m = sum / values.length;
    let squares = 0;
    for (const v of values) squares += (v - m) ** 2;
    mean[j] = m;
    sd[j] = Math.sqrt(squares / values.length) || 1;
  });
  return { mean, sd };
}

/**
 * Standardises a mini-batch's features in place: x <- (x - mean) / sd, column by column.
 *
 * @param batch a mini-batch from `trainingBatches`
 * @param stats the train-set statistics
 * @returns the same batch
 */
export function standardize(batch: TrainingBatch, stats: Standardization): TrainingBatch {
  const { x, rows, features } = batch;
  for (let j = 0; j < features; j++) {
    const m = stats.mean[j] as number;
    const s = stats.sd[j] as number;
    for (let i = 0, o = j; i < rows; i++, o += features) x[o] = ((x[o] as number) - m) / s;
  }
  return batch;
}
