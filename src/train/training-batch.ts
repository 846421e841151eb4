/**
 * The mini-batch a trainer receives from `trainingBatches`, and the options that shape it.
 */
import type { RecordBatch } from 'apache-arrow';
import type { OperatorFunction } from 'rxjs';
import type { ClassValue } from '../classes/class-value.js';
import type { NullPolicy } from '../classes/label-options.js';
import type { ParquetEngine } from '../parquet/engine.js';
import type { EpochBalance, EpochShard } from './balanced-epoch.js';

/**
 * One mini-batch of training data, in plain typed arrays that any trainer can take.
 *
 * Row `i` has features `x[i * features .. (i + 1) * features)` (row-major), class index `y[i]` and, when a
 * weight column is read, weight `w[i]`. `classes[y[i]]` is row `i`'s label value. The arrays belong to the
 * consumer: the next batch never reuses them.
 */
export interface TrainingBatch {
  /** Features, `rows x features`, row-major, in the order of the `features` option. */
  readonly x: Float32Array;
  /** Class index of each row (`0 .. classes.length - 1`). */
  readonly y: Int32Array;
  /** Per-row weights from the weight column; absent when no `weight` column was asked for. */
  readonly w?: Float32Array;
  /** Rows in this batch (`batchSize`, except perhaps the last). */
  readonly rows: number;
  /** Feature columns per row. */
  readonly features: number;
  /**
   * Class values in index order. Without the `classes` option the list grows as new classes appear (a class
   * seen for the first time gets the next index) and indices never change during an iteration.
   */
  readonly classes: readonly ClassValue[];
}

/** Options of `trainingBatches`. */
export interface TrainingBatchesOptions {
  /** Feature columns, in the order they take in each row of `x`. Numeric or boolean columns only. */
  readonly features: readonly string[];
  /** The label column (integers, floats, strings, booleans or dictionaries of those). */
  readonly label: string;
  /** A numeric column of per-record weights (for example the one `weight()` appends) copied into `w`. */
  readonly weight?: string | undefined;
  /** Rows per mini-batch (a positive integer). */
  readonly batchSize: number;
  /** RxJS operators applied to the record batches before batching, e.g. `pipe(balance(...), shuffle(...))`. */
  readonly pipeline?: OperatorFunction<RecordBatch, RecordBatch> | undefined;
  /** Drop a last batch smaller than `batchSize` (default false: emit it). */
  readonly dropRemainder?: boolean | undefined;
  /**
   * Fixes the class list and so the index of each class (`classes[i]` gets index `i`); a label outside
   * it is an error that names the value. Values are matched by `classKey` (so `1` and `'1'` are one class).
   */
  readonly classes?: readonly ClassValue[] | undefined;
  /** Value written for a null feature; without it a null feature is an error that names the column. */
  readonly fillNull?: number | undefined;
  /** Null labels: `'error'` (default), `'drop'` (skip the row) or `'class'` (null is a class). */
  readonly nulls?: NullPolicy | undefined;
  /** Distinct label values accepted (default 100,000, at most 2^24); one more is an error (an id column, not classes). */
  readonly maxClasses?: number | undefined;
  /**
   * Columns to read from Parquet. Default: without a `pipeline`, just `features`, `label` and `weight`;
   * with one, every column (the pipeline may need any of them).
   */
  readonly columns?: readonly string[] | undefined;
  /** Parquet engine (`'parquet-wasm'` default, or `'parquetjs-lite'`). */
  readonly engine?: ParquetEngine | undefined;
  /** Stops the iteration: the next pull rejects with the signal's reason and the reader is closed. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Balances each epoch exactly, as `balanceParquet` does (a count pass, then exact quotas per row group),
   * before the `pipeline`: `{ strategy, target, seed }`. Epoch 0 holds the rows `balanceParquet` writes for
   * that seed, in the same order.
   */
  readonly balance?: EpochBalance | undefined;
  /**
   * This rank's part of each balanced epoch, for data-parallel training: `{ index, count }`. Ranks read
   * disjoint runs of the epoch, in rank order, and only their row groups. Every rank gets the same number of
   * rows, and so of batches, as PyTorch's `DistributedSampler` cuts them: without `dropRemainder`, the last
   * ranks are padded with the epoch's first rows; with it, the epoch's last rows that do not fill a rank are
   * left out (and, as ever with `dropRemainder`, each rank's last short mini-batch). So a collective step never
   * waits for a rank that ran out. Needs `balance`.
   */
  readonly shard?: EpochShard | undefined;
  /** Which epoch (default 0): each draws another balanced sample, the same for the same seed and epoch. Needs `balance`. */
  readonly epoch?: number | undefined;
}
