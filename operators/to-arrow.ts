import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { OperatorFunction } from 'rxjs';
import { IpcWriter, resolveIpcWriteOptions, type IpcWriteOptions, type IpcWriteSummary } from '../src/ipc/ipc-writer.js';
import { writeBatches } from './write-batches.js';

/**
 * Writes the record batches of the source as Arrow IPC, to a file atomically or to a writable stream
 * (`process.stdout`, a socket), and emits one summary.
 *
 * A file is written into a temporary file beside `target` and renamed into place when the source completes;
 * on error or unsubscribe it is removed before the error goes downstream, so no partial file ever appears.
 * Its format follows the extension (`.arrow`/`.feather`: the IPC file format, `.arrows`: the stream format)
 * unless `format` says. A stream target gets the IPC stream format by default; it cannot be taken back, so
 * on error it is ended with bytes that make every reader fail, rather than left looking complete. The stream
 * is not closed (stdout stays usable).
 *
 * ```
 * source:   --b0--b1--b2--|
 * toArrow:  --------------(s|)     s = { path, format, rows, batches, bytes }
 * ```
 *
 * Memory: one batch. Each batch is encoded as it arrives, straight into the file; a stream target's buffer
 * is not waited for (RxJS has no back-pressure), so a producer faster than the stream's reader fills it:
 * jobs (and the CLI) wait for the stream to drain before reading more.
 *
 * ## Example
 * ```ts
 * fromParquet('train.parquet').pipe(balance({ label: 'label', mode: 'reservoir', seed: 7 }), toArrow('balanced.arrows'))
 *   .subscribe((summary) => console.log(`${summary.rows} rows in ${summary.batches} batches`));
 * ```
 * @param target the output file, or a writable byte stream
 * @param options `format` ('arrow' or 'arrows'), `overwrite` (default false), `metadata` (schema key-value pairs)
 * @returns an operator that emits one {@link IpcWriteSummary} and completes
 */
export function toArrow(target: string | Writable, options: IpcWriteOptions = {}): OperatorFunction<RecordBatch, IpcWriteSummary> {
  // Checks the options now; the file is created at subscription.
  resolveIpcWriteOptions(target, options);
  return writeBatches('toArrow', () => IpcWriter.create(target, options));
}
