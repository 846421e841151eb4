import { describe, expect, it } from 'vitest';
import { logGamma, poisson, randomSeed, seededRandom } from '../src/random.js';

/** Upper 0.1% points of chi-square, by degrees of freedom (tables; e.g. NIST/SEMATECH e-Handbook 1.3.6.7.4). */
const CHI2_999: Record<number, number> = { 9: 27.877, 10: 29.588, 12: 32.909, 19: 43.82, 20: 45.315, 30: 59.703 };

function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - (expected[i] ?? 0)) ** 2 / (expected[i] ?? 1), 0);
}

describe('seededRandom', () => {
  it('repeats its stream for the same seed; numbers and strings seed alike', () => {
    const a = seededRandom(42);
    const b = seededRandom('42');
    const first = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(first);
    expect(first.every((u) => u >= 0 && u < 1)).toBe(true);
    const c = seededRandom(43);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(first);
  });

  it('is uniform: 100,000 draws in 10 bins pass chi-square at the 0.1% level (df 9)', () => {
    const random = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) bins[Math.floor(random() * 10)]! += 1;
    expect(chiSquare(bins, new Array(10).fill(10_000))).toBeLessThan(CHI2_999[9]!);
  });

  it('rejects seeds that are not finite numbers or strings, naming the option', () => {
    expect(() => seededRandom(Number.NaN)).toThrow(/^arrow-balance: option "seed" is NaN/);
    expect(() => seededRandom({} as unknown as string)).toThrow(/option "seed" must be a number or a string/);
  });
});

describe('randomSeed', () => {
  it('draws unsigned 32-bit integers that differ between calls', () => {
    const seeds = Array.from({ length: 20 }, () => randomSeed());
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
    expect(new Set(seeds).size).toBeGreaterThan(15);
  });
});

describe('logGamma', () => {
  it('gives ln(k!) for k = 0..170 to 1e-12 relative', () => {
    let exact = 0;
    for (let k = 0; k <= 170; k++) {
      if (k > 1) exact += Math.log(k);
      expect(Math.abs(logGamma(k + 1) - exact)).toBeLessThanOrEqual(1e-12 * Math.max(1, exact));
    }
  });

  it('gives ln Gamma at half-integers (Gamma(1/2) = sqrt(pi))', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(10.5)).toBeCloseTo(Math.log(1133278.3889487855), 9);
  });
});

describe('poisson', () => {
  const DRAWS = 20_000;
  // Mean of DRAWS draws has sd sqrt(mean / DRAWS); the sample variance has sd ~ mean * sqrt(2 / DRAWS)
  // (plus a small excess-kurtosis term 1/mean). Both are checked at 5 sd.
  for (const mean of [0.3, 3, 9.99, 10, 57.5, 1000]) {
    it(`has mean and variance ${mean} (Knuth below 10, PTRS above)`, () => {
      const random = seededRandom(`poisson-${mean}`);
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < DRAWS; i++) {
        const k = poisson(random, mean);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
        sum += k;
        squares += k * k;
      }
      const m = sum / DRAWS;
      const v = squares / DRAWS - m * m;
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / DRAWS));
      const sdVar = Math.sqrt((2 * mean * mean + mean) / DRAWS);
      expect(Math.abs(v - mean)).toBeLessThan(5 * sdVar);
    });
  }

  for (const mean of [3, 40]) {
    it(`matches the Poisson(${mean}) probabilities (chi-square, tails pooled, 0.1% level)`, () => {
      const random = seededRandom(mean);
      const draws = 50_000;
      const pmf: number[] = [];
      for (let k = 0; ; k++) {
        pmf.push(Math.exp(-mean + k * Math.log(mean) - logGamma(k + 1)));
        if (k > mean && draws * pmf[k]! < 5) break;
      }
      // Bins: pool the low tail until it expects >= 5, every k alone after, the last bin takes the high tail.
      let low = 0;
      let lowMass = 0;
      while (draws * (lowMass + pmf[low]!) < 5) lowMass += pmf[low++]!;
      const top = pmf.length - 1;
      const expected: number[] = [];
      for (let k = low; k <= top; k++) expected.push(draws * (k === low ? lowMass + pmf[k]! : pmf[k]!));
      expected[expected.length - 1] = draws - expected.slice(0, -1).reduce((a, b) => a + b, 0);
      const observed = new Array<number>(expected.length).fill(0);
      for (let i = 0; i < draws; i++) {
        const k = poisson(random, mean);
        observed[Math.min(Math.max(k - low, 0), expected.length - 1)]! += 1;
      }
      const df = expected.length - 1;
      // Wilson-Hilferty approximation of the 0.1% point for df not tabled.
      const z = 3.0902;
      const critical = CHI2_999[df] ?? df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
      expect(chiSquare(observed, expected)).toBeLessThan(critical);
    });
  }

  it('returns 0 for mean 0 and rejects negative, NaN or infinite means', () => {
    const random = seededRandom(1);
    expect(poisson(random, 0)).toBe(0);
    expect(() => poisson(random, -1)).toThrow(/^arrow-balance: Poisson mean is -1/);
    expect(() => poisson(random, Number.NaN)).toThrow(/Poisson mean is NaN/);
    expect(() => poisson(random, Infinity)).toThrow(/Poisson mean is Infinity/);
  });
});
