import type { RecordBatch } from 'apache-arrow';
import type { OperatorFunction } from 'rxjs';
import { ArrowBalanceError } from '../src/errors.js';
import { createParquetWriter } from '../src/parquet/file-writer.js';
import { availableParallelism } from 'node:os';
import { resolveEngine } from '../src/parquet/engine.js';
import { MAX_ENCODERS, resolveWriteOptions, type ParquetWriteOptions } from '../src/parquet/write-options.js';
import type { ParquetWriteSummary } from '../src/parquet/write-summary.js';
import { writeBatches } from './write-batches.js';

/**
 * Writes the record batches of the source to a Parquet file, atomically, and emits one summary.
 *
 * Rows are cut into row groups of `rowGroupSize` rows, which `encoders` worker threads (default: the cores
 * available) encode side by side; they are stitched in order into a temporary file beside `path`, which is
 * renamed into place when the source completes. The file's bytes depend on the rows and options only, not on
 * how the rows were batched nor on the number of encoders. On error or unsubscribe the temporary file is removed
 * before the error goes downstream, so no partial output ever appears. An existing file is an error unless
 * `overwrite` is set, and a file being read by `fromParquet` is never overwritten.
 *
 * ```
 * source:     --b0--b1--b2--|
 * toParquet:  --------------(s|)     s = { path, rows, rowGroups, bytes }
 * ```
 *
 * Memory: bounded. At most `encoders + 1` row groups are being encoded, plus the rows of the next one; when
 * the encoders fall behind, the producer is held back (the call that delivers a batch waits until one is done).
 *
 * ## Example
 * ```ts
 * fromParquet('in.parquet')
 *   .pipe(toParquet('out.parquet', { compression: 'zstd' }))
 *   .subscribe((summary) => console.log(`${summary.rows} rows in ${summary.rowGroups} row groups`));
 * ```
 * @param path the output file
 * @param options `compression` ('snappy' default, 'zstd', 'gzip', 'brotli', 'lz4_raw', 'none'),
 *   `rowGroupSize` (default 122,880), `engine`, `metadata` (extra key-value pairs), `overwrite` (default false),
 *   `encoders` (default: the cores available)
 * @returns an operator that emits one {@link ParquetWriteSummary} and completes
 */
export function toParquet(path: string, options: ParquetWriteOptions = {}): OperatorFunction<RecordBatch, ParquetWriteSummary> {
  if (typeof path !== 'string' || path.length === 0) throw new ArrowBalanceError('toParquet needs an output file path');
  // Row groups are encoded side by side on every core unless the engine cannot, or the caller says otherwise.
  const encoders = options.encoders ?? (resolveEngine(options.engine) === 'parquet-wasm' ? Math.min(availableParallelism(), MAX_ENCODERS) : undefined);
  const resolved = resolveWriteOptions({ ...options, encoders });
  return writeBatches('toParquet', () => createParquetWriter(path, resolved));
}
