/** The trainer bridge: Parquet (through an optional RxJS pipeline) as pull-based mini-batches. */
export { trainingBatches } from './training-batches.js';
export type { TrainingBatch, TrainingBatchesOptions } from './training-batch.js';
export type { EpochBalance, EpochShard } from './balanced-epoch.js';
