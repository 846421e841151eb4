import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClassCounts } from '../src/classes/class-counts.js';
import { ArrowBalanceError } from '../src/errors.js';
import { byClassKey, classWeights } from '../src/weights/class-weights.js';
import { schemeWeights } from '../src/weights/schemes.js';
import type { CountScheme } from '../src/weights/schemes.js';

const ABC = { a: 90, b: 9, c: 1 }; // N = 100, K = 3

function asObject(weights: Map<unknown, number>): Record<string, number> {
  return Object.fromEntries([...weights].map(([k, w]) => [String(k), w]));
}

describe('classWeights: each scheme against hand-computed values', () => {
  it('balanced: N / (K * n_c)', () => {
    const w = classWeights(ABC);
    expect(asObject(w)).toEqual({ a: 100 / 270, b: 100 / 27, c: 100 / 3 });
    expect(w.get('a')).toBeCloseTo(0.37037037, 8);
    expect(w.get('c')).toBeCloseTo(33.3333333, 6);
    expect(classWeights(ABC, { scheme: 'balanced' })).toEqual(w);
  });

  it('inverse: 1 / n_c rescaled so the row weights sum to N, which equals balanced', () => {
    // 1/90, 1/9, 1/1 times s with s * (90/90 + 9/9 + 1/1) = 100, so s = 100/3
    const w = classWeights(ABC, { scheme: 'inverse' });
    expect(w.get('a')).toBeCloseTo(100 / 3 / 90, 14);
    expect(w.get('b')).toBeCloseTo(100 / 3 / 9, 14);
    expect(w.get('c')).toBeCloseTo(100 / 3, 13);
  });

  it('sqrt: 1 / sqrt(n_c) rescaled so the row weights sum to N', () => {
    // s * (sqrt 90 + sqrt 9 + sqrt 1) = 100, sqrt 90 = 9.486833; s = 100 / 13.486833 = 7.414639
    const w = classWeights(ABC, { scheme: 'sqrt' });
    expect(w.get('a')).toBeCloseTo(7.414639 / 9.486833, 6); // 0.781572
    expect(w.get('b')).toBeCloseTo(7.414639 / 3, 6); // 2.471546
    expect(w.get('c')).toBeCloseTo(7.414639, 6);
  });

  it('effective: (1 - beta) / (1 - beta^n_c) rescaled so the class weights sum to K', () => {
    // beta = 0.5, counts 3, 2, 1: raw 0.5/0.875 = 4/7, 0.5/0.75 = 2/3, 0.5/0.5 = 1; sum 47/21; scale 3 * 21/47
    const w = classWeights({ a: 3, b: 2, c: 1 }, { scheme: 'effective', beta: 0.5 });
    expect(w.get('a')).toBeCloseTo(36 / 47, 14);
    expect(w.get('b')).toBeCloseTo(42 / 47, 14);
    expect(w.get('c')).toBeCloseTo(63 / 47, 14);
    // default beta 0.999 on 90/9/1: raw = 0.001/(1 - 0.999^90) = 0.0116125, 0.001/(1 - 0.999^9) = 0.111557, 1
    const d = classWeights(ABC, { scheme: 'effective' });
    expect(d.get('a')).toBeCloseTo(0.0310186, 6);
    expect(d.get('b')).toBeCloseTo(0.2979683, 6);
    expect(d.get('c')).toBeCloseTo(2.6710130, 6);
    // beta = 0: every class weighs 1
    expect(asObject(classWeights(ABC, { scheme: 'effective', beta: 0 }))).toEqual({ a: 1, b: 1, c: 1 });
  });

  it('effective keeps its precision for beta close to 1', () => {
    // beta = 1 - 1e-12: 1 - beta^n ~ n * 1e-12, so the raw weights are ~1/n: the scheme tends to inverse
    const w = classWeights(ABC, { scheme: 'effective', beta: 1 - 1e-12 });
    const raw = [1 / 90, 1 / 9, 1];
    const sum = raw[0]! + raw[1]! + raw[2]!;
    expect(w.get('a')).toBeCloseTo((3 * raw[0]!) / sum, 9);
    expect(w.get('c')).toBeCloseTo((3 * raw[2]!) / sum, 9);
  });

  it('manual: weights by class key; a class without one is an error naming it', () => {
    const counts = ClassCounts.fromEntries([[-1, 10923], [1, 260]]);
    const w = classWeights(counts, { classWeights: { '-1': 0.25, '1': 0.75, '7': 3 } });
    expect([...w]).toEqual([[-1, 0.25], [1, 0.75]]); // the class 7 has no rows: ignored
    expect(classWeights(counts, { scheme: 'manual', classWeights: new Map([[-1, 1], [1, 42]]) }).get(1)).toBe(42);
    expect(() => classWeights(counts, { classWeights: { '-1': 1 } })).toThrow(ArrowBalanceError);
    expect(() => classWeights(counts, { classWeights: { '-1': 1 } })).toThrow(
      'arrow-balance: class "1" has 260 rows but option "classWeights" (--class-weight) gives it no weight (it gives "-1"); give every class a weight',
    );
    expect(classWeights({ a: 1, b: 2 }, { classWeights: { a: 0, b: 1 } }).get('a')).toBe(0);
  });

  it('manual: negative, non-finite or doubled weights are errors naming the class', () => {
    expect(() => classWeights(ABC, { classWeights: { a: 1, b: -0.5, c: 1 } })).toThrow(RangeError);
    expect(() => classWeights(ABC, { classWeights: { a: 1, b: -0.5, c: 1 } })).toThrow(/class "b" weight -0.5; weights must be finite numbers >= 0/);
    expect(() => classWeights(ABC, { classWeights: { a: Number.NaN, b: 1, c: 1 } })).toThrow(/class "a" weight NaN/);
    expect(() => classWeights(ABC, { classWeights: { a: Infinity, b: 1, c: 1 } })).toThrow(/class "a" weight Infinity/);
    expect(() => classWeights(ABC, { classWeights: new Map<string | number, number>([[3, 1], ['3', 2]]) })).toThrow(/class "3" two weights/);
  });
});

