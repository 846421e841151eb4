/**
 * arrow-balance: rebalance class-imbalanced training data as it streams.
 *
 * The main entry. It never loads tfjs; see `arrow-balance/tfjs` for the trainer helpers.
 * @packageDocumentation
 */
export { ArrowBalanceError } from './errors.js';

// RxJS operators and sources.
export { balance, countClasses, fromArrow, fromParquet, shuffle, toArrow, toParquet, weight, type ShuffleOptions } from '../operators/index.js';
export type { WeightColumnType, WeightOptions, WeightScheme } from '../operators/weight.js';

// Classes and counts.
export { ClassCounts, type ClassCountsJSON } from './classes/class-counts.js';
export type { ClassValue } from './classes/class-value.js';
export type { NullPolicy } from './classes/label-coder.js';

// Sampling and weights.
export type { BalanceMode, BalanceOptions } from './sampling/balance-options.js';
export { resolveTargets } from './sampling/targets.js';
export type { Strategy, TargetSpec, TargetProportions } from './sampling/target-spec.js';
export { randomSeed, seededRandom, type RandomSource } from './random.js';
export { classWeights, byClassKey } from './weights/class-weights.js';
export type { ManualWeights, SchemeOptions } from './weights/scheme-options.js';

// Arrow batches.
export { takeRows } from './arrow/take.js';
export { concatBatches } from './arrow/concat.js';

// Parquet.
export { openParquet, type ParquetReadOptions } from './parquet/open-reader.js';
export type { BatchReader } from './parquet/batch-reader.js';
export { pinInputs, PinnedInputs, type ParquetSource } from './parquet/sources.js';
export type { ParquetEngine } from './parquet/engine.js';
export type { ParquetCompression, ParquetWriteOptions } from './parquet/write-options.js';
export type { ParquetWriteSummary } from './parquet/write-summary.js';
export { setWorkerPath } from './parquet/wasm/worker-location.js';

// Arrow IPC.
export { openIpc, type IpcReadOptions, type IpcSource } from './ipc/ipc-reader.js';
export type { IpcWriteOptions, IpcWriteSummary } from './ipc/ipc-writer.js';
export type { DataFormat } from './ipc/ipc-format.js';

// Whole jobs on files.
export { countParquet, type CountParquetOptions } from './jobs/count-parquet.js';
export { balanceParquet, type BalanceParquetOptions } from './jobs/balance-parquet.js';
export type { BalanceProgress, BalanceReport } from './jobs/balance-report.js';
export { weightParquet, type WeightParquetOptions, type WeightProgress, type WeightReport } from './jobs/weight-parquet.js';

// Plans and shards.
export { planBalanceJob, readPlanFile, writePlanFile, type PlanBalanceOptions } from './jobs/plan-balance-job.js';
export { balanceShard, type BalanceShardOptions, type ShardReport, type ShardSpec } from './jobs/balance-shard.js';
export { verifyParts, type VerifyReport } from './jobs/verify-parts.js';
export { shardRange, shardCuts, type ShardRange } from './plan/shard-range.js';
export { planFingerprint } from './plan/plan-fingerprint.js';
export { partName } from './jobs/part-names.js';
export type { PartMetadata } from './jobs/part-metadata.js';
export type { PlanFile, PlannedInput, PlannedOptions } from './plan/plan-file.js';
export type { BalancePlan, PlannedClass, PlannedUnit } from './plan/balance-plan.js';

// Trainer bridge.
export { trainingBatches, type EpochBalance, type EpochShard, type TrainingBatch, type TrainingBatchesOptions } from './train/index.js';
