import { ClassCounts } from '../classes/class-counts.js';
import { ClassTally } from '../classes/class-tally.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import type { ParquetEngine } from '../parquet/engine.js';
import type { IpcSource } from '../ipc/ipc-reader.js';
import { openJobInput, type JobInput } from './job-input.js';
import { yieldToEventLoop } from './event-loop.js';
import type { ParquetOutputOptions } from './parquet-output.js';

/** Options of {@link countParquet}. */
export interface CountParquetOptions {
  /** The label column. */
  readonly label: string;
  /** Null labels: `'error'` (default), `'drop'` or `'class'`. */
  readonly nulls?: NullPolicy | undefined;
  /**
   * Distinct label values accepted (default 100,000, at most 2^24). One more stops the count with an error
   * at once, after reading only the rows up to it: an id column as the label would otherwise take memory by
   * the gigabyte.
   */
  readonly maxClasses?: number | undefined;
  /** Parquet engine (default parquet-wasm). */
  readonly engine?: ParquetEngine | undefined;
  /** Worker threads decoding in parallel (parquet-wasm; default 1). */
  readonly decoders?: number | undefined;
  /** Called after each row group with the rows counted so far. */
  readonly onProgress?: ((rowsRead: number) => void) | undefined;
}

/**
 * Counts the rows of each class in Parquet file(s) or Arrow IPC, reading only the label column.
 *
 * Parquet stores columns apart, so this pass decodes a small fraction of the data. Arrow IPC input
 * (`{ arrow: source }`, see `fromArrow`) is read whole, a record batch at a time.
 * Memory: one row group of the label column, plus O(classes): about 60 bytes a class for integer labels and
 * 150 for short strings while counting.
 *
 * ## Example
 * ```ts
 * const counts = await countParquet('samples/mammography.parquet', { label: 'label' });
 * console.log(counts.toJSON()); // { total: 11183, classes: [{ value: -1, count: 10923 }, { value: 1, count: 260 }] }
 * ```
 * @param source a file, a list of files, a directory or bytes, as `fromParquet` takes, or `{ arrow: source }`
 *   with a source `fromArrow` takes
 * @param options the label column, null policy, class limit, engine, decoders and progress callback
 * @param bytes the bytes to read in place of Arrow input's own (a stream that spools as it is read)
 * @returns the class counts
 * @throws TypeError / RangeError for a bad option (before anything is read); ArrowBalanceError for bad input,
 *   among them a label with more than `maxClasses` distinct values
 */
export async function countParquet(source: JobInput, options: CountParquetOptions, bytes?: IpcSource): Promise<ClassCounts> {
  const coder = new LabelCoder({ label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
  const tally = new ClassTally();
  // Transient: labels are tallied and dropped, so the reader may reuse their memory.
  const reader = await openJobInput(source, { columns: [options.label], engine: options.engine, decoders: options.decoders, transient: true }, bytes);
  let rows = 0;
  try {
    for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
      for (const batch of batches) {
        tally.add(coder.encode(batch));
        rows += batch.numRows;
      }
      options.onProgress?.(rows);
      await yieldToEventLoop();
    }
  } finally {
    reader.close();
  }
  return tally.total === 0 && coder.classCount === 0 ? ClassCounts.empty() : tally.snapshot(coder);
}

/** What a job reports while its first pass counts classes. */
export interface CountPassProgress {
  readonly phase: 'count';
  /** Rows counted so far. */
  readonly rowsRead: number;
  readonly rowsTotal: undefined;
  readonly rowsWritten: 0;
}

/**
 * The first pass of a job that writes Parquet: {@link countParquet}, stopping with the signal's reason when
 * the job is aborted and reporting progress as phase `'count'` after each row group.
 *
 * Memory: as {@link countParquet}.
 *
 * ## Example
 * ```ts
 * const counts = await countPass('samples/mammography.parquet', { label: 'label' }, { signal, onProgress });
 * ```
 * @param source what the job reads
 * @param options what to count and how to decode (no progress callback: the job's is used)
 * @param job the job's signal and progress callback
 * @param bytes the bytes to read in place of Arrow input's own
 * @returns the class counts
 */
export async function countPass(
  source: JobInput,
  options: Omit<CountParquetOptions, 'onProgress'>,
  job: Pick<ParquetOutputOptions<CountPassProgress>, 'signal' | 'onProgress'>,
  bytes?: IpcSource,
): Promise<ClassCounts> {
  return countParquet(source, {
    ...options,
    onProgress: (rows) => {
      job.signal?.throwIfAborted();
      job.onProgress?.({ phase: 'count', rowsRead: rows, rowsTotal: undefined, rowsWritten: 0 });
    },
  }, bytes);
}