describe('classWeights: invariants', () => {
  const countsArb = fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 });

  it.each(['balanced', 'inverse', 'sqrt'] as const)('%s: the row weights sum to N', (scheme) => {
    fc.assert(fc.property(countsArb, (counts) => {
      const w = schemeWeights(counts, scheme, 0);
      const total = counts.reduce((s, n) => s + n, 0);
      const weighted = counts.reduce((s, n, c) => s + n * w[c]!, 0);
      expect(Math.abs(weighted - total)).toBeLessThanOrEqual(total * 1e-12);
    }), { seed: 42, numRuns: 200 });
  });

  it('balanced: each class contributes N / K', () => {
    fc.assert(fc.property(countsArb, (counts) => {
      const w = schemeWeights(counts, 'balanced', 0);
      const total = counts.reduce((s, n) => s + n, 0);
      counts.forEach((n, c) => expect(n * w[c]!).toBeCloseTo(total / counts.length, 6));
    }), { seed: 42, numRuns: 200 });
  });

  it('effective: the class weights sum to K, and rarer classes weigh more', () => {
    fc.assert(fc.property(countsArb, fc.double({ min: 0, max: 0.99999, noNaN: true }), (counts, beta) => {
      const w = schemeWeights(counts, 'effective', beta);
      const sum = w.reduce((s, x) => s + x, 0);
      expect(Math.abs(sum - counts.length)).toBeLessThanOrEqual(counts.length * 1e-12);
      counts.forEach((n, c) => counts.forEach((m, d) => {
        if (n < m) expect(w[c]!).toBeGreaterThanOrEqual(w[d]! * (1 - 1e-12));
      }));
    }), { seed: 42, numRuns: 200 });
  });

  it('classes with no rows get no weight and do not count in K', () => {
    const counts = ClassCounts.fromEntries([['a', 10], ['b', 0], ['c', 30]]);
    expect(asObject(classWeights(counts))).toEqual({ a: 40 / 20, c: 40 / 60 });
    const raw = schemeWeights([10, 0, 30], 'effective' as CountScheme, 0.5);
    expect(raw[1]).toBe(0);
    expect(raw[0]! + raw[2]!).toBeCloseTo(2, 14);
    expect(classWeights(ClassCounts.empty()).size).toBe(0);
    expect(classWeights({ a: 0 }).size).toBe(0);
  });
});

