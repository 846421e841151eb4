import { describe, expect, it } from 'vitest';
import { hypergeometric } from '../src/plan/hypergeometric.js';
import { splitQuota } from '../src/plan/split-quota.js';
import { seededRandom } from '../src/random.js';

/** Upper 0.1% points of chi-square, by degrees of freedom (NIST/SEMATECH e-Handbook 1.3.6.7.4). */
const CHI2_999: Record<number, number> = { 5: 20.515, 10: 29.588, 15: 37.697, 20: 45.315, 25: 52.62, 30: 59.703 };

/** Exact hypergeometric probabilities over the support, by the product formula (small arguments only). */
function exactPmf(population: number, successes: number, draws: number): Map<number, number> {
  const choose = (n: number, k: number): number => {
    let r = 1;
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };
  const pmf = new Map<number, number>();
  const total = choose(population, draws);
  for (let x = Math.max(0, draws - (population - successes)); x <= Math.min(draws, successes); x++) {
    pmf.set(x, (choose(successes, x) * choose(population - successes, draws - x)) / total);
  }
  return pmf;
}

/** Chi-square of draws against the exact pmf, outcomes with an expected count below 5 pooled into the tails. */
function chiSquareAgainst(values: readonly number[], pmf: Map<number, number>): { statistic: number; df: number } {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const cells: Array<{ observed: number; expected: number }> = [];
  let pending = { observed: 0, expected: 0 };
  for (const [x, p] of [...pmf].sort((a, b) => a[0] - b[0])) {
    pending = { observed: pending.observed + (counts.get(x) ?? 0), expected: pending.expected + p * values.length };
    if (pending.expected >= 5) {
      cells.push(pending);
      pending = { observed: 0, expected: 0 };
    }
  }
  const last = cells.at(-1);
  if (last !== undefined) cells[cells.length - 1] = { observed: last.observed + pending.observed, expected: last.expected + pending.expected };
  const statistic = cells.reduce((sum, { observed, expected }) => sum + (observed - expected) ** 2 / expected, 0);
  return { statistic, df: cells.length - 1 };
}

describe('hypergeometric', () => {
  // Both the item-by-item path (draws < 16 after the symmetries) and the inversion from the mode.
  const cases: Array<[number, number, number]> = [
    [50, 20, 10],
    [60, 25, 30],
    [1000, 100, 200],
    [1000, 900, 950],
    [100_000, 3_000, 40_000],
  ];

  for (const [population, successes, draws] of cases) {
    it(`matches the exact distribution for N=${population}, K=${successes}, n=${draws} (20,000 draws, chi-square at 0.1%)`, () => {
      const random = seededRandom(`hg-${population}-${successes}-${draws}`);
      const values = Array.from({ length: 20_000 }, () => hypergeometric(random, population, successes, draws));
      const low = Math.max(0, draws - (population - successes));
      const high = Math.min(draws, successes);
      expect(values.every((v) => Number.isInteger(v) && v >= low && v <= high)).toBe(true);
      if (population <= 1000) {
        const { statistic, df } = chiSquareAgainst(values, exactPmf(population, successes, draws));
        const critical = CHI2_999[Object.keys(CHI2_999).map(Number).filter((d) => d >= df)[0] ?? 30] as number;
        expect(statistic).toBeLessThan(critical);
      }
      // Mean and variance against theory: the mean of 20,000 draws has sd sqrt(var / 20,000); the sample
      // variance has sd about var * sqrt(2 / 20,000) (near-normal), so 5 sd bounds fail by chance < 1e-6.
      const mean = (draws * successes) / population;
      const variance = (draws * successes * (population - successes) * (population - draws)) / (population * population * (population - 1));
      const sampleMean = values.reduce((a, b) => a + b, 0) / values.length;
      const sampleVariance = values.reduce((a, v) => a + (v - sampleMean) ** 2, 0) / (values.length - 1);
      expect(Math.abs(sampleMean - mean)).toBeLessThan(5 * Math.sqrt(variance / values.length));
      expect(Math.abs(sampleVariance - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / values.length) + 0.01);
    });
  }

  it('is exact at the edges of its arguments', () => {
    const random = seededRandom(1);
    expect(hypergeometric(random, 10, 0, 5)).toBe(0);
    expect(hypergeometric(random, 10, 10, 5)).toBe(5);
    expect(hypergeometric(random, 10, 4, 10)).toBe(4);
    expect(hypergeometric(random, 10, 4, 0)).toBe(0);
    expect(hypergeometric(random, 0, 0, 0)).toBe(0);
    // Support forced to one value: 9 of 10 drawn with 5 marked leaves 4 or 5 marked.
    for (let i = 0; i < 100; i++) expect([4, 5]).toContain(hypergeometric(random, 10, 5, 9));
  });

  it('stays in range on populations of billions', () => {
    const random = seededRandom(2);
    for (let i = 0; i < 200; i++) {
      const v = hypergeometric(random, 4_000_000_000, 1_000_000_000, 100_000_000);
      expect(Math.abs(v - 25_000_000)).toBeLessThan(6 * Math.sqrt(1e8 * 0.25 * 0.75 * (3.9e9 / 4e9)));
    }
  });

  it('refuses arguments outside the distribution', () => {
    const random = seededRandom(3);
    expect(() => hypergeometric(random, 10, 11, 2)).toThrow(/^arrow-balance: hypergeometric needs successes \(11\)/);
    expect(() => hypergeometric(random, 10, 2, -1)).toThrow(/draws is -1/);
    expect(() => hypergeometric(random, 1.5, 1, 1)).toThrow(/population is 1.5/);
  });
});

describe('splitQuota', () => {
  it('adds up to the quota exactly and never exceeds a unit', () => {
    const random = seededRandom(4);
    const rows = [120, 0, 7, 300, 1, 55];
    for (const quota of [0, 1, 17, 200, 483]) {
      const split = splitQuota(random, rows, quota);
      expect(split.reduce((a, b) => a + b, 0)).toBe(quota);
      split.forEach((taken, u) => expect(taken).toBeLessThanOrEqual(rows[u] as number));
    }
    expect([...splitQuota(random, rows, 483)]).toEqual(rows);
  });

  it("gives each unit the hypergeometric mean and variance of a uniform sample's share (4,000 seeds)", () => {
    const rows = [40, 10, 25, 5, 20];
    const total = 100;
    const quota = 30;
    const seeds = 4_000;
    const sums = new Float64Array(rows.length);
    const squares = new Float64Array(rows.length);
    for (let s = 0; s < seeds; s++) {
      const split = splitQuota(seededRandom(`split-${s}`), rows, quota);
      split.forEach((taken, u) => {
        sums[u]! += taken;
        squares[u]! += taken * taken;
      });
    }
    rows.forEach((n, u) => {
      const mean = (quota * n) / total;
      const variance = (quota * n * (total - n) * (total - quota)) / (total * total * (total - 1));
      const sampleMean = (sums[u] as number) / seeds;
      const sampleVariance = (squares[u] as number) / seeds - sampleMean * sampleMean;
      expect(Math.abs(sampleMean - mean)).toBeLessThan(5 * Math.sqrt(variance / seeds));
      expect(Math.abs(sampleVariance - variance)).toBeLessThan(5 * variance * Math.sqrt(2 / seeds) + 0.02);
    });
  });

  it('refuses a quota above the rows', () => {
    expect(() => splitQuota(seededRandom(5), [3, 4], 8)).toThrow('arrow-balance: a quota of 8 cannot be split over units holding 7 rows');
  });
});
