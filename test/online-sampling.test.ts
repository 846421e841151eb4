import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { LabelCoder } from '../src/classes/label-coder.js';
import { seededRandom } from '../src/random.js';
import { prepareBalance } from '../src/sampling/balance-engine.js';
import { OnlinePlanner, onlineShares } from '../src/sampling/online.js';
import type { Strategy, TargetSpec } from '../src/sampling/target-spec.js';

const P = [0.7, 0.2, 0.1];
const ROWS = 50_000;
const TRIALS = 40;

/** i.i.d. labels with class probabilities `p`; labels are strings 'c0', 'c1', ... */
function labelsOf(p: readonly number[], n: number, seed: string): string[] {
  const random = seededRandom(seed);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let u = random();
    let c = 0;
    while (c < p.length - 1 && u >= p[c]!) u -= p[c++]!;
    out[i] = `c${c}`;
  }
  return out;
}

interface Outcome {
  /** Output rows per class. */
  counts: number[];
  /** Sum of importance weights per class. */
  weighted: number[];
  /** Input rows per class. */
  input: number[];
  rows: number[];
}

function sample(labels: string[], strategy: Strategy, target: TargetSpec | undefined, seed: string, chunk = labels.length): Outcome {
  const batch = tableFromArrays({ label: labels }).batches[0]!;
  const coder = new LabelCoder({ label: 'label' });
  const codes = coder.encode(batch);
  const planner = new OnlinePlanner(coder, strategy, onlineShares(target), seededRandom(seed), true);
  const out: Outcome = { counts: [0, 0, 0], weighted: [0, 0, 0], input: [0, 0, 0], rows: [] };
  for (const label of labels) out.input[Number(label.slice(1))]! += 1;
  for (let start = 0; start < codes.length; start += chunk) {
    const { indices, weights } = planner.plan(codes.subarray(start, start + chunk));
    indices.forEach((i, j) => {
      const c = Number(labels[start + i]!.slice(1));
      out.counts[c]! += 1;
      out.weighted[c]! += weights![j]!;
      out.rows.push(start + i);
    });
  }
  planner.finish();
  return out;
}

/** Mean and standard deviation of the mean over trials. */
function meanAndError(values: readonly number[]): { mean: number; error: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, error: Math.sqrt(variance / values.length) };
}

/**
 * Runs TRIALS independent trials (fresh i.i.d. labels, fresh seed) and checks that the mean of `pick`
 * is within 4 standard errors of `expected`; the standard error comes from the spread across trials, which
 * holds both the sampling variance (Bernoulli / Poisson draws) and the variance of the labels themselves.
 */
function expectMean(outcomes: readonly Outcome[], pick: (o: Outcome) => number, expected: number): void {
  const { mean, error } = meanAndError(outcomes.map(pick));
  expect(error).toBeGreaterThan(0);
  expect(Math.abs(mean - expected)).toBeLessThan(4 * error);
}

function trials(strategy: Strategy, target?: TargetSpec, p: readonly number[] = P): Outcome[] {
  return Array.from({ length: TRIALS }, (_, t) => sample(labelsOf(p, ROWS, `labels-${t}`), strategy, target, `draws-${t}`));
}

const total = (o: Outcome): number => o.counts.reduce((a, b) => a + b, 0);

describe('online under-sampling', () => {
  const uniform = trials('under');
  it('outputs n / max_k(f_k / p_k) rows: uniform f over 70/20/10 % gives 0.3 n', () => {
    expectMean(uniform, total, ROWS / Math.max(...P.map((p) => 1 / 3 / p)));
  });
  it('balances the classes: each class gets n * p_min on average', () => {
    for (let c = 0; c < 3; c++) expectMean(uniform, (o) => o.counts[c]!, ROWS * 0.1);
  });
  it('weights rows by 1 / acceptance so weighted class totals estimate the input counts', () => {
    for (let c = 0; c < 3; c++) expectMean(uniform, (o) => o.weighted[c]! - o.input[c]!, 0);
  });
  it('follows proportions: f = 50/30/20 % gives n / 2 rows split 50/30/20', () => {
    const shaped = trials('under', { proportions: { c0: 0.5, c1: 0.3, c2: 0.2 } });
    const size = ROWS / Math.max(0.5 / 0.7, 0.3 / 0.2, 0.2 / 0.1);
    expectMean(shaped, total, size);
    [0.5, 0.3, 0.2].forEach((f, c) => expectMean(shaped, (o) => o.counts[c]!, size * f));
  });
});

