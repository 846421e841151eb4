// Before parquet-wasm, as in the worker: columns are then copied out of the wasm heap through the C data interface.
import { readsInPlace } from '../src/parquet/wasm/wasm-heap-ipc.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type RecordBatch, type Table } from 'apache-arrow';
import { ParquetFile, readParquet, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, writeParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRanges } from '../src/parquet/file-ranges.js';
import { readFooter } from '../src/parquet/pages/file-footer.js';
import { columnPages } from '../src/parquet/pages/column-pages.js';
import { RowGroupWindows, type WindowSource } from '../src/parquet/pages/row-group-windows.js';
import { sampleByColumns } from '../src/parquet/pages/sample-by-columns.js';
import { columnSlice } from '../src/plan/column-slices.js';
import { UnitSampler } from '../src/plan/unit-sampler.js';
import type { UnitWork } from '../src/plan/unit-work.js';
import { field, type ThriftList, type ThriftStruct } from '../src/parquet/thrift-compact.js';
import { writeAllTypesParquet } from './support/fixtures.js';

const ROWS = 20_000;
let dir: string;
/** The same rows in one row group, as DuckDB writes them (one page per column) and as arrow-rs does with small pages. */
const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arrow-balance-windows-'));
  // DuckDB's v2 pages are left out: parquet-wasm cannot read their delta encoding ("'min_delta' too large").
  const path = join(dir, 'duckdb-v1.parquet');
  await writeAllTypesParquet(path, { rows: ROWS, rowGroupSize: ROWS, seed: 5 });
  files['duckdb-v1'] = new Uint8Array(await readFile(path));
  // arrow-rs cuts pages at about 2 KB here: dozens of pages per column, dictionary pages, both page versions.
  for (const [name, version] of [['arrow-rs-v1', WriterVersion.V1], ['arrow-rs-v2', WriterVersion.V2]] as const) {
    const table = readParquet(files['duckdb-v1'] as Uint8Array);
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(ROWS).setDataPageSizeLimit(2048).setWriteBatchSize(256).setWriterVersion(version).build();
    files[name] = writeParquet(WasmTable.fromIPCStream(table.intoIPCStream()), properties);
  }
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sourceOf(bytes: Uint8Array): Promise<WindowSource> {
  const ranges = new MemoryRanges(bytes);
  const file = await ParquetFile.fromFile(ranges as unknown as Blob);
  return { readInto: (start, target) => ranges.readInto(start, target), footer: readFooter(ranges), schema: tableFromIPC(file.schema().intoIPCStream()).schema, file };
}

