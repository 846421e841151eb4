import type { RecordBatch } from 'apache-arrow';
import { appendFloatColumn } from '../arrow/append-column.js';
import type { ClassCounts } from '../classes/class-counts.js';
import { classKey } from '../classes/class-value.js';
import { LabelCoder } from '../classes/label-coder.js';
import { withPrefix } from '../errors.js';
import { randomSeed, seededRandom } from '../random.js';
import { checkBalanceOptions, type BalanceOptions, type CheckedBalanceOptions } from './balance-options.js';
import type { SampledBatch, SamplingEngine } from './engine.js';
import { ExactOverPlanner } from './exact-over.js';
import { ExactQuotas } from './exact-quotas.js';
import { ExactUnderPlanner } from './exact-under.js';
import { OnlinePlanner, onlineShares } from './online.js';
import { plannedEngine } from './planned-engine.js';
import { ReservoirSampler } from './reservoir.js';
import { resolveTargets } from './targets.js';
import { assertOwnBatch } from '../arrow/own-batch.js';

/**
 * The engine behind `balance()`: codes each batch's label, lets the sampling engine of the chosen mode
 * (exact, reservoir or online) pick rows, gathers them column by column and appends importance weights.
 *
 * Synchronous and RxJS-free; the operator, the trainer bridge and the CLI all drive it the same way.
 * Memory: O(classes) for exact and online; for reservoir capacity x classes rows (up to 2x between prunings)
 * in input batches pinning at most 4 x capacity x classes rows.
 *
 * ## Example
 * ```ts
 * const make = prepareBalance({ label: 'y', mode: 'exact', counts: { a: 900, b: 100 }, seed: 1 });
 * const engine = make();
 * const out = [...engine.push(batch), ...engine.finish()];
 * ```
 */
export class BalanceEngine {
  private readonly coder: LabelCoder;
  private readonly engine: SamplingEngine;

  /** @param options options already checked by {@link prepareBalance} */
  constructor(private readonly options: CheckedBalanceOptions) {
    this.coder = new LabelCoder({ label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
    this.engine = makeEngine(options, this.coder);
  }

  /**
   * Takes one input batch.
   * @param batch an input batch holding the label column
   * @returns the batches to emit now (empty ones are left out)
   */
  push(batch: RecordBatch): RecordBatch[] {
    assertOwnBatch(batch, 'balance');
    const codes = this.coder.encode(batch);
    return this.emit(this.engine.push(batch, codes));
  }

  /**
   * Ends the input.
   * @returns the batches still held (reservoir mode)
   * @throws ArrowBalanceError when the input contradicts the given counts (exact mode)
   */
  finish(): RecordBatch[] {
    return this.emit(this.engine.finish());
  }

  private emit(parts: readonly SampledBatch[]): RecordBatch[] {
    const out: RecordBatch[] = [];
    const column = this.options.importanceWeight;
    for (const { batch, weights } of parts) {
      if (batch.numRows === 0) continue;
      out.push(column !== undefined && weights !== undefined ? appendFloatColumn(batch, column, weights) : batch);
    }
    return out;
  }
}

/**
 * Checks `balance()` options and resolves what can be resolved before any data (exact targets), returning
 * a factory that builds a fresh engine (fresh state, fresh random source) per call.
 *
 * Memory: O(classes).
 * @param options the `balance()` options
 * @returns a factory of independent engines
 * @throws TypeError / RangeError naming a bad option; ArrowBalanceError for a target that does not fit the counts
 */
export function prepareBalance(options: BalanceOptions): () => BalanceEngine {
  const checked = checkBalanceOptions(options);
  return () => new BalanceEngine(checked);
}

function makeEngine(options: CheckedBalanceOptions, coder: LabelCoder): SamplingEngine {
  const random = seededRandom(options.seed ?? randomSeed());
  const weights = options.importanceWeight !== undefined;
  const { strategy, target } = options;
  if (options.mode === 'online') {
    if (typeof target === 'object' && !('proportions' in target)) {
      options.warn(withPrefix('mode "online" reads the target\'s class counts as shares (it never knows how many rows a class has), so the output counts will differ; use mode "exact" to get these counts'));
    }
    return plannedEngine(new OnlinePlanner(coder, strategy, onlineShares(target), random, weights));
  }
  if (options.mode === 'reservoir') {
    return new ReservoirSampler({
      coder,
      strategy,
      target,
      random,
      weights,
      warn: options.warn,
      capacity: options.capacity,
      window: options.window,
    });
  }
  const counts = options.counts as ClassCounts;
  const byKey = new Map(counts.entries().map(([value, n]): [string, number] => [classKey(value), n]));
  const quotas = new ExactQuotas(coder, byKey, resolveTargets(counts, strategy, target));
  return plannedEngine(
    strategy === 'under' ? new ExactUnderPlanner(quotas, random, weights) : new ExactOverPlanner(quotas, random, weights),
  );
}
