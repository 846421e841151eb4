import { describe, expect, it } from 'vitest';
import { planReads, READ_BYTES_TARGET } from '../src/parquet/read-plan.js';

describe('planReads', () => {
  it('groups consecutive small row groups up to the byte target, reads a large one alone, and skips empty ones', () => {
    const small = READ_BYTES_TARGET / 4;
    const plan = planReads([
      { rowGroupRows: [10, 10, 10, 10, 10, 0, 10], rowGroupBytes: [small, small, small, small, small, 0, small] },
      { rowGroupRows: [5, 5, 5], rowGroupBytes: [small, READ_BYTES_TARGET * 2, small] },
    ]);
    expect(plan).toEqual([
      { file: 0, rowGroups: [0, 1, 2, 3] },
      { file: 0, rowGroups: [4, 6] },
      { file: 1, rowGroups: [0] },
      { file: 1, rowGroups: [1] },
      { file: 1, rowGroups: [2] },
    ]);
  });

  it('plans nothing for inputs without rows', () => {
    expect(planReads([{ rowGroupRows: [], rowGroupBytes: [] }, { rowGroupRows: [0], rowGroupBytes: [0] }])).toEqual([]);
  });
});
