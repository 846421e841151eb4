import { tableFromArrays, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ClassTally } from '../src/classes/class-tally.js';
import { LabelCoder } from '../src/classes/label-coder.js';
import { planBalance, type BalancePlan, type UnitPlace } from '../src/plan/balance-plan.js';
import { PlanRunner } from '../src/plan/plan-runner.js';
import { UnitTally } from '../src/plan/unit-tally.js';
import { seededRandom } from '../src/random.js';
import type { Strategy, TargetSpec } from '../src/sampling/target-spec.js';
import { resolveTargets } from '../src/sampling/targets.js';

/** Upper 0.1% points of chi-square, by degrees of freedom (NIST/SEMATECH e-Handbook 1.3.6.7.4). */
const CHI2_999: Record<number, number> = { 29: 58.301, 59: 98.324, 119: 168.3 };

/** Labels with `sizes[c]` rows of class c, interleaved by a fixed shuffle, and a row id column. */
function inputOf(sizes: readonly number[]): RecordBatch {
  const labels = Int32Array.from(sizes.flatMap((n, c) => new Array<number>(n).fill(c)));
  const random = seededRandom('plan-labels');
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j] as number, labels[i] as number];
  }
  return tableFromArrays({ id: Int32Array.from(labels, (_, i) => i), label: labels }).batches[0] as RecordBatch;
}

/** The plan for `input` cut into units of the given sizes (as the count pass of a file with such row groups). */
function planOf(input: RecordBatch, unitSizes: readonly number[], strategy: Strategy, target: TargetSpec | undefined, seed: number | string): BalancePlan {
  const coder = new LabelCoder({ label: 'label' });
  const codes = coder.encode(input);
  const tally = new ClassTally();
  tally.add(codes);
  const units = new UnitTally(unitSizes);
  units.add(codes);
  const counts = tally.snapshot(coder);
  const places: UnitPlace[] = unitSizes.map((rows, rowGroup) => ({ file: 0, rowGroup, rows }));
  return planBalance(places, units.finish(), (code) => coder.value(code), counts, resolveTargets(counts, strategy, target), strategy, seed);
}

/** Runs a plan over the input cut into batches of `batchRows`; returns the output's row ids and importance weights. */
function runPlan(plan: BalancePlan, input: RecordBatch, batchRows: number): { ids: number[]; weights: number[] } {
  const runner = new PlanRunner(plan, { label: 'label', nulls: 'error', importanceWeight: 'w' });
  const ids: number[] = [];
  const weights: number[] = [];
  for (let at = 0; at < input.numRows; at += batchRows) {
    for (const batch of runner.push(input.slice(at, Math.min(input.numRows, at + batchRows)))) {
      ids.push(...(batch.getChild('id')?.toArray() as Int32Array));
      weights.push(...(batch.getChild('w')?.toArray() as Float32Array));
    }
  }
  runner.finish();
  return { ids, weights };
}

function classCounts(input: RecordBatch, ids: readonly number[]): number[] {
  const labels = input.getChild('label')?.toArray() as Int32Array;
  const out = [0, 0, 0];
  for (const id of ids) out[labels[id] as number]! += 1;
  return out;
}

const sizes = [600, 120, 30];
const units = [100, 250, 0, 64, 36, 300];
const input = inputOf(sizes);

