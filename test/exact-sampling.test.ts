import { tableFromArrays } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { LabelCoder } from '../src/classes/label-coder.js';
import { seededRandom } from '../src/random.js';
import { ExactOverPlanner } from '../src/sampling/exact-over.js';
import { ExactQuotas } from '../src/sampling/exact-quotas.js';
import { ExactUnderPlanner } from '../src/sampling/exact-under.js';

/** Labels with `sizes[c]` rows of class c, interleaved by a fixed shuffle. */
function labelsOf(sizes: readonly number[], seed = 'labels'): Int32Array {
  const labels = Int32Array.from(sizes.flatMap((n, c) => new Array<number>(n).fill(c)));
  const random = seededRandom(seed);
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}

function batchOf(labels: Int32Array): RecordBatch {
  const id = Int32Array.from(labels, (_, i) => i);
  return tableFromArrays({ id, label: labels }).batches[0]!;
}

interface Run {
  rows: number[];
  weights: number[];
}

/** Plans `labels` in chunks of `chunk` rows with a fresh planner; returns the chosen rows (global indices). */
function run(
  kind: 'under' | 'over',
  labels: Int32Array,
  targets: Record<string, number>,
  seed: number | string,
  chunk = labels.length,
  codesOverride?: Int32Array,
): Run {
  const coder = new LabelCoder({ label: 'label' });
  const encoded = coder.encode(batchOf(labels));
  const codes = codesOverride ?? encoded;
  const counts = new Map<string, number>();
  for (const c of labels) counts.set(String(c), (counts.get(String(c)) ?? 0) + 1);
  for (let i = 0; i < codes.length; i++) {
    if ((codes[i] ?? 0) < 0) counts.set(String(labels[i]), (counts.get(String(labels[i])) ?? 0) - 1);
  }
  const quotas = new ExactQuotas(coder, counts, new Map(Object.entries(targets)));
  const random = seededRandom(seed);
  const planner = kind === 'under' ? new ExactUnderPlanner(quotas, random, true) : new ExactOverPlanner(quotas, random, true);
  const rows: number[] = [];
  const weights: number[] = [];
  for (let start = 0; start < codes.length; start += chunk) {
    const plan = planner.plan(codes.subarray(start, start + chunk));
    for (const i of plan.indices) rows.push(i + start);
    weights.push(...(plan.weights ?? []));
  }
  planner.finish();
  return { rows, weights };
}

function perClass(labels: Int32Array, rows: readonly number[]): number[] {
  const out = [0, 0, 0, 0];
  for (const i of rows) out[labels[i]!]! += 1;
  return out;
}

/**
 * Per-row inclusion frequencies of a fixed-size sample without replacement (k of n, T trials): each count is
 * Binomial(T, p = k/n), and with the sample size fixed per trial, Pearson's statistic is distributed as
 * (1 - p) * n / (n - 1) * chi-square(n - 1). Returns the statistic rescaled to chi-square(n - 1).
 */
function inclusionChiSquare(hits: readonly number[], k: number, trials: number): number {
  const n = hits.length;
  const p = k / n;
  const expected = trials * p;
  const pearson = hits.reduce((sum, h) => sum + (h - expected) ** 2 / expected, 0);
  return pearson / ((1 - p) * (n / (n - 1)));
}

const CHI2_999_DF19 = 43.82;
const CHI2_999_DF9 = 27.877;

