import type { RecordBatch } from 'apache-arrow';
import { LiteParquetWriter } from './lite/lite-writer.js';
import { WasmParquetWriter } from './wasm/wasm-writer.js';
import { ParallelParquetWriter } from './wasm/parallel-writer.js';
import type { ResolvedWriteOptions } from './write-options.js';
import type { ParquetWriteSummary } from './write-summary.js';

/**
 * A Parquet file being written: batches in, one atomic file out.
 *
 * `write` is synchronous and may hold the caller back while the encoder catches up; the file appears
 * only when `finish` succeeds; `abort` removes everything written so far.
 */
export interface ParquetFileWriter {
  /** The file being written (absolute path). */
  readonly path: string;
  /** Queues a batch; throws an ArrowBalanceError when it cannot be written. */
  write(batch: RecordBatch): void;
  /**
   * Resolves once a `write` would not hold the caller back. A job that awaits this before each write lets
   * the event loop run while the encoder catches up (signals are answered), and learns at once when the
   * encoder has failed or died, where a blocked `write` could not see a dead worker.
   * @throws ArrowBalanceError when writing has failed
   */
  room(): Promise<void>;
  /** Completes the file and moves it into place. */
  finish(): Promise<ParquetWriteSummary>;
  /** Stops and removes the temporary file at once. Safe to repeat. */
  abort(): void;
}

/**
 * Creates the writer of the engine the options name, after checking the output path.
 * @throws ArrowBalanceError for a bad output path or an engine that cannot write
 */
export function createParquetWriter(path: string, options: ResolvedWriteOptions): ParquetFileWriter {
  if (options.engine === 'parquet-wasm' && options.encoders !== undefined) return ParallelParquetWriter.create(path, options, options.encoders);
  if (options.engine === 'parquet-wasm') return WasmParquetWriter.create(path, options);
  return LiteParquetWriter.create(path, options);
}
