/**
 * One balanced epoch of a training feed, planned over row-group units (exact mode), and the part of it one
 * rank of a data-parallel job reads.
 */
import type { NullPolicy } from '../classes/label-coder.js';
import { ArrowBalanceError } from '../errors.js';
import { countUnits } from '../jobs/count-units.js';
import type { ParquetEngine } from '../parquet/engine.js';
import type { ParquetSource } from '../parquet/sources.js';
import { planBalance, type BalancePlan } from '../plan/balance-plan.js';
import { prepareBalance } from '../sampling/balance-engine.js';
import { validateTargetSpec, type Strategy, type TargetSpec } from '../sampling/target-spec.js';
import { resolveTargets } from '../sampling/targets.js';

/** The `balance` option of `trainingBatches`: what `balance()` takes for exact mode. */
export interface EpochBalance {
  /** `'under'` (default), `'over'` or `'hybrid'`. */
  readonly strategy?: Strategy | undefined;
  /** Rows per class, as `balance()` takes it (default `'auto'`). */
  readonly target?: TargetSpec | undefined;
  /** The seed of every epoch: epoch e draws its rows from (seed, e). */
  readonly seed: number | string;
}

/** The `shard` option of `trainingBatches`: this rank's index and the number of ranks. */
export interface EpochShard {
  readonly index: number;
  readonly count: number;
}

/** A run of a rank's rows: the output rows `[skip, skip + take)` of units `first` to `last` (inclusive). */
export interface EpochPiece {
  readonly first: number;
  readonly last: number;
  readonly skip: number;
  readonly take: number;
}

/**
 * The seed of an epoch's plan: the seed itself for epoch 0 (the rows `balanceParquet` writes for that seed),
 * and `<seed>:epoch:<e>` after.
 */
export function epochSeed(seed: number | string, epoch: number): string {
  return epoch === 0 ? String(seed) : `${String(seed)}:epoch:${epoch}`;
}

/**
 * Checks the options of a balanced feed before anything is read.
 * @throws TypeError or RangeError naming the bad option
 */
export function checkEpochOptions(balance: EpochBalance, shard: EpochShard | undefined, epoch: number): void {
  if (typeof balance !== 'object' || balance === null) throw new TypeError('arrow-balance: option "balance" must be an object such as { strategy: "under", seed: 1 }');
  if (typeof balance.seed !== 'number' && typeof balance.seed !== 'string') {
    throw new TypeError('arrow-balance: option "balance.seed" is required (a number or a string): every rank must draw the same epoch');
  }
  validateTargetSpec(balance.target ?? 'auto', balance.strategy ?? 'under');
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`arrow-balance: option "epoch" must be a whole number, got ${String(epoch)}`);
  if (shard === undefined) return;
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`arrow-balance: option "shard.count" must be a positive integer, got ${String(count)}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw new RangeError(`arrow-balance: option "shard.index" must be an integer from 0 to ${count - 1}, got ${String(index)}`);
}

/**
 * Plans one balanced epoch: a count pass over the label column, then the exact quotas of every unit.
 * @throws ArrowBalanceError for bad input or a target the counts cannot meet
 */
export async function planEpoch(
  source: ParquetSource,
  options: { readonly label: string; readonly nulls: NullPolicy; readonly maxClasses: number; readonly engine: ParquetEngine | undefined; readonly balance: EpochBalance; readonly epoch: number },
): Promise<BalancePlan> {
  const strategy = options.balance.strategy ?? 'under';
  const units = await countUnits(source, { label: options.label, nulls: options.nulls, maxClasses: options.maxClasses, engine: options.engine }, {});
  if (units.places === undefined || units.unitRows === undefined) throw new ArrowBalanceError('a balanced training feed reads Parquet row groups; this input has none');
  // Checks the target against the counts, with the messages of balance().
  prepareBalance({ label: options.label, strategy, mode: 'exact', target: options.balance.target, counts: units.counts, nulls: options.nulls, seed: options.balance.seed });
  const targets = resolveTargets(units.counts, strategy, options.balance.target);
  return planBalance(units.places, units.unitRows, (code) => units.coder.value(code), units.counts, targets, strategy, epochSeed(options.balance.seed, options.epoch));
}

/**
 * The rows one rank reads of an epoch of `plan.outputRows` rows, as PyTorch's `DistributedSampler` cuts them:
 * every rank gets the same number of rows, a contiguous run of the epoch (rank order is row order). Without
 * `dropRemainder`, each gets `ceil(N / count)` rows and the last ranks wrap around to the epoch's first rows
 * (the sampler's padding); with it, each gets `floor(N / count)` and the last `N mod count` rows are left out.
 * @returns the runs of units to read, in order (two when the run wraps around)
 */
export function rankPieces(plan: BalancePlan, shard: EpochShard, dropRemainder: boolean): EpochPiece[] {
  const total = plan.outputRows;
  const each = dropRemainder ? Math.floor(total / shard.count) : Math.ceil(total / shard.count);
  if (each === 0) return [];
  const pieces: EpochPiece[] = [];
  let start = (shard.index * each) % total;
  let left = each;
  while (left > 0) {
    const take = Math.min(left, total - start);
    pieces.push(unitsOf(plan, start, take));
    left -= take;
    start = 0;
  }
  return pieces;
}

/** The units whose output holds the epoch's rows `[start, start + take)`. */
function unitsOf(plan: BalancePlan, start: number, take: number): EpochPiece {
  let first = -1;
  let last = -1;
  let skip = 0;
  let at = 0;
  plan.units.forEach((unit, u) => {
    const rows = unit.quotas.reduce((sum, quota) => sum + quota, 0);
    if (rows > 0 && at + rows > start && at < start + take) {
      if (first < 0) {
        first = u;
        skip = start - at;
      }
      last = u;
    }
    at += rows;
  });
  return { first, last, skip, take };
}
