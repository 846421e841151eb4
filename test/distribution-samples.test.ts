import { makeData, RecordBatch, Schema, Struct, Field, Float64, Int32, type Data } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../src/random.js';
import { ClassSamples } from '../src/report/class-samples.js';
import { kolmogorovSurvival, ksDistance, ksPValue, ksSamplingError } from '../src/report/kolmogorov-smirnov.js';
import { rowPriority, seedHash } from '../src/report/row-priority.js';
import { SampleTap, sampleRate } from '../src/report/sample-tap.js';

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();

describe('Kolmogorov-Smirnov', () => {
  it('measures the largest gap between two empirical distribution functions', () => {
    expect(ksDistance(sorted([1, 2, 3]), sorted([1, 2, 3]))).toBe(0);
    expect(ksDistance(sorted([1, 2, 3]), sorted([4, 5]))).toBe(1);
    // F_a(2) = 2/4, F_b(2) = 0: the gap is 0.5 (ties step both functions at once).
    expect(ksDistance(sorted([1, 2, 3, 4]), sorted([3, 4, 5, 6]))).toBe(0.5);
    expect(ksDistance(sorted([1, 1, 1, 2]), sorted([1, 2, 2, 2]))).toBe(0.5);
    expect(ksDistance(new Float64Array(0), sorted([1]))).toBe(0);
  });

  it("gives Kolmogorov's distribution at its known quantiles", () => {
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 3);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 3);
    expect(kolmogorovSurvival(1.9495)).toBeCloseTo(0.001, 4);
    expect(kolmogorovSurvival(0.1)).toBe(1);
    expect(ksPValue(0, 100, 100)).toBe(1);
  });

  it('holds its level: distances between samples of one distribution exceed the 1 % quantile about 1 % of the time', () => {
    // 2,000 pairs of samples of 200 and 300 uniforms: exceedances are binomial(2000, p) with p <= 0.01
    // (the asymptotic test is slightly conservative for discrete steps); 3 standard deviations above 20 is 33.
    const random = seededRandom('ks-level');
    let below = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const a = sorted(Array.from({ length: 200 }, () => random()));
      const b = sorted(Array.from({ length: 300 }, () => random()));
      if (ksPValue(ksDistance(a, b), 200, 300) < 0.01) below++;
    }
    expect(below).toBeLessThanOrEqual(33);
    expect(below).toBeGreaterThanOrEqual(8);
  });

  it('bounds the error of sampling, and none for whole sets', () => {
    expect(ksSamplingError(Infinity, Infinity)).toBe(0);
    expect(ksSamplingError(4096, Infinity)).toBeCloseTo(Math.sqrt(Math.log(80) / 8192), 10);
  });
});

describe('row priorities', () => {
  it('are uniform on [0, 1) and differ by seed', () => {
    const seed = seedHash('7:input');
    const bins = new Array<number>(20).fill(0);
    for (let row = 0; row < 100_000; row++) bins[Math.floor(rowPriority(seed, row) * 20)]! += 1;
    // Chi-square with 19 degrees of freedom: its 0.1 % upper quantile is 43.8.
    const chi = bins.reduce((sum, n) => sum + (n - 5000) ** 2 / 5000, 0);
    expect(chi).toBeLessThan(43.8);
    expect(rowPriority(seed, 12)).not.toBe(rowPriority(seedHash('8:input'), 12));
    expect(rowPriority(seed, 2 ** 40 + 12)).not.toBe(rowPriority(seed, 12));
  });
});

/** A batch of a label (0, 1 or 2) and a value column, rows [first, first + n). */
function batchOf(first: number, n: number): RecordBatch {
  const labels = Int32Array.from({ length: n }, (_, i) => ((first + i) % 7 === 0 ? 1 : (first + i) % 11 === 0 ? 2 : 0));
  const values = Float64Array.from({ length: n }, (_, i) => first + i);
  const fields = [new Field('label', new Int32(), false), new Field('x', new Float64(), false)];
  const children: Data[] = [makeData({ type: new Int32(), length: n, data: labels }), makeData({ type: new Float64(), length: n, data: values })];
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
}

