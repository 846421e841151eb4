import type { RecordBatch } from 'apache-arrow';
import { Observable, takeWhile } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { ClassCounts } from '../src/classes/class-counts.js';
import { ClassTally } from '../src/classes/class-tally.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { validateLabelOptions } from '../src/classes/label-options.js';
import type { NullPolicy } from '../src/classes/label-options.js';

/**
 * Counts rows per class of a label column, emitting the running {@link ClassCounts} after each batch
 * (`last()` gives the total).
 *
 * ```
 * source:        --b1------b2----|      (b1: 3 buy + 1 skip, b2: 2 skip)
 * countClasses:  --c1------c2----|      (c1: buy 3, skip 1;  c2: buy 3, skip 3)
 * ```
 *
 * Memory: O(number of classes), about 60 bytes a class for integer labels and 150 for short strings (see
 * `LabelCoder`), plus the counts emitted; batches are not held. A label with more than `maxClasses` distinct
 * values (default 100,000) is an error as soon as the value one too many arrives: an id column as the label
 * would otherwise take memory by the gigabyte.
 *
 * ## Example
 * ```ts
 * fromParquet('samples/page-blocks.parquet', { columns: ['label'] })
 *   .pipe(countClasses({ label: 'label' }), last())
 *   .subscribe((counts) => console.log(JSON.stringify(counts)));
 * // {"total":5473,"classes":[{"value":1,"count":4913},...]}
 * ```
 *
 * @param options `label`: the label column; `nulls`: `'error'` (default), `'drop'` or `'class'`; `maxClasses`:
 *   distinct label values accepted (default 100,000, at most 2^24)
 * @returns an operator from record batches to running class counts
 * @throws TypeError / RangeError at creation for invalid options; label errors (missing column, unsupported
 *   type, null or NaN labels, more than `maxClasses` classes) arrive on the error channel
 */
export function countClasses(options: { label: string; nulls?: NullPolicy; maxClasses?: number }): OperatorFunction<RecordBatch, ClassCounts> {
  const labelOptions = validateLabelOptions(options);
  return (source) => new Observable<ClassCounts>((subscriber) => {
    let coder: LabelCoder | undefined = new LabelCoder(labelOptions);
    let tally: ClassTally | undefined = new ClassTally();
    // takeWhile stops a synchronous source as soon as downstream has unsubscribed (e.g. a take(1) below us)
    const subscription = source.pipe(takeWhile(() => !subscriber.closed)).subscribe({
      next(batch) {
        if (coder === undefined || tally === undefined) return;
        let counts: ClassCounts;
        try {
          tally.add(coder.encode(batch));
          counts = tally.snapshot(coder);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        subscriber.next(counts);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      subscription.unsubscribe();
      coder = undefined;
      tally = undefined;
    };
  });
}
