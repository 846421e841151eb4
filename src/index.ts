/**
 * arrow-balance: rebalance class-imbalanced training data as it streams.
 *
 * The main entry. It never loads tfjs; see `arrow-balance/tfjs` for the trainer helpers.
 * @packageDocumentation
 */
export { ArrowBalanceError } from './errors.js';
export { countClasses, fromParquet, toParquet } from '../operators/index.js';
export { ClassCounts, type ClassCountsJSON } from './classes/class-counts.js';
export type { ClassValue } from './classes/class-value.js';
export type { NullPolicy } from './classes/label-coder.js';
export { takeRows } from './arrow/take.js';
export { concatBatches } from './arrow/concat.js';
export { countParquet, type CountParquetOptions } from './jobs/count-parquet.js';
export { openParquet, type ParquetReadOptions } from './parquet/open-reader.js';
export type { BatchReader } from './parquet/batch-reader.js';
export type { ParquetSource } from './parquet/sources.js';
export type { ParquetEngine } from './parquet/engine.js';
export type { ParquetCompression, ParquetWriteOptions } from './parquet/write-options.js';
export type { ParquetWriteSummary } from './parquet/write-summary.js';
