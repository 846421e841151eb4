import type { RecordBatch } from 'apache-arrow';
import { Observable } from 'rxjs';
import { ArrowBalanceError, toArrowBalanceError } from '../src/errors.js';
import type { BatchReader } from '../src/parquet/batch-reader.js';
import { openParquet, validateReadOptions, type ParquetReadOptions } from '../src/parquet/open-reader.js';
import type { ParquetSource } from '../src/parquet/sources.js';

/**
 * Streams Parquet file(s) as Arrow record batches, row group by row group.
 *
 * Cold and lazy: nothing is opened before subscription; the next row group is read when the previous one
 * has been handed on (with one row group decoded ahead in a worker thread); unsubscribing stops reading and
 * releases the files. A source with no rows emits one empty batch that carries the schema.
 *
 * ```
 * file.parquet:  [rg0][rg1][rg2]
 * fromParquet:   --b0--b1--b2--|
 * ```
 *
 * Memory: about two row groups (the one downstream is working on and the one decoded ahead).
 *
 * ## Example
 * ```ts
 * fromParquet('samples/mammography.parquet', { columns: ['label'] })
 *   .subscribe((batch) => console.log(batch.numRows));
 * ```
 * @param source a file path, a list of paths, a directory (its `*.parquet` files, sorted by name), or bytes
 * @param options `columns` (projection), `batchSize` (most rows per batch), `decoders` (worker threads), `engine`
 * @returns a cold Observable of record batches; errors arrive as `arrow-balance: <file>: <what is wrong>`
 */
export function fromParquet(source: ParquetSource, options: Omit<ParquetReadOptions, 'transient'> = {}): Observable<RecordBatch> {
  validateReadOptions(options);
  if ((options as ParquetReadOptions).transient === true) {
    // Subscribers may keep batches (shuffle and reservoirs do), so their memory can never be reused.
    throw new ArrowBalanceError('fromParquet cannot read transiently: its subscribers may keep batches; use openParquet for a reader that may reuse memory');
  }
  return new Observable<RecordBatch>((subscriber) => {
    let reader: BatchReader | undefined;
    let stopped = false;
    const run = async (): Promise<void> => {
      reader = await openParquet(source, options);
      for (;;) {
        if (stopped) return;
        const batches = await reader.next();
        if (batches === null) break;
        for (const batch of batches) {
          if (subscriber.closed) return;
          subscriber.next(batch);
        }
      }
      subscriber.complete();
    };
    run()
      .catch((error: unknown) => subscriber.error(toArrowBalanceError(error)))
      .finally(() => reader?.close());
    return () => {
      stopped = true;
      reader?.close();
    };
  });
}
