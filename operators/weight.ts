import type { RecordBatch } from 'apache-arrow';
import { Observable, takeWhile } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { prepareWeights } from '../src/weights/weight-engine.js';
import type { WeightEngine } from '../src/weights/weight-engine.js';
import type { WeightOptions } from '../src/weights/weight-options.js';

export type { WeightColumnType, WeightOptions } from '../src/weights/weight-options.js';
export type { WeightScheme } from '../src/weights/schemes.js';

/**
 * Appends each record's class weight as a new column (default `weight`, Float32; `type: 'float64'` on request),
 * one output batch per input batch, so a trainer can carry the weight into its loss.
 *
 * ```
 * source:  --b1------b2------|      (rows labelled a, b, c)
 * weight:  --w1------w2------|      (b1 + weight column, b2 + weight column)
 * ```
 * Schemes (as `classWeights()`): `balanced` (default) N / (K * n_c); `inverse` and `sqrt` rescaled so the
 * weights sum to N; `effective` (1 - beta) / (1 - beta^n_c) rescaled so the K class weights sum to K;
 * `manual` with `classWeights: { class: weight }`.
 *
 * Exactness: with `counts` (rows per class of the whole input, e.g. from `countClasses` or `countParquet`) the
 * weights are exact from the first row, and a class missing from `counts` or exceeding its count is an error.
 * Without `counts`, each batch is weighted from the running counts of the rows seen so far, that batch
 * included: early weights drift (the first batches see only a few classes, and a class not yet seen cannot be
 * weighted at all), and rows weighted early do not carry the same weights as later rows of their class. Pass
 * `counts` when the weights must be exact. Manual weights need no counts.
 *
 * Nulls: `'error'` (default), `'drop'` (null-label rows are removed from the output batch), `'class'` (null is a
 * class). A column named like the weight column is an error unless `replace: true`; the label column can
 * never be the weight column. Schema and schema metadata are kept; the new field is non-nullable.
 *
 * Options are checked when `weight()` is called (TypeError / RangeError naming the option). Every subscription
 * gets fresh state (class coding, running counts). Data errors (missing label column, nulls under 'error',
 * a class without a weight) arrive on the error channel.
 *
 * Memory: O(classes); batches are not held (each output shares the input's columns plus one weight array).
 *
 * ## Example
 * ```ts
 * import { from, lastValueFrom, toArray } from 'rxjs';
 * import { countParquet, fromParquet, weight } from 'arrow-balance';
 *
 * const counts = await countParquet('samples/mammography.parquet', { label: 'label' });
 * fromParquet('samples/mammography.parquet')
 *   .pipe(weight({ label: 'label', counts })) // -1: 11183 / (2 * 10923), 1: 11183 / (2 * 260)
 *   .subscribe((batch) => console.log(batch.getChild('weight')?.get(0)));
 * ```
 * @param options `label`; `scheme`, `beta`, `classWeights`; `counts`; `column`, `type`, `nulls`, `replace`
 * @returns an operator appending the weight column to every batch
 * @throws TypeError / RangeError at creation for a bad option; ArrowBalanceError at creation when manual weights
 *   miss a class of `counts`
 */
export function weight(options: WeightOptions): MonoTypeOperatorFunction<RecordBatch> {
  const make = prepareWeights(options);
  return (source) => new Observable<RecordBatch>((subscriber) => {
    let engine: WeightEngine | undefined = make();
    // takeWhile stops a synchronous source as soon as downstream has unsubscribed (e.g. a take(1) below us)
    const subscription = source.pipe(takeWhile(() => !subscriber.closed)).subscribe({
      next(batch) {
        if (engine === undefined) return;
        let weighted: RecordBatch;
        try {
          weighted = engine.push(batch);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscriber.next(weighted);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      subscription.unsubscribe();
      engine = undefined;
    };
  });
}
