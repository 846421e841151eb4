import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClassCounts } from '../src/classes/class-counts.js';
import { ClassTally } from '../src/classes/class-tally.js';
import { classKey, compareClassValues } from '../src/classes/class-value.js';
import type { ClassValue } from '../src/classes/class-value.js';

describe('classKey and compareClassValues', () => {
  it('keys values by their string form', () => {
    expect([3, -0.5, 12345678901234567890n, 'buy', true, false, null].map(classKey))
      .toEqual(['3', '-0.5', '12345678901234567890', 'buy', 'true', 'false', 'null']);
  });

  it('orders null, booleans, numbers and bigints numerically, then strings by code unit', () => {
    const values: ClassValue[] = ['b', 2n ** 60n + 1n, 3, null, true, 'B', false, 2 ** 60, -1n, 2.5, 'a', -7];
    expect([...values].sort(compareClassValues)).toEqual([null, false, true, -7, -1n, 2.5, 3, 2 ** 60, 2n ** 60n + 1n, 'B', 'a', 'b']);
    expect(compareClassValues(3, 3n)).toBe(0);
    expect(compareClassValues(2 ** 53, 2n ** 53n + 1n)).toBeLessThan(0);
    expect(compareClassValues('10', '9')).toBeLessThan(0);
  });
});

