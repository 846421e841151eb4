import type { RecordBatch } from 'apache-arrow';
import { appendFloatColumn } from '../arrow/append-column.js';
import { LabelCoder, type NullPolicy } from '../classes/label-coder.js';
import { seededRandom } from '../random.js';
import type { SamplingEngine } from '../sampling/engine.js';
import { ExactOverPlanner } from '../sampling/exact-over.js';
import { ExactQuotas } from '../sampling/exact-quotas.js';
import { ExactUnderPlanner } from '../sampling/exact-under.js';
import { plannedEngine } from '../sampling/planned-engine.js';
import type { UnitWork } from './unit-work.js';

/** How a plan's rows are read and tagged. */
export interface UnitSamplerOptions {
  readonly label: string;
  readonly nulls: NullPolicy;
  /** Name of an importance-weight column to append (n_c / T_c of the whole input), if any. */
  readonly importanceWeight?: string | undefined;
  /** The job's class limit (a unit holds at most the plan's classes). */
  readonly maxClasses?: number | undefined;
}

/**
 * Samples the rows of one unit of a plan: its own label coder, its own generator (`<seed>:unit:<number>`),
 * and the exact engines with the unit's counts and quotas (importance weights those of the whole input). Its output depends only on the plan, the unit's
 * number and its rows, never on how its rows are cut into batches or on what runs the other units.
 */
export class UnitSampler {
  /** The unit's label coder: codes it gave stay valid for the unit. */
  readonly coder: LabelCoder;
  private readonly engine: SamplingEngine;

  /**
   * @param work the unit (see {@link unitWork})
   * @param options the label column, the null policy and the importance-weight column
   */
  constructor(work: UnitWork, private readonly options: UnitSamplerOptions) {
    this.coder = new LabelCoder({ label: options.label, nulls: options.nulls, maxClasses: options.maxClasses });
    const counts = new Map(work.classes.map(([key, rows]) => [key, rows]));
    const quotas = new Map(work.classes.map(([key, , quota]) => [key, quota]));
    const importance = new Map(work.classes.map(([key, , , weight]) => [key, weight]));
    const exact = new ExactQuotas(this.coder, counts, quotas, importance);
    const random = seededRandom(`${work.seed}:unit:${work.number}`);
    const weights = options.importanceWeight !== undefined;
    this.engine = plannedEngine(work.strategy === 'under' ? new ExactUnderPlanner(exact, random, weights) : new ExactOverPlanner(exact, random, weights));
  }

  /**
   * Samples the unit's next rows; returns the batches to emit (empty ones left out).
   * @param batch the rows
   * @param codes their labels' codes, when coded already by {@link coder}
   */
  push(batch: RecordBatch, codes: Int32Array = this.coder.encode(batch)): RecordBatch[] {
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