/** Every value of every column, as text that tells NaN, null, bigints and nested values apart. */
function valuesOf(batches: readonly (RecordBatch | Table)[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const batch of batches) {
    for (const f of batch.schema.fields) {
      const column = batch.getChild(f.name);
      const values = (out[f.name] ??= []);
      for (let row = 0; row < batch.numRows; row++) {
        values.push(JSON.stringify(column?.get(row), (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
      }
    }
  }
  return out;
}

function pagesPerColumn(bytes: Uint8Array): number[] {
  const ranges = new MemoryRanges(bytes);
  const footer = readFooter(ranges);
  const group = (field(footer, 4) as ThriftList).items[0] as ThriftStruct;
  return ((field(group, 1) as ThriftList).items as ThriftStruct[]).flatMap((chunk) => {
    const meta = field(chunk, 3) as ThriftStruct;
    const path = (field(meta, 3) as ThriftList).items.length;
    if (path > 1) return [];
    const dictionary = field(meta, 11);
    const start = Number(typeof dictionary === 'bigint' ? dictionary : field(meta, 9));
    return [columnPages((s, target) => ranges.readInto(s, target), start, Number(field(meta, 7)), ROWS).pages.length];
  });
}

describe('a large row group read as windows of pages', () => {
  it('reads columns out of the wasm heap as the worker does', () => {
    expect(readsInPlace()).toBe(true);
  });

  it.each(['duckdb-v1', 'arrow-rs-v1', 'arrow-rs-v2'])('gives the rows parquet-wasm decodes whole (%s), window by window', async (name) => {
    const bytes = files[name] as Uint8Array;
    const whole = valuesOf([tableFromIPC(readParquet(bytes).intoIPCStream())]);
    const source = await sourceOf(bytes);
    try {
      // Uneven windows, smaller and larger than the pages decoded at a time.
      const windows = new RowGroupWindows(source, 0, undefined, 1000);
      const batches: RecordBatch[] = [];
      for (let first = 0, step = 1; first < ROWS; first += step, step = step * 3 + 7) batches.push(await windows.take(first, Math.min(ROWS, first + step)));
      expect(batches.length).toBeGreaterThan(5);
      const read = valuesOf(batches);
      expect(Object.keys(read)).toEqual(Object.keys(whole));
      for (const column of Object.keys(whole)) expect(read[column], column).toEqual(whole[column]);
      expect(String(batches[0]?.schema.fields.map((f) => f.type))).toBe(String(source.schema.fields.map((f) => f.type)));
    } finally {
      source.file.free();
    }
  });

  it('really reads arrow-rs files page by page: several pages in every column', () => {
    expect(Math.min(...pagesPerColumn(files['arrow-rs-v1'] as Uint8Array))).toBeGreaterThan(1);
    expect(Math.max(...pagesPerColumn(files['arrow-rs-v2'] as Uint8Array))).toBeGreaterThan(10);
  });

  it('walks thousands of tiny pages in few reads into one buffer, and decodes them right', async () => {
    // Pages of a few dozen rows: one read per page header used to take a buffer each (1.7 GB for 297,000 pages).
    const whole = readParquet(files['duckdb-v1'] as Uint8Array);
    const properties = new WriterPropertiesBuilder().setMaxRowGroupSize(ROWS).setDataPageSizeLimit(256).setWriteBatchSize(64).setDictionaryEnabled(false).build();
    const bytes = writeParquet(WasmTable.fromIPCStream(whole.intoIPCStream()), properties);
    const pages = pagesPerColumn(bytes);
    expect(Math.max(...pages)).toBeGreaterThan(300);
    const source = await sourceOf(bytes);
    let reads = 0;
    const counted: WindowSource = { ...source, readInto: (start, target) => { reads += 1; source.readInto(start, target); } };
    try {
      const windows = new RowGroupWindows(counted, 0, undefined, 4_000);
      const walked = reads;
      const read = valuesOf([await windows.take(0, 12_000), await windows.take(12_000, ROWS)]);
      const expected = valuesOf([tableFromIPC(readParquet(bytes).intoIPCStream())]);
      for (const column of Object.keys(expected)) expect(read[column], column).toEqual(expected[column]);
      // Headers come in 64 KB blocks, and consecutive pages in one read: far fewer reads than pages.
      const total = pages.reduce((sum, n) => sum + n, 0);
      expect(walked).toBeLessThan(total / 20);
      expect(reads - walked).toBeLessThan(pages.length * 10);
    } finally {
      source.file.free();
    }
  });

  it('reads windows out of order and a projection of the columns', async () => {
    const bytes = files['arrow-rs-v2'] as Uint8Array;
    const whole = valuesOf([tableFromIPC(readParquet(bytes).intoIPCStream())]);
    const source = await sourceOf(bytes);
    try {
      // In file order, as the reader asks.
      const columns = ['id', 'str_dict', 'ts_tz', 'list_str'];
      const windows = new RowGroupWindows(source, 0, columns, 500);
      for (const [first, end] of [[15_000, 15_010], [3, 4], [19_990, 20_000], [0, 20_000], [7_777, 12_345]] as const) {
        const read = valuesOf([await windows.take(first, end)]);
        expect(Object.keys(read)).toEqual(columns);
        for (const column of columns) expect(read[column], `${column} ${first}..${end}`).toEqual(whole[column]?.slice(first, end));
      }
      await expect(windows.take(5, 5)).rejects.toThrow(RangeError);
      await expect(windows.take(0, ROWS + 1)).rejects.toThrow(RangeError);
    } finally {
      source.file.free();
    }
  });

  it('refuses pages whose rows disagree with the footer, naming the column', async () => {
    const bytes = (files['arrow-rs-v1'] as Uint8Array).slice();
    const ranges = new MemoryRanges(bytes);
    const footer = readFooter(ranges);
    const group = (field(footer, 4) as ThriftList).items[0] as ThriftStruct;
    const meta = field(((field(group, 1) as ThriftList).items as ThriftStruct[])[0] as ThriftStruct, 3) as ThriftStruct;
    // Zero the first page header's first bytes: it ends before its sizes.
    const start = Number(field(meta, 11) ?? field(meta, 9));
    bytes.fill(0, start, start + 4);
    const source = await sourceOf(bytes);
    try {
      expect(() => new RowGroupWindows(source, 0, ['id'], 500)).toThrow(/^column "id" of row group 0: the page header at byte \d+ lacks its field 3; the file is corrupt$/);
    } finally {
      source.file.free();
    }
  });

  it.each([
    ['under', 'duckdb-v1', 100, undefined],
    ['over', 'arrow-rs-v2', 9_000, undefined],
    ['over, by ranges of 4,000 rows', 'arrow-rs-v2', 9_000, 4_000],
    ['under with importance weights, by ranges of 7,000 rows', 'duckdb-v1', 40, 7_000],
    ['under with importance weights', 'arrow-rs-v1', 40, undefined],
  ] as const)('sampled column by column (%s, %s), gives the rows, order and weights whole batches give', async (strategy, name, quota, rangeRows) => {
    const bytes = files[name] as Uint8Array;
    const whole = tableFromIPC(readParquet(bytes).intoIPCStream());
    const counts = new Map<string, number>();
    for (const value of whole.getChild('enum') ?? []) if (value !== null) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    const work: UnitWork = {
      seed: '11',
      strategy: strategy === 'over' ? 'over' : 'under',
      number: 3,
      rowGroup: 0,
      rows: ROWS,
      classes: [...counts].map(([key, rows]) => [key, rows, strategy === 'over' ? Math.max(rows, quota) : Math.min(rows, quota), 0.5]),
    };
    const options = { label: 'enum', nulls: 'drop' as const, importanceWeight: strategy.includes('weights') ? 'w' : undefined };
    const expected = new UnitSampler(work, options);
    const batches = whole.batches.flatMap((batch) => expected.push(batch));
    expected.finish();
    const source = await sourceOf(bytes);
    try {
      const sampler = new UnitSampler(work, options);
      const byColumns: RecordBatch[] = [];
      const emits: number[] = [];
      const emit = (batches: RecordBatch[]): Promise<void> => {
        byColumns.push(...batches);
        emits.push(batches.length);
        return Promise.resolve();
      };
      await sampleByColumns(new RowGroupWindows(source, 0, undefined, 700), sampler, whole.schema, 'enum', 3_000, emit, rangeRows);
      sampler.finish();
      expect(emits.length).toBe(rangeRows === undefined ? 1 : Math.ceil(ROWS / rangeRows));
      const rows = byColumns.reduce((sum, batch) => sum + batch.numRows, 0);
      expect(rows).toBe(batches.reduce((sum, batch) => sum + batch.numRows, 0));
      expect(rows).toBe(work.classes.reduce((sum, [, , take]) => sum + take, 0));
      const got = valuesOf(byColumns);
      const want = valuesOf(batches);
      expect(Object.keys(got)).toEqual(Object.keys(want));
      for (const column of Object.keys(want)) expect(got[column], column).toEqual(want[column]);
    } finally {
      source.file.free();
    }
  });

  it.each([2, 3, 5])('sampled as %i column slices, the slices side by side give the rows, order and weights whole batches give', async (count) => {
    const bytes = files['arrow-rs-v1'] as Uint8Array;
    const whole = tableFromIPC(readParquet(bytes).intoIPCStream());
    const counts = new Map<string, number>();
    for (const value of whole.getChild('enum') ?? []) if (value !== null) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    const work: UnitWork = { seed: '12', strategy: 'under', number: 5, rowGroup: 0, rows: ROWS, classes: [...counts].map(([key, rows]) => [key, rows, Math.min(rows, 300), 2]) };
    const options = { label: 'enum', nulls: 'drop' as const, importanceWeight: 'w' };
    const expected = new UnitSampler(work, options);
    const want = valuesOf(whole.batches.flatMap((batch) => expected.push(batch)));
    expected.finish();
    const source = await sourceOf(bytes);
    try {
      const sizes = whole.schema.fields.map((f, i) => ({ name: f.name, bytes: 1000 + i * 300 }));
      const got: Record<string, string[]> = {};
      for (let index = 0; index < count; index++) {
        const columns = columnSlice(sizes, index, count);
        const sampler = new UnitSampler(work, options);
        const batches: RecordBatch[] = [];
        const windows = new RowGroupWindows(source, 0, columns.includes('enum') ? columns : [...columns, 'enum'], 700);
        await sampleByColumns(windows, sampler, whole.schema, 'enum', 3_000, (out) => Promise.resolve(void batches.push(...out)), undefined, { columns, extras: index === count - 1 });
        sampler.finish();
        const values = valuesOf(batches);
        expect(Object.keys(values)).toEqual(index === count - 1 ? [...columns, 'w'] : columns);
        Object.assign(got, values);
      }
      expect(Object.keys(got)).toEqual(Object.keys(want));
      for (const column of Object.keys(want)) expect(got[column], column).toEqual(want[column]);
    } finally {
      source.file.free();
    }
  });
});
