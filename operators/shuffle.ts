import type { RecordBatch } from 'apache-arrow';
import { Observable, takeWhile, type MonoTypeOperatorFunction } from 'rxjs';
import { withPrefix } from '../src/errors.js';
import { randomSeed, seededRandom } from '../src/random.js';
import { ShuffleBuffer } from '../src/sampling/shuffle.js';

/** Options of {@link shuffle}. */
export interface ShuffleOptions {
  /** Rows held in the shuffle buffer (a positive integer); larger spreads rows further apart. */
  readonly bufferRows: number;
  /** Seed of the random source; the same seed gives the same rows in the same order whatever the batch sizes.
   *  Without a seed each subscription draws a fresh one. */
  readonly seed?: number | string;
}

/**
 * Shuffles rows through a bounded buffer, like tf.data's `shuffle(buffer_size)`: spreads replicated rows apart.
 *
 * The first `bufferRows` rows fill the buffer; then each incoming row replaces a uniformly drawn buffered
 * row, which is emitted; when the source completes the buffer is emitted in random order. With
 * `bufferRows` at least the number of input rows the output is a uniform random permutation. Once the
 * buffer is full each input batch yields one output batch of the same size; the final flush uses the
 * largest input batch size. Copies of a row emitted side by side by `balance({ strategy: 'over' })` end up
 * about `bufferRows` rows apart.
 *
 * ```
 * source:   --[a b]--[c d]--[e f]--|
 * shuffle:  ---------[c a]--[b f]--(ed|)     bufferRows: 2
 * ```
 *
 * Memory: `bufferRows` rows, kept as references into input batches that are compacted so they total at most
 * `2 * bufferRows` rows (plus the batch being handled), and two `Int32Array`s of `bufferRows` entries.
 *
 * ## Example
 * ```ts
 * fromParquet('train.parquet')
 *   .pipe(balance({ label: 'y', strategy: 'over' }), shuffle({ bufferRows: 50_000, seed: 7 }))
 *   .subscribe((batch) => train(batch));
 * ```
 * @param options `bufferRows` (required) and `seed`
 * @returns an operator emitting the same rows in shuffled order, with the input schema
 * @throws TypeError or RangeError (at creation) naming the option that is wrong
 */
export function shuffle(options: ShuffleOptions): MonoTypeOperatorFunction<RecordBatch> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(withPrefix('shuffle needs an options object such as { bufferRows: 10000, seed: 1 }'));
  }
  const { bufferRows, seed } = options;
  if (typeof bufferRows !== 'number') {
    throw new TypeError(withPrefix(`shuffle option "bufferRows" must be a number of rows; got ${typeof bufferRows}`));
  }
  if (!Number.isInteger(bufferRows) || bufferRows < 1 || bufferRows > 0x7fffffff) {
    throw new RangeError(withPrefix(`shuffle option "bufferRows" is ${bufferRows}; give an integer from 1 to 2147483647`));
  }
  if (seed !== undefined) seededRandom(seed);
  return (source) =>
    new Observable<RecordBatch>((subscriber) => {
      let engine: ShuffleBuffer | null = new ShuffleBuffer(bufferRows, seededRandom(seed ?? randomSeed()));
      const emit = (batches: RecordBatch[]): void => {
        for (const batch of batches) {
          if (subscriber.closed) return;
          subscriber.next(batch);
        }
      };
      // takeWhile lets a synchronous source stop at its next value once downstream has closed (e.g. `take`):
      // our teardown is only registered after `subscribe` returns. Public RxJS only, no `operate`.
      const subscription = source.pipe(takeWhile(() => !subscriber.closed)).subscribe({
        next: (batch) => {
          if (engine === null) return;
          let out: RecordBatch[];
          try {
            out = engine.push(batch);
          } catch (error) {
            engine = null;
            subscriber.error(error);
            return;
          }
          emit(out);
        },
        error: (error: unknown) => {
          engine = null;
          subscriber.error(error);
        },
        complete: () => {
          const last = engine;
          engine = null;
          if (last === null || subscriber.closed) return;
          let out: RecordBatch[];
          try {
            out = last.finish();
          } catch (error) {
            subscriber.error(error);
            return;
          }
          emit(out);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        engine = null;
      };
    });
}
