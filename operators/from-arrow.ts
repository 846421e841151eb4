import type { RecordBatch } from 'apache-arrow';
import { Observable } from 'rxjs';
import { toArrowBalanceError } from '../src/errors.js';
import type { BatchReader } from '../src/parquet/batch-reader.js';
import { openIpc, type IpcReadOptions, type IpcSource } from '../src/ipc/ipc-reader.js';
import { emptyBatch } from '../src/arrow/empty-batch.js';

/**
 * Streams Arrow IPC as record batches: an IPC file (`.arrow`, Feather v2), an IPC stream (`.arrows`), or a
 * byte stream such as `process.stdin`.
 *
 * Cold and lazy: nothing is opened before subscription; the next record batch is read once the previous one
 * has been handed on; unsubscribing stops reading and releases the file (or destroys the byte stream). A
 * byte stream can be read once, so subscribe once to an Observable made from one. A stream with a schema and
 * no batches emits one empty batch that carries the schema.
 *
 * ```
 * train.arrows:  [schema][b0][b1][b2][eos]
 * fromArrow:     --b0--b1--b2--|
 * ```
 *
 * Memory: about one record batch (with its dictionaries): a file is read batch by batch through its footer,
 * a stream message by message as its bytes arrive.
 *
 * ## Example
 * ```ts
 * fromArrow(process.stdin).pipe(balance({ label: 'y', mode: 'reservoir', seed: 1 }), toArrow(process.stdout))
 *   .subscribe();
 * ```
 * @param source a path, bytes, or an async iterable of byte chunks (a Node readable stream)
 * @param options `columns` (kept columns, by name), `name` (for messages)
 * @returns a cold Observable of record batches; errors arrive as `arrow-balance: <input>: <what is wrong>`,
 *   among them input that is not Arrow IPC and a stream cut before its end-of-stream marker
 */
export function fromArrow(source: IpcSource, options: IpcReadOptions = {}): Observable<RecordBatch> {
  return new Observable<RecordBatch>((subscriber) => {
    let reader: BatchReader | undefined;
    let stopped = false;
    const run = async (): Promise<void> => {
      reader = await openIpc(source, options);
      if (stopped) return;
      let emitted = false;
      for (;;) {
        const batches = await reader.next();
        if (stopped || subscriber.closed) return;
        if (batches === null) break;
        for (const batch of batches) {
          emitted = true;
          subscriber.next(batch);
          if (subscriber.closed) return;
        }
      }
      if (!emitted) subscriber.next(emptyBatch(reader.schema));
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
