import { describe, expect, it } from 'vitest';
import { LARGE_ROW_GROUP_BYTES, planReads, READ_BYTES_TARGET, WINDOW_BYTES, windowRowsOf } from '../src/parquet/read-plan.js';
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

  it('reads a row group too large to decode whole in windows of rows, all on the worker of its first window', () => {
    const large = LARGE_ROW_GROUP_BYTES + 1;
    expect(windowRowsOf(1_000, LARGE_ROW_GROUP_BYTES)).toBeUndefined();
    expect(windowRowsOf(1_000, large)).toBe(Math.ceil(1_000 / Math.ceil(large / WINDOW_BYTES)));
    const rows = windowRowsOf(1_000, large) as number;
    const plan = planReads([{ rowGroupRows: [10, 1_000, 10], rowGroupBytes: [8, large, 8] }]);
    const windows = plan.slice(1, -1);
    expect(plan[0]).toEqual({ file: 0, rowGroups: [0] });
    expect(plan.at(-1)).toEqual({ file: 0, rowGroups: [2] });
    expect(windows.map((ref) => ref.rows)).toEqual(Array.from({ length: Math.ceil(1_000 / rows) }, (_, i) => [i * rows, Math.min(1_000, (i + 1) * rows)]));
    expect(new Set(windows.map((ref) => `${ref.file}:${String(ref.rowGroups)}:${String(ref.affinity)}`))).toEqual(new Set(['0:1:1']));
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
    // A window holds its share of its row group.
    const large = { schemaIpc: new Uint8Array(), rowGroupRows: [1_000], rowGroupBytes: [80_000_000] };
    expect(slotBytes([{ file: 0, rowGroups: [0], rows: [0, 100] }], [large])).toBe(10_000_000);
  });
});
