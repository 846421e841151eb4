import type { RecordBatch } from 'apache-arrow';
import { Observable, type OperatorFunction } from 'rxjs';
import { assertOwnBatch } from '../src/arrow/own-batch.js';
import { toArrowBalanceError } from '../src/errors.js';

/** Where a writing operator puts batches: written one by one, then finished (or abandoned). */
export interface BatchSink<Summary> {
  write(batch: RecordBatch): void;
  /** Completes the output and says what was written. */
  finish(): Promise<Summary>;
  /** Abandons the output (nothing partial is left). Safe to repeat. */
  abort(): void;
}

/**
 * The operator behind `toParquet` and `toArrow`: creates the sink at subscription, writes every batch, and
 * emits the sink's summary when the source completes. On an error, upstream or in the sink, or on
 * unsubscribe, the sink is aborted before the error goes downstream.
 * @param name the operator's name, for the message about batches that are not the caller's own
 * @param create makes the sink (throws to fail the subscription)
 */
export function writeBatches<Summary>(name: string, create: () => BatchSink<Summary>): OperatorFunction<RecordBatch, Summary> {
  return (source) =>
    new Observable<Summary>((subscriber) => {
      let sink: BatchSink<Summary> | undefined;
      const fail = (error: unknown): void => {
        sink?.abort();
        subscriber.error(toArrowBalanceError(error));
      };
      try {
        sink = create();
      } catch (error) {
        fail(error);
        return undefined;
      }
      const open = sink;
      const subscription = source.subscribe({
        next: (batch) => {
          try {
            assertOwnBatch(batch, name);
            open.write(batch);
          } catch (error) {
            fail(error);
          }
        },
        error: fail,
        complete: () => {
          open.finish().then((summary) => {
            subscriber.next(summary);
            subscriber.complete();
          }, fail);
        },
      });
      return () => {
        subscription.unsubscribe();
        open.abort();
      };
    });
}
