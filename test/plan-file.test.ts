import { describe, expect, it } from 'vitest';
import { parsePlanFile, planFileText, PLAN_FORMAT, PLAN_VERSION, type PlanFile } from '../src/plan/plan-file.js';
import { planFingerprint } from '../src/plan/plan-fingerprint.js';
import { partName, parsePartName } from '../src/jobs/part-names.js';

const FILE: PlanFile = {
  format: PLAN_FORMAT,
  version: PLAN_VERSION,
  job: 'balance',
  inputs: [{ path: 'data/a.parquet', size: 1000, mtimeMs: 1_700_000_000_000.25 }],
  options: { label: 'y', strategy: 'under', target: 'auto', nulls: 'error', maxClasses: null, importanceWeight: null },
  seed: 7,
  inputCounts: { total: 30, classes: [{ value: 'a', count: 20 }, { value: 'b', count: 10 }] },
  outputCounts: { total: 20, classes: [{ value: 'a', count: 10 }, { value: 'b', count: 10 }] },
  plan: {
    seed: '7',
    strategy: 'under',
    classes: [{ key: 'a', count: 20, target: 10 }, { key: 'b', count: 10, target: 10 }],
    units: [
      { file: 0, rowGroup: 0, rows: 15, counts: [[0, 10], [1, 5]], quotas: [6, 5] },
      { file: 0, rowGroup: 1, rows: 15, counts: [[0, 10], [1, 5]], quotas: [4, 5] },
    ],
    outputRows: 20,
  },
};

describe('plan files', () => {
  it('read back as written, a unit a line, with the same fingerprint', () => {
    const text = planFileText(FILE);
    expect(text.split('\n').filter((line) => line.includes('"rowGroup"'))).toHaveLength(2);
    const back = parsePlanFile(text, 'plan.json');
    expect(back).toEqual(FILE);
    expect(planFingerprint(back)).toBe(planFingerprint(FILE));
    // Key order and layout do not matter; any value does.
    expect(planFingerprint(Object.fromEntries(Object.entries(FILE).reverse()) as unknown as PlanFile)).toBe(planFingerprint(FILE));
    expect(planFingerprint({ ...FILE, seed: 8 })).not.toBe(planFingerprint(FILE));
    expect(planFingerprint(FILE)).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['not JSON', '{', /plan\.json: not a plan file \(not JSON\)/],
    ['another format', JSON.stringify({ format: 'x' }), /not a plan file \(no "format": "arrow-balance-plan"\)/],
    ['another version', JSON.stringify({ ...FILE, version: 2 }), /plan file version 2, this arrow-balance reads version 1; make the plan again/],
    ['a unit of a missing file', JSON.stringify({ ...FILE, plan: { ...FILE.plan, units: [{ ...FILE.plan.units[0], file: 3 }] } }), /the plan file is damaged/],
    ['quotas off their targets', JSON.stringify({ ...FILE, plan: { ...FILE.plan, units: [FILE.plan.units[0]] } }), /quotas do not add up to its targets/],
  ])('refuses %s in one line', (_, text, message) => {
    expect(() => parsePlanFile(text, 'plan.json')).toThrow(message);
    expect(() => parsePlanFile(text, 'plan.json')).toThrow(/^arrow-balance: [^\n]+$/);
  });
});

describe('part names', () => {
  it('pad the index to the width of the count, so that name order is shard order', () => {
    expect(partName(3, 12)).toBe('part-03-of-12.parquet');
    expect(partName(0, 1)).toBe('part-0-of-1.parquet');
    const names = Array.from({ length: 12 }, (_, i) => partName(i, 12));
    expect([...names].sort()).toEqual(names);
    expect(parsePartName('part-03-of-12.parquet')).toEqual({ index: 3, count: 12 });
    for (const name of ['part-3-of-12.parquet', 'part-12-of-12.parquet', 'part-0-of-2.parquet.tmp', 'other.parquet']) expect(parsePartName(name)).toBeUndefined();
  });
});
