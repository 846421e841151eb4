import { describe, expect, it } from 'vitest';
import { planReads, READ_BYTES_TARGET } from '../src/parquet/read-plan.js';
import { slotBytes } from '../src/parquet/read-slots.js';

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

describe('slotBytes', () => {
  const file = (rowGroupBytes: number[]): { schemaIpc: Uint8Array; rowGroupRows: number[]; rowGroupBytes: number[] } => ({ schemaIpc: new Uint8Array(), rowGroupRows: rowGroupBytes.map(() => 1), rowGroupBytes });

  it('holds the largest read request with a quarter more, in whole 8-byte words, within 1 MB and 128 MB', () => {
    const described = [file([4_000_000, 6_000_000]), file([9_000_001])];
    expect(slotBytes([{ file: 0, rowGroups: [0, 1] }, { file: 1, rowGroups: [0] }], described)).toBe(12_500_000);
    expect(slotBytes([{ file: 1, rowGroups: [0] }], described)).toBe(11_250_008);
    expect(slotBytes([], described)).toBe(1 << 20);
    expect(slotBytes([{ file: 0, rowGroups: [0] }], [file([1e9])])).toBe(128 << 20);
  });
});