describe('exact under-sampling (selection sampling)', () => {
  const labels = labelsOf([60, 30, 10]);

  it('keeps exactly k_c rows per targeted class, in input order, and every row of untargeted classes', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { rows } = run('under', labels, { '0': 10, '1': 10 }, seed);
      expect(perClass(labels, rows)).toEqual([10, 10, 10, 0]);
      for (let j = 1; j < rows.length; j++) expect(rows[j]!).toBeGreaterThan(rows[j - 1]!);
      const untouched = [...labels.keys()].filter((i) => labels[i] === 2);
      expect(rows.filter((i) => labels[i] === 2)).toEqual(untouched);
    }
  });

  it('includes each row with probability k/n (2000 trials, chi-square at the 0.1% level)', () => {
    const small = labelsOf([20, 5]);
    const hits = new Map<number, number>();
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      for (const i of run('under', small, { '0': 5 }, `trial-${t}`).rows) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    const ofClass0 = [...small.keys()].filter((i) => small[i] === 0).map((i) => hits.get(i) ?? 0);
    expect(ofClass0).toHaveLength(20);
    expect(inclusionChiSquare(ofClass0, 5, trials)).toBeLessThan(CHI2_999_DF19);
  });

  it('gives the same rows whatever the chunking, and other rows for another seed', () => {
    const big = labelsOf([700, 250, 50]);
    const whole = run('under', big, { '0': 50, '1': 50 }, 'd').rows;
    for (const chunk of [1, 7, 1000]) expect(run('under', big, { '0': 50, '1': 50 }, 'd', chunk).rows).toEqual(whole);
    expect(run('under', big, { '0': 50, '1': 50 }, 'e').rows).not.toEqual(whole);
  });

  it('weights each kept row n_c / k_c so weighted class totals equal the counts', () => {
    const { rows, weights } = run('under', labels, { '0': 10, '1': 10 }, 3);
    const totals = [0, 0, 0];
    rows.forEach((i, j) => (totals[labels[i]!]! += weights[j]!));
    expect(totals.map((t) => Math.round(t * 1e9) / 1e9)).toEqual([60, 30, 10]);
    rows.forEach((i, j) => expect(weights[j]).toBe([6, 3, 1][labels[i]!]));
  });

  it('never emits dropped rows (code -1) and does not count them', () => {
    const coder = new LabelCoder({ label: 'label' });
    const codes = coder.encode(batchOf(labels)).slice();
    for (let i = 0; i < codes.length; i += 3) codes[i] = -1;
    const { rows } = run('under', labels, { '0': 5 }, 9, 13, codes);
    for (const i of rows) expect(i % 3).not.toBe(0);
    expect(perClass(labels, rows)[0]).toBe(5);
  });

  it('errors when a class has more rows than counted, and at the end when it has fewer', () => {
    const coder = new LabelCoder({ label: 'label' });
    const codes = coder.encode(batchOf(labels));
    const tooFew = new ExactQuotas(coder, new Map([['0', 59], ['1', 30], ['2', 10]]), new Map([['0', 10]]));
    expect(() => new ExactUnderPlanner(tooFew, seededRandom(1), false).plan(codes)).toThrow(
      /^arrow-balance: class 0 has more rows than the 59 given in "counts"/,
    );
    const tooMany = new ExactQuotas(coder, new Map([['0', 61], ['1', 30], ['2', 10], ['7', 4]]), new Map([['0', 10]]));
    const planner = new ExactUnderPlanner(tooMany, seededRandom(1), false);
    planner.plan(codes);
    expect(() => planner.finish()).toThrow(/class "0" had 60 rows in the input but "counts" said 61/);
    const missing = new ExactQuotas(coder, new Map([['0', 60], ['1', 30]]), new Map([['0', 10]]));
    expect(() => new ExactUnderPlanner(missing, seededRandom(1), false).plan(codes)).toThrow(/class 2 is not in "counts"/);
  });
});

describe('exact over-sampling (copies plus selection sampling)', () => {
  const labels = labelsOf([50, 10, 3]);

  it('emits exactly T_c rows, each row floor(T/n) or one more times, copies adjacent', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { rows } = run('over', labels, { '1': 34, '2': 50 }, seed);
      expect(perClass(labels, rows)).toEqual([50, 34, 50, 0]);
      const times = new Map<number, number>();
      for (let j = 0; j < rows.length; j++) {
        times.set(rows[j]!, (times.get(rows[j]!) ?? 0) + 1);
        if (j > 0) expect(rows[j]!).toBeGreaterThanOrEqual(rows[j - 1]!);
      }
      for (let i = 0; i < labels.length; i++) {
        const seen = times.get(i) ?? 0;
        if (labels[i] === 0) expect(seen).toBe(1);
        if (labels[i] === 1) expect([3, 4]).toContain(seen);
        if (labels[i] === 2) expect([16, 17]).toContain(seen);
      }
      expect([...times].filter(([i, k]) => labels[i] === 1 && k === 4)).toHaveLength(4);
    }
  });

  it('picks the rows that get an extra copy uniformly (2000 trials, chi-square at the 0.1% level)', () => {
    const hits = new Map<number, number>();
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const times = new Map<number, number>();
      for (const i of run('over', labels, { '1': 34 }, `over-${t}`).rows) times.set(i, (times.get(i) ?? 0) + 1);
      for (const [i, k] of times) if (k === 4) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    const ofClass1 = [...labels.keys()].filter((i) => labels[i] === 1).map((i) => hits.get(i) ?? 0);
    expect(inclusionChiSquare(ofClass1, 4, trials)).toBeLessThan(CHI2_999_DF9);
  });

  it('serves hybrid targets: classes above the target are cut, below raised, untargeted pass', () => {
    const { rows, weights } = run('over', labels, { '0': 20, '2': 7 }, 5);
    expect(perClass(labels, rows)).toEqual([20, 10, 7, 0]);
    const totals = [0, 0, 0];
    rows.forEach((i, j) => (totals[labels[i]!]! += weights[j]!));
    expect(totals.map((t) => Math.round(t * 1e9) / 1e9)).toEqual([50, 10, 3]);
  });

  it('gives the same rows whatever the chunking', () => {
    const whole = run('over', labels, { '1': 34, '2': 50 }, 'same').rows;
    for (const chunk of [1, 7, 1000]) expect(run('over', labels, { '1': 34, '2': 50 }, 'same', chunk).rows).toEqual(whole);
  });
});
