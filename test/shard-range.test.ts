import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BalancePlan } from '../src/plan/balance-plan.js';
import { shardCuts, shardRange } from '../src/plan/shard-range.js';

/** A plan of units emitting the given rows (one class), units of 0 rows given as null. */
function planOf(outputs: ReadonlyArray<number | null>): BalancePlan {
  const units = outputs.map((out, u) => (out === null ? { file: 0, rowGroup: u, rows: 0, counts: [], quotas: [] } : { file: 0, rowGroup: u, rows: Math.max(out, 1), counts: [[0, Math.max(out, 1)] as [number, number]], quotas: [out] }));
  const outputRows = outputs.reduce<number>((sum, out) => sum + (out ?? 0), 0);
  return { seed: '1', strategy: 'under', classes: [{ key: 'a', count: outputRows, target: outputRows }], units, outputRows };
}

describe('shardRange', () => {
  it('cuts at the unit boundary nearest to each share of the output', () => {
    const plan = planOf([400, 500, 140, 960, 100]);
    expect(shardRange(plan, 0, 2)).toEqual({ start: 0, end: 3, outputRows: 1040 });
    expect(shardRange(plan, 1, 2)).toEqual({ start: 3, end: 5, outputRows: 1060 });
    expect(shardCuts(plan, 1)).toEqual([0, 5]);
    expect(shardCuts(plan, 5)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives every shard a unit with rows; units without rows go with the shard before', () => {
    expect(shardCuts(planOf([null, 10, null, 0, 0, 10, null]), 2)).toEqual([0, 3, 7]);
    expect(shardCuts(planOf([null, 10, null, 0, 0, 10, null]), 3)).toEqual([0, 3, 4, 7]);
    expect(shardCuts(planOf(Array.from({ length: 12 }, () => 7)), 4)).toEqual([0, 3, 6, 9, 12]);
    expect(shardCuts(planOf([1000, 1, 1, 1]), 4)).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses more shards than units with rows, saying how many fit', () => {
    expect(() => shardCuts(planOf([5, null, 5]), 3)).toThrow(/^arrow-balance: the plan has 2 unit\(s\).*use at most 2 shards/);
  });

  it('covers every unit once, in order, and each shard holds a unit with rows', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 8 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (outputs, wanted) => {
        const plan = planOf(outputs);
        const filled = outputs.filter((out) => out !== null).length;
        fc.pre(filled >= 1);
        const count = Math.min(wanted, filled);
        const ranges = Array.from({ length: count }, (_, i) => shardRange(plan, i, count));
        expect(ranges[0]?.start).toBe(0);
        expect(ranges.at(-1)?.end).toBe(outputs.length);
        ranges.forEach((range, i) => {
          if (i > 0) expect(range.start).toBe(ranges[i - 1]?.end);
          expect(plan.units.slice(range.start, range.end).some((unit) => unit.rows > 0)).toBe(true);
        });
        expect(ranges.reduce((sum, range) => sum + range.outputRows, 0)).toBe(plan.outputRows);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