/** A sample's rows by class, each as [row, priority, values...], in (priority, row) order. */
function sampledRows(samples: ClassSamples): Array<[string, number, number[][]]> {
  const data = samples.toData();
  return data.classes
    .map(({ key, seen, rows, priorities, values }): [string, number, number[][]] => [
      key,
      seen,
      Array.from(rows, (row, r) => [row, priorities[r] as number, ...values.map((column) => column[r] as number)]).sort((a, b) => (a[1] as number) - (b[1] as number) || (a[0] as number) - (b[0] as number)),
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

const settings = { seed: '5', side: 'input' as const, label: 'label', nulls: 'error' as const, columns: ['x'], size: 100 };

describe('class samples', () => {
  it('keep the same rows however the rows are cut into batches and spread over taps', () => {
    const whole = new SampleTap(settings);
    whole.push(batchOf(0, 20_000), 0);
    // Appended in bulk (parts of whole units) or joined row by row (column slices): the same rows.
    for (const joins of [false, true]) {
      const merged = new ClassSamples(100);
      for (const [first, n] of [[0, 3_000], [3_000, 9_000], [12_000, 8_000]] as const) {
        const part = new SampleTap(settings);
        for (let at = first; at < first + n; at += 700) part.push(batchOf(at, Math.min(700, first + n - at)), at);
        merged.merge(part.samples.toData(), true, joins);
      }
      expect(sampledRows(merged)).toEqual(sampledRows(whole.samples));
      for (const key of ['0', '1', '2']) {
        expect(merged.values(key, 'x').rows).toBe(100);
        expect(merged.seen(key)).toBe(whole.samples.seen(key));
      }
    }
  });

  it('join the columns of one row recorded apart (column slices)', () => {
    const one = new ClassSamples(10);
    const other = new ClassSamples(10);
    one.record('a', 3, 0.25, 'x', 1.5);
    other.record('a', 3, 0.25, 'y', null);
    one.merge(other.toData(), false);
    expect(one.toData()).toEqual({
      size: 10,
      columns: ['x', 'y'],
      classes: [{ key: 'a', seen: 0, rows: Float64Array.of(3), priorities: Float64Array.of(0.25), values: [Float64Array.of(1.5), Float64Array.of(Number.NaN)], recorded: [Uint8Array.of(1), Uint8Array.of(1)] }],
    });
    expect(one.values('a', 'x')).toEqual({ values: Float64Array.of(1.5), rows: 1, nulls: 0 });
    expect(one.values('a', 'y')).toEqual({ values: new Float64Array(0), rows: 1, nulls: 1 });
  });

  it('are uniform: every row of a class is sampled equally often over seeds', () => {
    // 400 seeds, 100 of class 0's rows each. Chi-square over 10 blocks of 100 rows, each expected in proportion
    // to its class-0 rows; 9 degrees of freedom: 0.1 % upper quantile 27.9.
    const batch = batchOf(0, 1_000);
    const labels = batch.getChild('label')?.toArray() as Int32Array;
    const inBlock = new Array<number>(10).fill(0);
    labels.forEach((label, row) => {
      if (label === 0) inBlock[Math.floor(row / 100)]! += 1;
    });
    const classRows = inBlock.reduce((a, b) => a + b, 0);
    const sampled = new Array<number>(10).fill(0);
    for (let seed = 0; seed < 400; seed++) {
      const tap = new SampleTap({ ...settings, seed: `u${seed}` });
      tap.push(batch, 0);
      const rows = tap.samples.toData().classes.find(({ key }) => key === '0')?.rows ?? [];
      expect(rows.length).toBe(100);
      for (const row of rows) sampled[Math.floor(row / 100)]! += 1;
    }
    const chi = sampled.reduce((sum, n, b) => {
      const expected = (40_000 * (inBlock[b] as number)) / classRows;
      return sum + (n - expected) ** 2 / expected;
    }, 0);
    expect(chi).toBeLessThan(27.9);
  });

  it('send few rows from workers when the rate is given', () => {
    expect(sampleRate(100, 50)).toBe(1);
    const rate = sampleRate(100, 1_000_000);
    expect(rate).toBeCloseTo((100 + 45 + 10) / 1_000_000, 12);
    const tap = new SampleTap({ ...settings, rates: new Map([['0', sampleRate(100, 14_800)]]) });
    tap.push(batchOf(0, 20_000), 0);
    const zero = tap.samples.toData().classes.find(({ key }) => key === '0')?.priorities ?? new Float64Array(0);
    expect(zero.length).toBe(100);
    expect(zero.every((priority) => priority <= sampleRate(100, 14_800))).toBe(true);
  });
});
