import type { Strategy } from '../sampling/target-spec.js';
import type { BalancePlan } from './balance-plan.js';

/** One class of a unit: its key, its rows in the unit, the rows it emits, and its importance weight. */
export type UnitClass = readonly [key: string, rows: number, quota: number, importance: number];

/**
 * What one unit needs to be sampled anywhere (a worker thread, another process): its number, place and size,
 * and its classes. Plain data, cheap to post to a worker: only the classes the unit holds.
 */
export interface UnitWork {
  readonly seed: string;
  readonly strategy: Strategy;
  /** The unit's number in its plan (its generator is seeded with it). */
  readonly number: number;
  readonly rowGroup: number;
  readonly rows: number;
  readonly classes: readonly UnitClass[];
}

/** The work of unit `u` of a plan. */
export function unitWork(plan: BalancePlan, u: number): UnitWork {
  const planned = plan.units[u];
  if (planned === undefined) throw new RangeError(`arrow-balance: the plan has no unit ${u}`);
  const classes = planned.counts.map(([c, n], i): UnitClass => {
    const { key, count, target } = plan.classes[c] as BalancePlan['classes'][number];
    return [key, n, planned.quotas[i] as number, target === 0 ? 0 : count / target];
  });
  return { seed: plan.seed, strategy: plan.strategy, number: u, rowGroup: planned.rowGroup, rows: planned.rows, classes };
}