describe('ClassCounts', () => {
  const counts = ClassCounts.fromEntries([['skip', 90], [3, 4], [null, 2], [true, 1], ['buy', 7], [2n ** 60n, 5], ['skip', 10]]);

  it('adds duplicate classes, orders entries by value, answers counts', () => {
    expect(counts.entries()).toEqual([[null, 2], [true, 1], [3, 4], [2n ** 60n, 5], ['buy', 7], ['skip', 100]]);
    expect(counts.total).toBe(119);
    expect(counts.size).toBe(6);
    expect(counts.count('skip')).toBe(100);
    expect(counts.count(3)).toBe(4);
    expect(counts.count(null)).toBe(2);
    expect(counts.count('absent')).toBe(0);
    expect(counts.countOfKey('1152921504606846976')).toBe(5);
    expect(counts.countOfKey('true')).toBe(1);
    expect(counts.countOfKey('false')).toBeUndefined();
    expect(counts.values()).toEqual([null, true, 3, 2n ** 60n, 'buy', 'skip']);
  });

  it('is immutable: entries() hands out copies and merge returns a new instance', () => {
    const entries = counts.entries();
    entries[0]![1] = 1000;
    entries.pop();
    expect(counts.count(null)).toBe(2);
    const merged = counts.merge(ClassCounts.fromEntries([['buy', 1]]));
    expect(merged.count('buy')).toBe(8);
    expect(counts.count('buy')).toBe(7);
  });

  it('merges by addition, keeping classes of both sides', () => {
    const other = ClassCounts.fromEntries([['buy', 3], [false, 4], [3, 6]]);
    expect(counts.merge(other).entries()).toEqual([[null, 2], [false, 4], [true, 1], [3, 10], [2n ** 60n, 5], ['buy', 10], ['skip', 100]]);
    expect(counts.merge(other).total).toBe(counts.total + other.total);
    expect(ClassCounts.empty().merge(counts).entries()).toEqual(counts.entries());
  });

  it('serialises to the documented JSON shape', () => {
    const json = ClassCounts.fromEntries([
      ['b', 1], [2n ** 53n, 2], [2n ** 53n + 1n, 3], [-(2n ** 60n), 4], [false, 5], [null, 6], [7, 7], ['a', 8],
    ]).toJSON();
    expect(json).toEqual({
      total: 36,
      classes: [
        { value: null, count: 6 },
        { value: false, count: 5 },
        { value: '-1152921504606846976', count: 4 },
        { value: 7, count: 7 },
        { value: 9007199254740992, count: 2 },
        { value: '9007199254740993', count: 3 },
        { value: 'a', count: 8 },
        { value: 'b', count: 1 },
      ],
    });
    expect(JSON.stringify(ClassCounts.fromEntries([[1, 2], ['x', 3]])))
      .toBe('{"total":5,"classes":[{"value":1,"count":2},{"value":"x","count":3}]}');
    expect(ClassCounts.empty().toJSON()).toEqual({ total: 0, classes: [] });
  });

  it('reads its JSON back (object or text); big integers come back as strings with the same key', () => {
    const text = JSON.stringify(counts);
    const back = ClassCounts.fromJSON(text);
    expect(back.toJSON()).toEqual(counts.toJSON());
    expect(back.countOfKey('1152921504606846976')).toBe(5);
    expect(ClassCounts.fromJSON(counts.toJSON()).total).toBe(119);
    // merging with the original joins the two forms of the big integer into one class, keeping the bigint
    const merged = back.merge(counts);
    expect(merged.size).toBe(6);
    expect(merged.entries()).toContainEqual([2n ** 60n, 10]);
    expect(ClassCounts.fromJSON({ total: 3, classes: [{ value: '3', count: 1 }, { value: 3, count: 2 }] }).entries()).toEqual([[3, 3]]);
  });

  it('rejects malformed input with messages naming the problem', () => {
    expect(() => ClassCounts.fromJSON('{"total": 1, "classes": [')).toThrow(/^arrow-balance: class counts JSON does not parse/);
    expect(() => ClassCounts.fromJSON('{"total": 1}')).toThrow('arrow-balance: class counts JSON needs a "classes" array; expected {"total": N, "classes": [{"value": v, "count": n}]}');
    expect(() => ClassCounts.fromJSON({ total: 5, classes: [{ value: 'a', count: 2 }] })).toThrow(
      'arrow-balance: class counts JSON says total 5 but its classes add up to 2; fix or drop "total"');
    expect(() => ClassCounts.fromJSON('{"classes":[{"value":"a"}]}')).toThrow(/entry 0 needs "value" and "count"/);
    expect(() => ClassCounts.fromEntries([['a', -1]])).toThrow('arrow-balance: class a has count -1; counts must be non-negative integers');
    expect(() => ClassCounts.fromEntries([['a', 1.5]])).toThrow(/class a has count 1.5/);
    expect(() => ClassCounts.fromEntries([[NaN, 1]])).toThrow('arrow-balance: class value NaN is not a class; use a finite number, bigint, string, boolean or null');
    expect(() => ClassCounts.fromJSON({ total: 1, classes: [{ value: { a: 1 } as unknown as string, count: 1 }] })).toThrow(/is not a class/);
  });

  it('property: merge is addition (commutative, associative, totals add) and JSON round-trips', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', 'c'), fc.boolean(), fc.constant(null));
    const countsArb = fc.array(fc.tuple(value, fc.nat({ max: 1000 })), { maxLength: 12 }).map((e) => ClassCounts.fromEntries(e));
    fc.assert(fc.property(countsArb, countsArb, countsArb, (a, b, c) => {
      expect(a.merge(b).toJSON()).toEqual(b.merge(a).toJSON());
      expect(a.merge(b).merge(c).toJSON()).toEqual(a.merge(b.merge(c)).toJSON());
      expect(a.merge(b).total).toBe(a.total + b.total);
      for (const [v, n] of a.merge(b).entries()) expect(n).toBe(a.count(v) + b.count(v));
      expect(ClassCounts.fromJSON(JSON.stringify(a)).entries()).toEqual(a.entries());
    }), { seed: 42, numRuns: 200 });
  });
});

describe('ClassTally', () => {
  const coder = { values: ['x', 'y', null, 'z', 4, 5, 6, 7, 8, 9, 10] as ClassValue[], get classCount() { return this.values.length; }, value(code: number) { return this.values[code]!; } };

  it('counts codes, skips dropped rows (-1), grows past its first capacity', () => {
    const tally = new ClassTally();
    tally.add(Int32Array.of(0, 1, -1, 0, 10, 10));
    tally.add(Int32Array.of(2, -1));
    tally.addCode(1, 5);
    expect(tally.total).toBe(11);
    expect(tally.classCount).toBe(11);
    expect([0, 1, 2, 3, 10, 11].map((c) => tally.countOf(c))).toEqual([2, 6, 1, 0, 2, 0]);
    expect(tally.snapshot(coder).entries()).toEqual([[null, 1], [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [10, 2], ['x', 2], ['y', 6], ['z', 0]]);
    const few = new ClassTally();
    few.add(Int32Array.of(1));
    expect(few.snapshot(coder).size).toBe(11); // classes the coder knows but this tally never met count 0
    expect(few.snapshot(coder).count('y')).toBe(1);
    tally.reset();
    expect(tally.total).toBe(0);
    expect(tally.countOf(0)).toBe(0);
  });
});
