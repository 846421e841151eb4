import type { RecordBatch } from 'apache-arrow';
import { concat, concatMap, defer, finalize } from 'rxjs';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { prepareBalance } from '../src/sampling/balance-engine.js';
import type { BalanceEngine } from '../src/sampling/balance-engine.js';
import type { BalanceOptions } from '../src/sampling/balance-options.js';

export type { BalanceMode, BalanceOptions } from '../src/sampling/balance-options.js';

/**
 * Rebalances a stream of record batches by class: under-samples, over-samples or both (`strategy`), to
 * imbalanced-learn's `sampling_strategy` targets or to proportions (`target`).
 *
 * ```
 * exact / online:  --b1------b2------b3--|      (each input batch yields its sampled rows at once)
 *                  --s1------s2------s3--|
 * reservoir:       --b1------b2------b3--|
 *                  ----------------------(s|)   (the sample comes at completion, or per `window`)
 * ```
 * Modes: `'exact'` (needs `counts`; exactly k_c rows per targeted class, uniform, input order kept; over:
 * each row floor(T_c/n_c) or one more times), `'reservoir'` (default without counts: bottom-k reservoirs of
 * `capacity` rows per class, resolved at completion), `'online'` (unbounded streams, decides per row,
 * approximate sizes). Output batches keep the input schema; `importanceWeight` adds a Float64 column
 * n_c / k_c so that weighted class totals equal the input counts. Same `seed`, same rows, however the input
 * is cut into batches.
 *
 * Options are checked when `balance()` is called (TypeError / RangeError naming the option; in exact mode
 * the target is resolved against the counts then too). Every subscription gets fresh state and a fresh
 * random source (seeded alike when `seed` is given).
 *
 * Memory: exact and online O(classes) plus one batch; reservoir `capacity` x classes rows, up to twice that
 * between prunings, held as references into input batches that are compacted so that they pin at most
 * `4 * capacity` x classes rows. Empty output batches are not emitted.
 *
 * ## Example
 * ```ts
 * import { from } from 'rxjs';
 * import { balance } from 'arrow-balance';
 *
 * from(batches)
 *   .pipe(balance({ label: 'fraud', mode: 'exact', counts: { true: 1_000, false: 99_000 }, seed: 42 }))
 *   .subscribe((batch) => console.log(batch.numRows));
 * ```
 * @param options label column, strategy, target, mode, counts, seed, nulls, capacity, window, importanceWeight
 * @returns an operator emitting the rebalanced batches
 * @throws TypeError / RangeError for a bad option; ArrowBalanceError for a target that does not fit `counts`
 */
export function balance(options: BalanceOptions): MonoTypeOperatorFunction<RecordBatch> {
  const make = prepareBalance(options);
  return (source) =>
    defer(() => {
      let engine: BalanceEngine | null = make();
      return concat(
        source.pipe(concatMap((batch) => (engine === null ? [] : engine.push(batch)))),
        defer(() => (engine === null ? [] : engine.finish())),
      ).pipe(
        finalize(() => {
          engine = null;
        }),
      );
    });
}
