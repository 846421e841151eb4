import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import { checkFormat, formatOfPath, type DataFormat } from '../ipc/ipc-format.js';
import { IpcWriter } from '../ipc/ipc-writer.js';
import { createParquetWriter } from '../parquet/file-writer.js';
import type { ResolvedWriteOptions } from '../parquet/write-options.js';

/** Where a job writes: a file path, or a writable stream (stdout) that takes an Arrow IPC stream or file. */
export type JobOutput = string | Writable;

/** The writer of a job's output, Parquet or Arrow IPC (see `ParquetFileWriter` and `IpcWriter`). */
export interface JobWriter {
  /** The file being written (absolute path), or `<stream>`. */
  readonly path: string;
  write(batch: RecordBatch): void;
  room(): Promise<void>;
  finish(): Promise<unknown>;
  abort(): void;
}

/**
 * The format a job writes: the `format` option, or the output's extension (`.arrow`, `.feather`: IPC file;
 * `.arrows`: IPC stream; anything else Parquet); a stream gets an IPC stream.
 * @throws ArrowBalanceError for an unknown format, or Parquet asked of a stream
 */
export function outputFormat(output: JobOutput, format: unknown): DataFormat {
  const given = checkFormat(format);
  if (typeof output === 'string') return given ?? formatOfPath(output);
  if (given === 'parquet') throw new ArrowBalanceError('Parquet cannot be written to a stream (its footer points back into the file); give a file path, or write Arrow IPC (format "arrows")');
  return given ?? 'arrows';
}

/**
 * Creates the writer of a job's output, after checking the output path.
 * @param output the path or stream
 * @param format from {@link outputFormat}
 * @param options the write options (Arrow IPC takes `overwrite` and `metadata`, stored in the schema)
 */
export function createJobWriter(output: JobOutput, format: DataFormat, options: ResolvedWriteOptions): JobWriter {
  if (format === 'parquet') return createParquetWriter(output as string, options);
  return IpcWriter.create(output, { format, overwrite: options.overwrite, metadata: options.metadata });
}