describe("classWeights: agreement with scikit-learn's compute_class_weight('balanced')", () => {
  // scikit-learn computes n_samples / (n_classes * np.bincount(y)); the same float64 operations give the same bits.
  it('mammography: -1: 10,923 rows, 1: 260 rows', () => {
    const w = classWeights(ClassCounts.fromEntries([[-1, 10923], [1, 260]]));
    expect(w.get(-1)).toBe(11183 / (2 * 10923));
    expect(w.get(1)).toBe(11183 / (2 * 260));
    expect(w.get(-1)).toBeCloseTo(0.51190149226403, 14);
    expect(w.get(1)).toBeCloseTo(21.505769230769232, 12);
  });

  it('page-blocks: text 4,913, horiz. line 329, picture 115, vert. line 88, graphic 28 (N = 5,473)', () => {
    const w = classWeights({ text: 4913, 'horiz. line': 329, picture: 115, 'vert. line': 88, graphic: 28 });
    expect(asObject(w)).toEqual({
      graphic: 5473 / (5 * 28),
      'horiz. line': 5473 / (5 * 329),
      picture: 5473 / (5 * 115),
      text: 5473 / (5 * 4913),
      'vert. line': 5473 / (5 * 88),
    });
    expect(w.get('text')).toBeCloseTo(0.2227966619173621, 14);
    expect(w.get('graphic')).toBeCloseTo(39.09285714285714, 12);
  });
});

describe('classWeights: keys and options', () => {
  it('keys are the class values in value order; byClassKey gives the classKey form', () => {
    const counts = ClassCounts.fromEntries([[true, 1], [false, 3], [null, 4], [2n ** 60n, 2], [3, 2]]);
    const w = classWeights(counts);
    expect([...w.keys()]).toEqual([null, false, true, 3, 2n ** 60n]);
    expect(w.get(3)).toBe(12 / (5 * 2));
    expect(w.get('3' as never)).toBeUndefined();
    const byKey = byClassKey(w);
    expect([...byKey.keys()]).toEqual(['null', 'false', 'true', '3', '1152921504606846976']);
    expect(byKey.get('null')).toBe(12 / (5 * 4));
    // object keys that look like integers, booleans or null become those values
    expect([...classWeights({ '-1': 1, '1': 1, 'true': 1, 'null': 1, x: 1 }).keys()]).toEqual([null, true, -1, 1, 'x']);
  });

  it('rejects bad options, naming them', () => {
    expect(() => classWeights(ABC, { scheme: 'focal' as never })).toThrow(RangeError);
    expect(() => classWeights(ABC, { scheme: 'focal' as never })).toThrow(/option "scheme" is "focal"; use one of 'balanced', 'inverse', 'sqrt', 'effective', 'manual'/);
    for (const beta of [1, -0.1, Number.NaN, 2]) {
      expect(() => classWeights(ABC, { scheme: 'effective', beta })).toThrow(RangeError);
    }
    expect(() => classWeights(ABC, { scheme: 'effective', beta: 1 })).toThrow(/option "beta" is 1; the effective scheme needs 0 <= beta < 1/);
    expect(() => classWeights(ABC, { beta: 0.9 })).toThrow(/option "beta" is used only by scheme 'effective', not 'balanced'/);
    expect(() => classWeights(ABC, { scheme: 'sqrt', classWeights: { a: 1 } })).toThrow(TypeError);
    expect(() => classWeights(ABC, { scheme: 'manual' })).toThrow(/scheme 'manual' needs option "classWeights"/);
    expect(() => classWeights(ABC, { classWeights: [1, 2] as never })).toThrow(/option "classWeights" must be an object/);
    expect(() => classWeights({ a: -1 })).toThrow(/option "counts" gives class "a" -1 rows/);
    expect(() => classWeights({ a: 1.5 })).toThrow(RangeError);
  });
});
