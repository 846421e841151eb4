import { describe, expect, it } from 'vitest';
import { ClassCounts } from '../src/classes/class-counts.js';
import type { ClassValue } from '../src/classes/class-value.js';
import { distributeTotal } from '../src/sampling/target-proportions.js';
import { validateTargetSpec, type Strategy, type TargetSpec } from '../src/sampling/target-spec.js';
import { resolveTargets } from '../src/sampling/targets.js';

const three = ClassCounts.fromEntries([
  ['a', 900],
  ['b', 90],
  ['c', 10],
]);
const ints = ClassCounts.fromEntries([
  [3, 500],
  [1, 100],
  [2, 100],
]);

function resolve(counts: ClassCounts, strategy: Strategy, target?: TargetSpec): Record<string, number> {
  return Object.fromEntries(resolveTargets(counts, strategy, target));
}

describe('resolveTargets: names (imbalanced-learn sampling_strategy)', () => {
  it('under: auto = not minority cuts every class but the minority to n_min', () => {
    expect(resolve(three, 'under')).toEqual({ a: 10, b: 10 });
    expect(resolve(three, 'under', 'auto')).toEqual({ a: 10, b: 10 });
    expect(resolve(three, 'under', 'not minority')).toEqual({ a: 10, b: 10 });
    expect(resolve(three, 'under', 'majority')).toEqual({ a: 10 });
    expect(resolve(three, 'under', 'not majority')).toEqual({ b: 10, c: 10 });
    expect(resolve(three, 'under', 'all')).toEqual({ a: 10, b: 10, c: 10 });
  });

  it('over: auto = not majority raises every class but the majority to n_max', () => {
    expect(resolve(three, 'over')).toEqual({ b: 900, c: 900 });
    expect(resolve(three, 'over', 'not majority')).toEqual({ b: 900, c: 900 });
    expect(resolve(three, 'over', 'minority')).toEqual({ c: 900 });
    expect(resolve(three, 'over', 'not minority')).toEqual({ a: 900, b: 900 });
    expect(resolve(three, 'over', 'all')).toEqual({ a: 900, b: 900, c: 900 });
  });

  it('hybrid auto/all sends every class to N / K, the remainder to the first classes in value order', () => {
    expect(resolve(three, 'hybrid')).toEqual({ a: 334, b: 333, c: 333 });
    expect(resolve(three, 'hybrid', 'all')).toEqual({ a: 334, b: 333, c: 333 });
  });

  it('breaks majority/minority ties by value order, not by insertion order', () => {
    // 1 and 2 tie for minority: 1 comes first in value order, so 'not minority' spares class 1 only.
    expect(resolve(ints, 'under', 'not minority')).toEqual({ '2': 100, '3': 100 });
    const tiedMax = ClassCounts.fromEntries([
      ['y', 50],
      ['x', 50],
      ['z', 5],
    ]);
    expect(resolve(tiedMax, 'over', 'not majority')).toEqual({ y: 50, z: 50 });
    expect(resolve(tiedMax, 'under', 'majority')).toEqual({ x: 5 });
  });

  it('rejects names that do not fit the strategy, naming the option', () => {
    expect(() => resolve(three, 'under', 'minority')).toThrow(/^arrow-balance: option "target" "minority" cannot be used with strategy "under"/);
    expect(() => resolve(three, 'over', 'majority')).toThrow(/"majority" cannot be used with strategy "over"/);
    expect(() => resolve(three, 'hybrid', 'majority')).toThrow(/"majority" needs strategy "under" or "over"/);
    expect(() => resolve(three, 'under', 'most' as TargetSpec)).toThrow(TypeError);
  });
});

describe('resolveTargets: ratio (two classes)', () => {
  const two = ClassCounts.fromEntries([
    ['no', 1000],
    ['yes', 100],
  ]);
  it('over raises the minority to floor(alpha * n_max); under cuts the majority to floor(n_min / alpha)', () => {
    expect(resolve(two, 'over', 0.5)).toEqual({ yes: 500 });
    expect(resolve(two, 'over', 0.29)).toEqual({ yes: 290 });
    expect(resolve(two, 'under', 0.5)).toEqual({ no: 200 });
    expect(resolve(two, 'under', 1)).toEqual({ no: 100 });
    expect(resolve(two, 'under', 0.3)).toEqual({ no: 333 });
  });
  it('rejects ratios the counts cannot reach, more than two classes, and ratios out of (0, 1]', () => {
    expect(() => resolve(two, 'over', 0.05)).toThrow(/ratio 0.05 asks minority class "yes" for 50 rows .* already has 100/);
    expect(() => resolve(two, 'under', 0.05)).toThrow(/ratio 0.05 asks class "no" for 2000 rows .* has only 1000/);
    expect(() => resolve(three, 'under', 0.5)).toThrow(/ratio 0.5 needs exactly two classes but the counts have 3/);
    expect(() => resolve(two, 'under', 0)).toThrow(RangeError);
    expect(() => resolve(two, 'under', 1.5)).toThrow(/ratio is 1.5; a ratio n_minority \/ n_majority must be in \(0, 1\]/);
    expect(() => resolve(two, 'hybrid', 0.5)).toThrow(/needs strategy "under" or "over"/);
  });
});

