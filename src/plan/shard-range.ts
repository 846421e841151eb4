import { ArrowBalanceError } from '../errors.js';
import type { BalancePlan } from './balance-plan.js';
import type { UnitRange } from './plan-tasks.js';

/** A shard's share of a plan: consecutive units, and the rows they emit. */
export interface ShardRange extends UnitRange {
  /** Output rows of the shard's units. */
  readonly outputRows: number;
}

/**
 * The units of shard `index` of `count`: a contiguous range, cut so that shards carry about equal output
 * rows. Each cut falls on the unit boundary nearest to `i / count` of the output (the first such, on a tie),
 * and every shard holds at least one unit with rows (so every part has the output's schema). Units without
 * rows go with the shard before them. A pure function of the plan and `count`: every shard computes the
 * same cuts on its own.
 *
 * ## Example
 * ```ts
 * shardRange(plan, 0, 2); // { start: 0, end: 3, outputRows: 1040 } for units emitting 400, 500, 140, 960, 100
 * ```
 * @param plan the plan
 * @param index the shard, from 0
 * @param count shards in all, at most the plan's units with rows
 * @throws ArrowBalanceError when the plan has fewer units with rows than `count`
 */
export function shardRange(plan: BalancePlan, index: number, count: number): ShardRange {
  const cuts = shardCuts(plan, count);
  const start = cuts[index];
  const end = cuts[index + 1];
  if (start === undefined || end === undefined) throw new RangeError(`arrow-balance: shard ${index} of ${count} does not exist`);
  let outputRows = 0;
  for (let u = start; u < end; u++) outputRows += unitOutput(plan, u);
  return { start, end, outputRows };
}

/**
 * Where the shards of a plan start: `count + 1` unit numbers, from 0 to the number of units.
 * @throws ArrowBalanceError when the plan has fewer units with rows than `count`
 */
export function shardCuts(plan: BalancePlan, count: number): number[] {
  const filled = plan.units.flatMap((unit, u) => (unit.rows > 0 ? [u] : []));
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`arrow-balance: a plan is cut into 1 or more shards, not ${count}`);
  if (count > filled.length) {
    throw new ArrowBalanceError(`the plan has ${filled.length} unit(s) (row groups with rows), too few for ${count} shards; use at most ${filled.length} shards, or input with more row groups`);
  }
  // Output rows before each filled unit, and in all.
  const before: number[] = [];
  let total = 0;
  for (const u of filled) {
    before.push(total);
    total += unitOutput(plan, u);
  }
  // positions[i]: the first filled unit of shard i, within `filled`.
  const positions = [0];
  let at = 0;
  for (let i = 1; i < count; i++) {
    const ideal = (i * total) / count;
    at = Math.max(at, (positions[i - 1] as number) + 1);
    while (at + 1 < filled.length && Math.abs((before[at + 1] as number) - ideal) < Math.abs((before[at] as number) - ideal)) at += 1;
    positions.push(Math.min(at, filled.length - (count - i)));
    at = positions[i] as number;
  }
  return [0, ...positions.slice(1).map((p) => filled[p] as number), plan.units.length];
}

function unitOutput(plan: BalancePlan, u: number): number {
  return plan.units[u]?.quotas.reduce((sum, q) => sum + q, 0) ?? 0;
}
