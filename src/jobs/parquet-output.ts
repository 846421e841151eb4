import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArrowBalanceError } from '../errors.js';
import { checkOutputFolder } from '../parquet/temp-file.js';
import type { Writable } from 'node:stream';
import type { BatchReader } from '../parquet/batch-reader.js';
import type { ParquetReadOptions } from '../parquet/open-reader.js';
import type { IpcSource } from '../ipc/ipc-reader.js';
import { isArrowInput, openJobInput, refuseArrowInputAsOutput, type JobInput } from './job-input.js';
import type { JobWriter } from './job-output.js';
import { PinnedInputs, resolveSources } from '../parquet/sources.js';
import { isHttpUrl } from '../remote/remote-url.js';
import { resolveWriteOptions, type ParquetWriteOptions, type ResolvedWriteOptions } from '../parquet/write-options.js';

/**
 * The options of a job that writes one Parquet file (`balanceParquet`, `weightParquet`) about its output,
 * as `toParquet` takes them (but the metadata, which holds the job's report), and about its run.
 */
export interface ParquetOutputOptions<Progress> extends Omit<ParquetWriteOptions, 'metadata' | 'encoders'> {
  /** Called after each row group. */
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /** Stops the job: the temporary output is removed at once and the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** The names of {@link ParquetOutputOptions}, for messages that list a job's options. */
export const PARQUET_OUTPUT_OPTIONS: readonly string[] = ['compression', 'rowGroupSize', 'engine', 'overwrite', 'onProgress', 'signal'];

/**
 * Checks a job's output options and fills in defaults.
 * @param options the job's options
 * @param metadata returns the footer's key-value metadata; called when the first batch is written
 * @returns the write options of the job's writer
 * @throws ArrowBalanceError naming a bad option
 */
export function outputWriteOptions(options: Omit<ParquetWriteOptions, 'metadata' | 'encoders'>, metadata: () => Record<string, string>): ResolvedWriteOptions {
  const { compression, rowGroupSize, engine, overwrite } = options;
  return resolveWriteOptions({ compression, rowGroupSize, engine, overwrite, metadata });
}

/**
 * Opens input (Parquet, or Arrow IPC, whose `bytes` may stand in for its own) for a job run by
 * {@link writeParquetJob}, which closes it when the job ends.
 */
export type OpenInput = (source: JobInput, options: ParquetReadOptions, bytes?: IpcSource) => Promise<BatchReader>;

/**
 * Runs a job that writes `writer`'s file (Parquet or Arrow IPC) atomically: the file is finished when `job` resolves and aborted
 * (its temporary file removed) when `job` throws or `signal` aborts, at once; readers the job opened with
 * `open` are closed at the end either way.
 *
 * ## Example
 * ```ts
 * const writer = createParquetWriter(output, outputWriteOptions(options, () => ({})));
 * await writeParquetJob(writer, options.signal, async (open) => {
 *   const reader = await open(input, {});
 *   for (let batches = await reader.next(); batches !== null; batches = await reader.next()) {
 *     for (const batch of batches) writer.write(batch);
 *   }
 * });
 * ```
 * @param writer the output's writer
 * @param signal aborts the job
 * @param job reads and writes; it need not finish, abort or close anything
 * @throws whatever `job` throws, or the signal's reason
 */
export async function writeParquetJob(
  writer: JobWriter,
  signal: AbortSignal | undefined,
  job: (open: OpenInput) => Promise<void>,
): Promise<void> {
  const readers: BatchReader[] = [];
  const open: OpenInput = async (source, options, bytes) => {
    const reader = await openJobInput(source, options, bytes);
    readers.push(reader);
    return reader;
  };
  const stop = (): void => writer.abort();
  signal?.addEventListener('abort', stop);
  try {
    signal?.throwIfAborted();
    await job(open);
    await writer.finish();
  } catch (error) {
    writer.abort();
    // After an abort, whatever failed next (a write to the stopped writer) failed because of it.
    throw signal?.aborted === true ? (signal.reason as unknown) : error;
  } finally {
    signal?.removeEventListener('abort', stop);
    for (const reader of readers) reader.close();
  }
}

/**
 * Throws when the output path names one of the input files (through links too), before anything is
 * created: checked first, so that `--force` is never suggested for writing onto an input.
 * @throws ArrowBalanceError naming the output and the input
 */
export async function refuseInputAsOutput(input: JobInput, output: string | Writable): Promise<void> {
  if (typeof output !== 'string') return;
  if (isArrowInput(input)) {
    refuseArrowInputAsOutput(input, output);
    return;
  }
  if (input instanceof Uint8Array) return;
  // URLs are not opened here: only local files can be the output.
  const local = input instanceof PinnedInputs ? input : (typeof input === 'string' ? [input] : [...input]).filter((path) => !isHttpUrl(path));
  if (Array.isArray(local) && local.length === 0) return;
  const target = realPath(resolve(output));
  for (const source of await resolveSources(local)) {
    if ('path' in source && realPath(source.path) === target) {
      throw new ArrowBalanceError(`${output}: is also an input (${source.name}); write the output to another path`);
    }
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Checks a report page's path before a job starts: its folder exists, and it is neither an input nor the
 * job's output (the page would be lost, or overwrite data).
 * @throws ArrowBalanceError naming the path
 */
export async function checkReportPath(input: JobInput, output: string | Writable, page: string): Promise<void> {
  checkOutputFolder(page);
  if (typeof output === 'string' && resolve(page) === resolve(output)) throw new ArrowBalanceError(`${page}: is also the output; write the report to another path`);
  await refuseInputAsOutput(input, page);
}