describe('a plan of units', () => {
  it('samples exactly the targets, under, over and hybrid, with importance weights n / target', () => {
    const cases: Array<[Strategy, TargetSpec | undefined, number[]]> = [
      ['under', undefined, [30, 30, 30]],
      ['over', undefined, [600, 600, 600]],
      ['hybrid', { 0: 200, 1: 200, 2: 200 }, [200, 200, 200]],
      ['over', { 0: 600, 1: 500, 2: 95 }, [600, 500, 95]],
    ];
    for (const [strategy, target, expected] of cases) {
      const plan = planOf(input, units, strategy, target, 11);
      expect(plan.outputRows).toBe(expected.reduce((a, b) => a + b, 0));
      const { ids, weights } = runPlan(plan, input, 77);
      expect(classCounts(input, ids)).toEqual(expected);
      const labels = input.getChild('label')?.toArray() as Int32Array;
      ids.forEach((id, i) => expect(weights[i]).toBeCloseTo((sizes[labels[id] as number] as number) / (expected[labels[id] as number] as number), 6));
    }
  });

  it('gives the same rows for the same seed whatever the batch cuts, and other rows for another seed', () => {
    const plan = planOf(input, units, 'over', { 0: 600, 1: 500, 2: 95 }, 'same');
    const whole = runPlan(plan, input, input.numRows).ids;
    for (const batchRows of [1, 7, 64, 299]) expect(runPlan(plan, input, batchRows).ids).toEqual(whole);
    expect(runPlan(planOf(input, units, 'over', { 0: 600, 1: 500, 2: 95 }, 'other'), input, 100).ids).not.toEqual(whole);
  });

  it('keeps input order and every row at least floor(target / n) times when oversampling', () => {
    const { ids } = runPlan(planOf(input, units, 'over', { 0: 600, 1: 500, 2: 95 }, 5), input, 50);
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThanOrEqual(ids[i - 1] as number);
    const times = new Map<number, number>();
    for (const id of ids) times.set(id, (times.get(id) ?? 0) + 1);
    const labels = input.getChild('label')?.toArray() as Int32Array;
    const floor = [1, 4, 3];
    for (let id = 0; id < input.numRows; id++) {
      const c = labels[id] as number;
      expect(times.get(id) ?? 0).toBeGreaterThanOrEqual(floor[c] as number);
      expect(times.get(id) ?? 0).toBeLessThanOrEqual((floor[c] as number) + 1);
    }
  });

  it('includes every row of a class equally often over 3,000 seeds (chi-square at 0.1%), across units of unequal sizes', () => {
    // Under-sampling class 0 (600 rows) to 30 and class 1 (120 rows) to 30; class 2 (30 rows) is the minority.
    const trials = 3_000;
    const labels = input.getChild('label')?.toArray() as Int32Array;
    const hits = new Float64Array(input.numRows);
    for (let s = 0; s < trials; s++) for (const id of runPlan(planOf(input, units, 'under', undefined, `u${s}`), input, 128).ids) hits[id]! += 1;
    for (const [c, n, k] of [[0, 600, 30], [1, 120, 30]] as const) {
      // Pool rows into 60 (class 0) or 30 (class 1) cells of equal size, so each cell expects trials * k / cells.
      const cells = c === 0 ? 60 : 30;
      const pooled = new Float64Array(cells);
      let r = 0;
      for (let id = 0; id < input.numRows; id++) if (labels[id] === c) pooled[Math.floor((r++ * cells) / n)]! += hits[id] as number;
      const expected = (trials * k) / cells;
      // Each cell is a sum of n / cells Bernoulli(k / n) inclusions per trial; with k fixed per trial the
      // Pearson statistic is (1 - k / n) n / (n - 1) times chi-square(cells - 1) (sampling without replacement).
      const pearson = [...pooled].reduce((sum, h) => sum + (h - expected) ** 2 / expected, 0);
      const scaled = pearson / ((1 - k / n) * (n / (n - 1)));
      expect(scaled).toBeLessThan(CHI2_999[cells - 1] as number);
    }
  });

  it('refuses input that does not match its counts (the input changed since planning)', () => {
    const plan = planOf(input, units, 'under', undefined, 1);
    const runner = new PlanRunner(plan, { label: 'label', nulls: 'error' });
    expect(() => runner.push(inputOf([700, 20, 30]))).toThrow(/arrow-balance: class/);
    const short = new PlanRunner(plan, { label: 'label', nulls: 'error' });
    short.push(input.slice(0, 400));
    expect(() => short.finish()).toThrow(/the input ended in unit 3 of the plan's 6; it changed since planning/);
  });
});