describe('online over-sampling', () => {
  const uniform = trials('over');
  it('outputs n * max_k(p_k / f_k) rows: uniform f over 70/20/10 % gives 2.1 n', () => {
    expectMean(uniform, total, ROWS * Math.max(...P.map((p) => p * 3)));
  });
  it('raises every class to the majority count and weights copies by 1 / rate', () => {
    for (let c = 0; c < 3; c++) expectMean(uniform, (o) => o.counts[c]!, ROWS * 0.7);
    for (let c = 0; c < 3; c++) expectMean(uniform, (o) => o.weighted[c]! - o.input[c]!, 0);
  });
});

describe('online hybrid sampling', () => {
  it('keeps n rows on average and moves each class to its share', () => {
    const shaped = trials('hybrid', { proportions: { c0: 0.4, c1: 0.4, c2: 0.2 } });
    expectMean(shaped, total, ROWS);
    [0.4, 0.4, 0.2].forEach((f, c) => expectMean(shaped, (o) => o.counts[c]!, ROWS * f));
  });
});

describe('online sampling: determinism and errors', () => {
  const labels = labelsOf(P, 5000, 'det');
  for (const strategy of ['under', 'over', 'hybrid'] as const) {
    it(`${strategy}: same rows whatever the chunking, other rows for another seed`, () => {
      const whole = sample(labels, strategy, undefined, 's').rows;
      for (const chunk of [1, 7, 1000]) expect(sample(labels, strategy, undefined, 's', chunk).rows).toEqual(whole);
      expect(sample(labels, strategy, undefined, 't').rows).not.toEqual(whole);
    });
  }

  it('warns that class counts are read as shares, once, and not for proportions', () => {
    const batch = tableFromArrays({ y: ['a', 'b', 'a', 'a'] }).batches[0]!;
    for (const [target, expected] of [[{ a: 10, b: 20 }, 1], [{ proportions: { a: 0.5, b: 0.5 } }, 0]] as const) {
      const warnings: string[] = [];
      const engine = prepareBalance({ label: 'y', mode: 'online', target, seed: 1, onWarning: (message) => warnings.push(message) })();
      engine.push(batch);
      engine.finish();
      expect(warnings).toHaveLength(expected);
      for (const warning of warnings) expect(warning).toMatch(/^arrow-balance: mode "online" reads the target's class counts as shares .*use mode "exact" to get these counts$/);
    }
  });

  it('drops a class with share 0 and rejects a class the proportions do not name', () => {
    const out = sample(labels, 'under', { proportions: { c0: 0.5, c1: 0.5, c2: 0 } }, 'z');
    expect(out.counts[2]).toBe(0);
    expect(out.counts[0]! + out.counts[1]!).toBeGreaterThan(0);
    expect(() => sample(labels, 'under', { proportions: { c0: 0.5, c1: 0.5 } }, 'z')).toThrow(
      /^arrow-balance: class "c2" is not in option "target" \(which names c0, c1\)/,
    );
  });

  it('accepts auto, all, proportions and counts; rejects targets that need class counts', () => {
    expect(onlineShares(undefined)).toBeUndefined();
    expect(onlineShares('all')).toBeUndefined();
    expect(onlineShares({ a: 3, b: 1 })).toEqual(new Map([['a', 3], ['b', 1]]));
    expect(() => onlineShares('not minority')).toThrow(/"not minority" needs class counts, which mode "online" never has/);
    expect(() => onlineShares(0.5)).toThrow(/0.5 needs class counts/);
    expect(() => onlineShares({ proportions: { a: 1 }, total: 10 })).toThrow(/total 10 cannot apply to mode "online"/);
  });
});
