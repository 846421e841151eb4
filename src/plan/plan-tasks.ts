import type { BalancePlan } from './balance-plan.js';

/** Consecutive units of one input file that one worker samples and encodes together, into one part. */
export interface PlanTask {
  /** The input file. */
  readonly file: number;
  /** The units, in order. */
  readonly units: readonly number[];
  /** Output rows the task's units emit. */
  readonly outputRows: number;
  /**
   * Column slices the task is run as (see `column-slices.ts`): 1, or more for a task of one large row group,
   * each slice a request of its own whose parts are joined column by column.
   */
  readonly slices: number;
}

/** Consecutive units of a plan, `start` included, `end` excluded. */
export interface UnitRange {
  readonly start: number;
  readonly end: number;
}

/** How tasks are cut. */
export interface TaskLimits {
  /** A task ends once its output reaches this many rows (an output row group's worth). */
  readonly outputRows: number;
  /** ... or once its input reaches this many rows (what a worker decodes for one part). */
  readonly inputRows: number;
}

/**
 * Groups a plan's units into tasks: runs of units of one file, cut once their output fills a row group or
 * their input reaches a bound. Under-sampling emits few rows per unit, so grouping keeps output row groups
 * from being tiny. The grouping depends only on the plan and the limits, never on the number of workers:
 * each task's part, and so the whole file, is the same bytes however many workers run the tasks.
 * A unit cut into column slices is a task of its own.
 * @param plan the plan
 * @param limits where to cut
 * @param slices column slices of each unit (see `column-slices.ts`); 1 for every unit when not given
 * @param range the units to run, `[start, end)` (a shard's); all when not given
 * @returns the tasks in output order (units with no rows are left out)
 */
export function planTasks(plan: BalancePlan, limits: TaskLimits, slices: readonly number[] = [], range?: UnitRange): PlanTask[] {
  const start = range?.start ?? 0;
  const end = range?.end ?? plan.units.length;
  const tasks: PlanTask[] = [];
  let units: number[] = [];
  let file = -1;
  let input = 0;
  let output = 0;
  const close = (): void => {
    if (units.length > 0) tasks.push({ file, units, outputRows: output, slices: slices[units[0] as number] ?? 1 });
    units = [];
    input = 0;
    output = 0;
  };
  plan.units.forEach((unit, u) => {
    if (unit.rows === 0 || u < start || u >= end) return;
    const sliced = (slices[u] ?? 1) > 1;
    if (unit.file !== file || sliced) {
      close();
      file = unit.file;
    }
    units.push(u);
    if (sliced) {
      output = unit.quotas.reduce((sum, q) => sum + q, 0);
      close();
      return;
    }
    input += unit.rows;
    output += unit.quotas.reduce((sum, q) => sum + q, 0);
    if (output >= limits.outputRows || input >= limits.inputRows) close();
  });
  close();
  return tasks;
}
