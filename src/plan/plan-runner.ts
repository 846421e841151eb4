import type { RecordBatch } from 'apache-arrow';
import { ArrowBalanceError } from '../errors.js';
import type { BalancePlan } from './balance-plan.js';
import { UnitSampler, type UnitSamplerOptions } from './unit-sampler.js';
import { unitWork } from './unit-work.js';

/**
 * Runs a plan's units one after another on this thread, over the input's batches in row order.
 *
 * Batches may be cut anywhere: one that straddles units is sliced at the boundary, each unit gets its own
 * {@link UnitSampler}, and a unit is finished (its counts checked) as soon as its last row has passed.
 * The output is what any number of workers running the same units would write, in the same order.
 */
export class PlanRunner {
  private unit = -1;
  private left = 0;
  private sampler: UnitSampler | undefined;

  /**
   * @param plan the plan to run
   * @param options the label column, the null policy and the importance-weight column
   * @param firstUnit the unit whose rows come first (a reader of some units only: a training rank's)
   */
  constructor(private readonly plan: BalancePlan, private readonly options: UnitSamplerOptions, firstUnit = 0) {
    this.unit = firstUnit - 1;
    this.advance();
  }

  /** Samples the next rows of the input; returns the batches to emit, in order. */
  push(batch: RecordBatch): RecordBatch[] {
    const out: RecordBatch[] = [];
    let at = 0;
    while (at < batch.numRows) {
      const sampler = this.sampler;
      if (sampler === undefined) throw new ArrowBalanceError(`the input has more rows than the plan's ${this.plan.units.length} units hold; it changed since planning`);
      const take = Math.min(this.left, batch.numRows - at);
      out.push(...sampler.push(at === 0 && take === batch.numRows ? batch : batch.slice(at, at + take)));
      at += take;
      this.left -= take;
      if (this.left === 0) {
        sampler.finish();
        this.advance();
      }
    }
    return out;
  }

  /**
   * Ends the input.
   * @throws ArrowBalanceError when the input ended before the plan's last unit
   */
  finish(): void {
    if (this.sampler !== undefined) {
      throw new ArrowBalanceError(`the input ended in unit ${this.unit} of the plan's ${this.plan.units.length}; it changed since planning`);
    }
  }

  private advance(): void {
    do this.unit += 1;
    while (this.unit < this.plan.units.length && this.plan.units[this.unit]?.rows === 0);
    const planned = this.plan.units[this.unit];
    this.sampler = planned === undefined ? undefined : new UnitSampler(unitWork(this.plan, this.unit), this.options);
    this.left = planned?.rows ?? 0;
  }
}