describe('resolveTargets: { class: count }', () => {
  it('matches keys to classes by their string form ("3" is integer class 3)', () => {
    expect(resolve(ints, 'under', { '3': 250 })).toEqual({ '3': 250 });
    expect(resolve(ints, 'over', { 1: 400, 2: 100 })).toEqual({ '1': 400, '2': 100 });
    expect(resolve(ints, 'hybrid', { 3: 200, 1: 300 })).toEqual({ '3': 200, '1': 300 });
    const bools = ClassCounts.fromEntries([
      [true, 5],
      [false, 50],
      [null, 7],
    ] as [ClassValue, number][]);
    expect(resolve(bools, 'over', { true: 50, null: 50 })).toEqual({ true: 50, null: 50 });
  });
  it('names the class and the numbers when a count is out of reach or the class unknown', () => {
    expect(() => resolve(ints, 'under', { '1': 101 })).toThrow(/class 1 for 101 rows but it has only 100.*at most 100/);
    expect(() => resolve(ints, 'over', { '3': 499 })).toThrow(/class 3 for 499 rows but it already has 500.*at least 500/);
    expect(() => resolve(ints, 'under', { '4': 1 })).toThrow(/names class "4" but the label has no such class; classes are: 1 \(100 rows\), 2 \(100 rows\), 3 \(500 rows\)/);
    expect(() => resolve(ints, 'under', { '1': -1 })).toThrow(/asks class "1" for -1 rows; give a non-negative integer/);
    expect(() => resolve(ints, 'under', { '1': 2.5 })).toThrow(RangeError);
  });
});

describe('resolveTargets: proportions', () => {
  it('splits a given total by largest remainder', () => {
    expect(resolve(three, 'hybrid', { proportions: { a: 0.5, b: 0.3, c: 0.2 }, total: 101 })).toEqual({ a: 51, b: 30, c: 20 });
  });
  it('defaults the total: N for hybrid, the largest under-sampling allows, the smallest over-sampling needs', () => {
    expect(resolve(three, 'hybrid', { proportions: { a: 0.5, b: 0.25, c: 0.25 } })).toEqual({ a: 500, b: 250, c: 250 });
    // under: total = min n_c / p_c = 10 / 0.2 = 50
    expect(resolve(three, 'under', { proportions: { a: 0.5, b: 0.3, c: 0.2 } })).toEqual({ a: 25, b: 15, c: 10 });
    // over: total = max n_c / p_c = 900 / 0.6 = 1500
    expect(resolve(three, 'over', { proportions: { a: 0.6, b: 0.2, c: 0.2 } })).toEqual({ a: 900, b: 300, c: 300 });
  });
  it('rejects shares that do not sum to 1, missing or unknown classes, and unreachable totals', () => {
    expect(() => resolve(three, 'hybrid', { proportions: { a: 0.5, b: 0.3, c: 0.3 } })).toThrow(/proportions sum to 1.1; they must sum to 1/);
    expect(() => resolve(three, 'hybrid', { proportions: { a: 0.5, b: 0.5 } })).toThrow(/no share for class "c"/);
    expect(() => resolve(three, 'hybrid', { proportions: { a: 0.5, b: 0.3, d: 0.2 } })).toThrow(/names class "d"/);
    expect(() => resolve(three, 'under', { proportions: { a: 0.5, b: 0.3, c: 0.2 }, total: 100 })).toThrow(
      /total 100 asks class "c" for 20 rows but it has only 10/,
    );
    expect(() => resolve(three, 'hybrid', { proportions: { a: 1.5, b: -0.5, c: 0 } })).toThrow(/proportion 1.5/);
  });
});

describe('resolveTargets: counts', () => {
  it('needs at least two classes', () => {
    expect(() => resolve(ClassCounts.fromEntries([['only', 10]]), 'under')).toThrow(
      /needs at least two classes but the counts have 1: "only" \(10 rows\)/,
    );
    expect(() => resolve(ClassCounts.empty(), 'over')).toThrow(/^arrow-balance: balancing needs at least two classes but the counts have no rows; check that the input is not empty/);
  });
});

describe('validateTargetSpec and distributeTotal', () => {
  it('accepts every valid shape without counts', () => {
    for (const t of ['auto', 'all', 0.5, { a: 1 }, { proportions: { a: 1 } }] as TargetSpec[]) {
      expect(() => validateTargetSpec(t, 'over')).not.toThrow();
    }
    expect(() => validateTargetSpec([1, 2], 'under')).toThrow(/option "target"/);
  });
  it('splits totals exactly, ties to the first share', () => {
    expect(distributeTotal([1 / 3, 1 / 3, 1 / 3], 10)).toEqual([4, 3, 3]);
    expect(distributeTotal([0.25, 0.75], 0)).toEqual([0, 0]);
    expect(distributeTotal([0.1, 0.2, 0.7], 1000)).toEqual([100, 200, 700]);
  });
});
