import type { RecordBatch } from 'apache-arrow';
import { appendFloatColumn } from '../arrow/append-column.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import { seededRandom } from '../random.js';
import type { SamplingEngine } from '../sampling/engine.js';
import { ExactOverPlanner } from '../sampling/exact-over.js';
import { ExactQuotas } from '../sampling/exact-quotas.js';
import { ExactUnderPlanner } from '../sampling/exact-under.js';
import { plannedEngine } from '../sampling/planned-engine.js';
import type { BalancePlan } from './balance-plan.js';

/** How a plan's rows are read and tagged. */
export interface UnitSamplerOptions {
  readonly label: string;
  readonly nulls: NullPolicy;
  /** Name of an importance-weight column to append (n_c / T_c of the whole input), if any. */
  readonly importanceWeight?: string | undefined;
}

/**
 * Samples the rows of one unit of a plan: its own label coder, its own generator (`<seed>:unit:<number>`),
 * and the exact engines with the unit's counts and quotas. Its output depends only on the plan, the unit's
 * number and its rows, never on how its rows are cut into batches or on what runs the other units.
 */
export class UnitSampler {
  private readonly coder: LabelCoder;
  private readonly engine: SamplingEngine;

  /**
   * @param plan the plan
   * @param unit the unit's number in the plan
   * @param options the label column, the null policy and the importance-weight column
   */
  constructor(plan: BalancePlan, unit: number, private readonly options: UnitSamplerOptions) {
    const planned = plan.units[unit];
    if (planned === undefined) throw new RangeError(`arrow-balance: the plan has no unit ${unit}`);
    this.coder = new LabelCoder({ label: options.label, nulls: options.nulls });
    const counts = new Map<string, number>();
    const quotas = new Map<string, number>();
    planned.counts.forEach(([c, n], i) => {
      const key = plan.classes[c]?.key as string;
      counts.set(key, n);
      quotas.set(key, planned.quotas[i] as number);
    });
    const importance = new Map(plan.classes.map(({ key, count, target }) => [key, target === 0 ? 0 : count / target]));
    const exact = new ExactQuotas(this.coder, counts, quotas, importance);
    const random = seededRandom(`${plan.seed}:unit:${unit}`);
    const weights = options.importanceWeight !== undefined;
    this.engine = plannedEngine(plan.strategy === 'under' ? new ExactUnderPlanner(exact, random, weights) : new ExactOverPlanner(exact, random, weights));
  }

  /** Samples the unit's next rows; returns the batches to emit (empty ones left out). */
  push(batch: RecordBatch): RecordBatch[] {
    const codes = this.coder.encode(batch);
    return this.emit(this.engine.push(batch, codes));
  }

  /**
   * Ends the unit.
   * @throws ArrowBalanceError when its rows differ from the plan's counts (the input changed since planning)
   */
  finish(): void {
    this.engine.finish();
  }

  private emit(parts: ReturnType<SamplingEngine['push']>): RecordBatch[] {
    const column = this.options.importanceWeight;
    const out: RecordBatch[] = [];
    for (const { batch, weights } of parts) {
      if (batch.numRows === 0) continue;
      out.push(column !== undefined && weights !== undefined ? appendFloatColumn(batch, column, weights) : batch);
    }
    return out;
  }
}
